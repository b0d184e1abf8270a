"""Deterministic stand-in vectors for ranking tests that are about filters, not semantics.

Each text gets a random unit vector seeded by its hash: the same text always
gets the same vector, different texts point in unrelated directions.
"""

from __future__ import annotations

import hashlib
from typing import Sequence

import numpy as np

DIM = 16


def hashed_embed(texts: Sequence[str], prefix: str = "") -> np.ndarray:
    rows = []
    for text in texts:
        seed = int.from_bytes(hashlib.sha1((prefix + text).encode()).digest()[:4], "little")
        vector = np.random.default_rng(seed).normal(size=DIM)
        rows.append(vector / np.linalg.norm(vector))
    return np.array(rows, dtype=np.float32).reshape(len(texts), DIM)
