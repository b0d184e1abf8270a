"""Trained models named by a fingerprint of everything that goes into training.

``models/shopbot-<fingerprint>.tar.gz`` exists exactly when a model was trained
from the current data and config, so the run command retrains only when
something changed, and without starting Rasa to find out.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Iterable, Sequence

from bot.runtime.settings import CHILD_ENVIRONMENT

MODEL_NAME_PREFIX = "shopbot-"
# Our NLU code (components, segmenter, encoder) and the catalog words in the
# tokenizer's dictionary change what a model is, like its training data does.
DEFAULT_TRAINING_INPUTS = (
    "domain.yml", "nlu_data", "bot/nlu", "bot/language", "bot/encoder", "bot/catalog/data",
)


def _files_under(root: Path, relative_paths: Iterable[str]) -> list:
    files = []
    for rel in relative_paths:
        path = root / rel
        if path.is_dir():
            files.extend(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        elif path.is_file():
            files.append(path)
    return sorted(files)


def training_fingerprint(
    root: Path, config: Path, inputs: Sequence[str] = DEFAULT_TRAINING_INPUTS
) -> str:
    """Hash of the config file and every training input file (paths and bytes)."""
    root = Path(root)
    digest = hashlib.sha256()
    for path in [Path(config)] + _files_under(root, inputs):
        name = str(path.relative_to(root)) if path.is_relative_to(root) else path.name
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def model_path_for(models_dir: Path, fingerprint: str) -> Path:
    return Path(models_dir) / f"{MODEL_NAME_PREFIX}{fingerprint}.tar.gz"


def ensure_trained_model(
    root: Path,
    models_dir: Path,
    config: Path,
    domain: Path,
    data: Path,
    log=print,
) -> Path:
    """Returns the model for the current inputs, training it first if it is missing."""
    fingerprint = training_fingerprint(root, config)
    target = model_path_for(models_dir, fingerprint)
    if target.exists():
        log(f"model up to date: {target}")
        return target
    log(f"training a model for the current data and config (fingerprint {fingerprint})...")
    command = [
        sys.executable, "-m", "rasa", "train",
        "--config", str(config),
        "--domain", str(domain),
        "--data", str(data),
        "--out", str(models_dir),
        "--fixed-model-name", target.name[: -len(".tar.gz")],
    ]
    subprocess.run(command, cwd=root, check=True, env={**os.environ, **CHILD_ENVIRONMENT})
    if not target.exists():
        raise RuntimeError(f"rasa train finished but {target} is missing")
    return target
