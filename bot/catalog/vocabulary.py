"""Words of the catalog (商品词表): brands and aliases, categories, loose category words, tags.

The tokenizer adds them to its dictionary so that ``蓝牙耳机`` or ``李维斯`` stay
one token; the NLU and the recommender read brands and categories from the
same files, so what is understood is what can be found.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Set

import yaml

CATALOG_DATA_DIR = Path(__file__).resolve().parent / "data"


def catalog_words(data_dir: Path = CATALOG_DATA_DIR) -> Set[str]:
    data_dir = Path(data_dir)
    words: Set[str] = set()
    brands_file = data_dir / "brands.yml"
    if brands_file.exists():
        for brand, aliases in (yaml.safe_load(brands_file.read_text("utf-8")) or {}).items():
            words.add(str(brand))
            words.update(str(alias) for alias in aliases or [])
    categories_file = data_dir / "categories.yml"
    if categories_file.exists():
        categories = yaml.safe_load(categories_file.read_text("utf-8")) or {}
        words.update(categories.get("leaf_categories") or [])
        words.update(str(word) for word in (categories.get("loose_words") or {}))
    catalog_file = data_dir / "demo_catalog.jsonl"
    if catalog_file.exists():
        for line in catalog_file.read_text("utf-8").splitlines():
            if line.strip():
                product = json.loads(line)
                words.update(product.get("tags") or [])
                words.update(product.get("colors") or [])
    return {word.strip() for word in words if word and word.strip()}
