"""A catalog ready for ranking (检索索引): product embeddings, priors and lookup arrays.

Product embeddings are computed once per encoder and set of product texts and kept
on disk (``<cache_dir>/<encoder key>/<texts key>.npz``); a restart with the same
catalog loads them in milliseconds.  The file is named by the products' texts, not
the catalog's version, because a stock report makes a new version without changing
a single vector: it must not write another 15 MB file (10,000 products).  When a
shop swaps its catalog, vectors of products whose text did not change are reused,
so only new or edited products are encoded, and only the ``KEPT_VECTOR_FILES`` most
recently used files of an encoder stay on disk.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping, Optional, Sequence

import numpy as np

from bot.catalog.model import Catalog, Product
from bot.language.colors import color_family

logger = logging.getLogger(__name__)

# The current catalog's texts and a few before it, for a rollback or a replica still
# serving an older upload; older files are deleted when a new one is written.
KEPT_VECTOR_FILES = 4

# (texts) -> L2-normalised vectors, one row per text.
EmbedPassages = Callable[[Sequence[str]], np.ndarray]


def passage_text(product: Product) -> str:
    """What the encoder reads about a product: the words a customer might search with."""
    return "；".join((
        product.title, product.category, product.brand, "、".join(product.tags), product.description,
    ))


def _text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CatalogIndex:
    catalog: Catalog
    products: tuple[Product, ...]
    vectors: np.ndarray  # [n, dim], L2-normalised
    text_keys: tuple[str, ...]
    prices: np.ndarray
    popularity: np.ndarray  # 0–1 within the product's category (log sales)
    quality: np.ndarray  # rating mapped to −1…1 around 4.5 stars
    by_category: dict[str, np.ndarray]
    color_families: tuple[frozenset[str], ...]
    positions: Mapping[str, int]
    brands: np.ndarray  # canonical brand per product, for a vectorised brand filter
    available: np.ndarray  # in stock in some colour and size

    @property
    def version(self) -> str:
        return self.catalog.version

    def position(self, product_id: str) -> Optional[int]:
        return self.positions.get(product_id)

    @classmethod
    def build(cls, catalog: Catalog, embed: EmbedPassages, encoder_key: str,
              cache_dir: Optional[Path] = None, previous: Optional["CatalogIndex"] = None) -> "CatalogIndex":
        products = tuple(catalog)
        texts = [passage_text(product) for product in products]
        keys = tuple(_text_key(text) for text in texts)
        vectors = _cached_vectors(cache_dir, encoder_key, keys)
        if vectors is None:
            vectors = _encode_missing(texts, keys, embed, previous)
            _store_vectors(cache_dir, encoder_key, keys, vectors)
        prices = np.array([product.price for product in products], dtype=np.float64)
        sales = np.array([math.log1p(max(product.sales, 0)) for product in products])
        by_category: dict[str, list[int]] = {}
        for position, product in enumerate(products):
            by_category.setdefault(product.category, []).append(position)
        popularity = np.zeros(len(products))
        for positions in by_category.values():
            top = sales[positions].max()
            popularity[positions] = sales[positions] / top if top > 0 else 0.0
        quality = np.array([np.clip((product.rating - 4.5) / 0.5, -1, 1) for product in products])
        return cls(
            catalog=catalog, products=products, vectors=vectors, text_keys=keys, prices=prices,
            popularity=popularity, quality=quality,
            by_category={name: np.array(positions) for name, positions in by_category.items()},
            color_families=tuple(
                frozenset(filter(None, (color_family(color) for color in product.colors)))
                for product in products
            ),
            positions={product.id: position for position, product in enumerate(products)},
            brands=np.array([product.brand for product in products], dtype=object),
            available=np.array([product.in_stock() for product in products], dtype=bool),
        )


def _encode_missing(texts: Sequence[str], keys: Sequence[str], embed: EmbedPassages,
                    previous: Optional[CatalogIndex]) -> np.ndarray:
    known = {}
    if previous is not None:
        known = {key: previous.vectors[i] for i, key in enumerate(previous.text_keys)}
    missing = [i for i, key in enumerate(keys) if key not in known]
    fresh = embed([texts[i] for i in missing]) if missing else None
    dim = fresh.shape[1] if fresh is not None else previous.vectors.shape[1]  # type: ignore[union-attr]
    vectors = np.zeros((len(keys), dim), dtype=np.float32)
    for i, key in enumerate(keys):
        if key in known:
            vectors[i] = known[key]
    for row, i in enumerate(missing):
        vectors[i] = fresh[row]  # type: ignore[index]
    logger.info("encoded %d of %d products (%d reused)", len(missing), len(keys), len(keys) - len(missing))
    return vectors


def _cache_file(cache_dir: Path, encoder_key: str, keys: Sequence[str]) -> Path:
    safe_key = hashlib.sha1(encoder_key.encode()).hexdigest()[:16]
    texts_key = hashlib.sha1("\n".join(keys).encode()).hexdigest()[:20]
    return cache_dir / safe_key / f"{texts_key}.npz"


def _cached_vectors(cache_dir: Optional[Path], encoder_key: str, keys: Sequence[str]) -> Optional[np.ndarray]:
    if cache_dir is None:
        return None
    path = _cache_file(cache_dir, encoder_key, keys)
    try:
        with np.load(path, allow_pickle=False) as data:
            if tuple(data["keys"].tolist()) != tuple(keys):
                return None
            vectors = data["vectors"].astype(np.float32)
    except (OSError, KeyError, ValueError):
        return None
    _mark_used(path)
    return vectors


def _store_vectors(cache_dir: Optional[Path], encoder_key: str, keys: Sequence[str], vectors: np.ndarray) -> None:
    if cache_dir is None:
        return
    path = _cache_file(cache_dir, encoder_key, keys)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written under another name and renamed, so a crash never leaves half a cache file.
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".npz.part")
    os.close(handle)
    try:
        with open(temporary, "wb") as stream:
            np.savez(stream, keys=np.array(keys), vectors=vectors)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    prune_vector_files(path.parent, KEPT_VECTOR_FILES)


def _mark_used(path: Path) -> None:
    try:
        os.utime(path)
    except OSError:  # another replica pruned it meanwhile: it was read already
        pass


def prune_vector_files(directory: Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` most recently used vector files of one encoder (旧向量缓存清理).

    Replicas sharing the directory may prune at once; a file gone already is skipped,
    and a replica that later misses a pruned file encodes its catalog again.
    """
    def last_used(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:
            return 0.0

    files = sorted(directory.glob("*.npz"), key=last_used, reverse=True)
    removed = []
    for path in files[keep:]:
        try:
            path.unlink()
            removed.append(path)
        except FileNotFoundError:
            continue
    if removed:
        logger.info("pruned %d product vector files in %s (kept %d)", len(removed), directory, keep)
    return removed
