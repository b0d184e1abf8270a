"""Product vectors on disk: one file per set of product texts, and only a few kept."""

from __future__ import annotations

import os
import time
from dataclasses import replace

from bot.catalog.model import load_demo_catalog
from bot.recommender.index import KEPT_VECTOR_FILES, CatalogIndex, prune_vector_files
from tests.support.hashed_embeddings import hashed_embed


class CountingEmbed:
    def __init__(self):
        self.texts = 0

    def __call__(self, texts):
        self.texts += len(texts)
        return hashed_embed(texts)


def vector_files(cache_dir):
    return sorted(cache_dir.glob("*/*.npz"))


def test_a_stock_report_writes_no_new_vector_file(tmp_path):
    catalog = load_demo_catalog()
    CatalogIndex.build(catalog, hashed_embed, "hashed", tmp_path)
    first = next(iter(catalog))
    restocked = catalog.with_products([replace(first, stock=first.stock + 7)])
    assert restocked.version != catalog.version
    embed = CountingEmbed()
    index = CatalogIndex.build(restocked, embed, "hashed", tmp_path)
    assert embed.texts == 0, "the vectors of unchanged texts are read from disk"
    assert len(vector_files(tmp_path)) == 1
    assert index.vectors.shape[0] == len(tuple(restocked))


def test_only_the_most_recently_used_vector_files_stay(tmp_path):
    catalog = load_demo_catalog()
    first = next(iter(catalog))
    versions = [catalog.with_products([replace(first, title=f"{first.title} 第{n}版")]) for n in range(KEPT_VECTOR_FILES + 3)]
    for version in versions:
        CatalogIndex.build(version, hashed_embed, "hashed", tmp_path)
        time.sleep(0.01)  # distinct modification times on coarse file systems
    assert len(vector_files(tmp_path)) == KEPT_VECTOR_FILES

    newest = CountingEmbed()
    CatalogIndex.build(versions[-1], newest, "hashed", tmp_path)
    assert newest.texts == 0
    oldest = CountingEmbed()
    CatalogIndex.build(versions[0], oldest, "hashed", tmp_path)
    assert oldest.texts == len(tuple(versions[0])), "a pruned file is encoded again"
    assert len(vector_files(tmp_path)) == KEPT_VECTOR_FILES


def test_pruning_keeps_the_most_recently_used_files(tmp_path):
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.npz").write_bytes(b"x")
    past = time.time() - 100
    os.utime(tmp_path / "a.npz", (past, past))
    os.utime(tmp_path / "b.npz", (past + 10, past + 10))
    os.utime(tmp_path / "c.npz", (past + 5, past + 5))
    removed = prune_vector_files(tmp_path, keep=2)
    assert [path.name for path in removed] == ["a.npz"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["b.npz", "c.npz"]
    assert prune_vector_files(tmp_path, keep=2) == []
