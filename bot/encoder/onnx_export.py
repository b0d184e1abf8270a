"""A Hugging Face encoder exported once to ONNX (optionally int8) for ONNX Runtime.

PyTorch runs a small BERT one module at a time from Python; for the short texts a
shop's customers send, that overhead dominates (25 ms for one message with int8
torch against 9 ms in ONNX Runtime on the 2-core machine, docs/benchmarks.md).
So torch is used once, here, to export the model; serving and training load only
the exported graph.

``ensure_onnx_model(source, quantize)`` returns a directory holding
``model.onnx`` (inputs ``input_ids`` and ``attention_mask``, output the last
hidden states), the tokenizer and ``config.json``.  It is built on first use
under ``$SHOPBOT_CACHE/encoders/onnx/`` and keyed by the source's files and the
options, so editing or replacing the source model builds a new one.  Every
export is checked against torch on sample sentences before it is marked
complete.

The source is a local Hugging Face model directory (``config.json``, the
tokenizer's files, the weights), or a hub name already in the Hugging Face
cache: nothing is ever downloaded (``HF_HUB_OFFLINE``, ``local_files_only``).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import List, Optional, Sequence

import numpy as np

from bot.encoder.build_cache import MARKER_FILE, exclusive, move_into_place, read_marker, staging_dir, write_json

MODEL_FILE = "model.onnx"
# Bumped whenever the export changes, so stale cached exports are rebuilt.
EXPORTER_VERSION = 1
OPSET = 17
# Cosine of the exported model's sentence vectors to torch's: fp32 must be the
# same model; int8 weights may move vectors a little (0.99 for e5-small).
MIN_COSINE = {False: 0.999, True: 0.9}
CHECK_SENTENCES = (
    "推荐一款三百以内的跑步鞋",
    "我的快递到哪了，三天了还没到",
    "iPhone15和华为Mate60怎么选",
    "請問這款ＸＬ號的外套還有貨嗎？",
    "Do you ship to Hong Kong?",
)


def load_tokenizer(directory: Path, max_length: int):
    """The exported fast tokenizer (``tokenizer.json``), padding and truncating, without transformers."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
    pad = read_json(directory / "tokenizer_config.json").get("pad_token") or "[PAD]"
    pad = pad["content"] if isinstance(pad, dict) else pad
    tokenizer.enable_padding(pad_id=tokenizer.token_to_id(pad) or 0, pad_token=pad)
    tokenizer.enable_truncation(max_length)
    return tokenizer


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def cache_root() -> Path:
    cache = Path(os.environ.get("SHOPBOT_CACHE", str(Path.home() / ".cache" / "shopbot")))
    return cache / "encoders" / "onnx"


def offline() -> None:
    """No network for transformers and huggingface_hub in this process (read when they are imported)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def source_directory(source: str) -> Path:
    """The local directory of a model: ``source`` itself, or a hub name's cached snapshot.

    Nothing is downloaded: a hub name must already be in the Hugging Face cache.
    """
    path = Path(source).expanduser()
    if path.is_dir():
        directory = path.resolve()
        if not (directory / "config.json").is_file():
            raise ValueError(f"cannot load the text encoder {source!r}: {directory} is not a Hugging Face "
                             "model directory (no config.json)")
        return directory
    if source.startswith(("/", "./", "../", "~")) or path.exists():
        raise ValueError(f"cannot load the text encoder {source!r}: no such model directory")
    offline()
    from transformers.utils import cached_file

    try:
        config = cached_file(source, "config.json", local_files_only=True)
    except (OSError, ValueError) as error:
        raise ValueError(
            f"cannot load the text encoder {source!r}: give a local Hugging Face model "
            f"directory, or a hub name that is cached on this machine; nothing is downloaded "
            f"(on a machine with internet: `huggingface-cli download {source} --local-dir DIR`, "
            f"then copy DIR here and configure its path) ({error})"
        ) from None
    if config is None:  # transformers may return None instead of raising for a missing file
        raise ValueError(f"cannot load the text encoder {source!r}: its config.json is not cached on this machine")
    return Path(config).parent


def fingerprint(directory: Path) -> str:
    """Changes when any file of the model changes (names, sizes, modification times).

    Not the encoder spec (``shopbot-encoder.json``): a new FAQ threshold needs no new export;
    the spec's prefixes and pooling are part of :attr:`TextEncoder.identity` instead.
    """
    from bot.encoder.spec import SPEC_FILE

    digest = hashlib.sha256()
    for path in sorted(p for p in directory.rglob("*")
                       if p.is_file() and not p.name.startswith(".") and p.name != SPEC_FILE):
        stat = path.stat()
        digest.update(f"{path.relative_to(directory)}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def ensure_onnx_model(source: str, quantize: bool, out_dir: Optional[Path] = None) -> Path:
    """The directory of ``source`` exported to ONNX (and int8 if ``quantize``), built if needed."""
    directory = source_directory(source)
    key = fingerprint(directory)
    if out_dir is None:
        out_dir = cache_root() / f"{directory.name}-{key}-{'int8' if quantize else 'fp32'}"
    with exclusive(out_dir):
        marker = read_marker(out_dir)
        if marker and marker.get("exporter_version") == EXPORTER_VERSION and marker.get("source_key") == key:
            return out_dir
        staging = staging_dir(out_dir)
        try:
            cosines = _export(directory, staging, quantize)
            write_json(staging / MARKER_FILE, {
                "exporter_version": EXPORTER_VERSION, "source": str(directory), "source_key": key,
                "quantize": quantize, "min_cosine_vs_torch": min(cosines),
            })
            move_into_place(staging, out_dir)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return out_dir


def _export(source: Path, out_dir: Path, quantize: bool) -> List[float]:
    offline()
    import torch
    from transformers import AutoModel, AutoTokenizer

    # A local directory: nothing is looked up on the hub, whatever the environment says.
    tokenizer = AutoTokenizer.from_pretrained(source, use_fast=True, local_files_only=True)
    if not tokenizer.is_fast:
        raise ValueError(f"{source} has no fast tokenizer: word alignment needs offsets")
    model = AutoModel.from_pretrained(source, local_files_only=True).eval()

    class LastHiddenState(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask):
            return self.model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    sample = tokenizer(["你好，推荐一下"], return_tensors="pt")  # only traces the graph: any text will do
    plain = out_dir / ("model-fp32.onnx" if quantize else MODEL_FILE)
    dynamic = {0: "batch", 1: "sequence"}
    with torch.inference_mode():
        torch.onnx.export(
            LastHiddenState().eval(), (sample["input_ids"], sample["attention_mask"]), str(plain),
            input_names=["input_ids", "attention_mask"], output_names=["last_hidden_state"],
            dynamic_axes={"input_ids": dynamic, "attention_mask": dynamic, "last_hidden_state": dynamic},
            opset_version=OPSET, dynamo=False,
        )
    model.eval()  # the exporter restores the mode it found, which must never be training (dropout)
    if quantize:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        quantize_dynamic(str(plain), str(out_dir / MODEL_FILE), weight_type=QuantType.QInt8)
        plain.unlink()
    tokenizer.save_pretrained(out_dir)
    model.config.save_pretrained(out_dir)
    exported = load_tokenizer(out_dir, tokenizer.model_max_length if tokenizer.model_max_length < 10**6 else 512)
    for text in CHECK_SENTENCES:
        if exported.encode(text).ids != tokenizer(text)["input_ids"]:
            raise RuntimeError(f"the exported tokenizer of {source} splits {text!r} differently")
    cosines = _compare_with_torch(model, tokenizer, out_dir / MODEL_FILE, CHECK_SENTENCES)
    if min(cosines) < MIN_COSINE[quantize]:
        raise RuntimeError(f"the ONNX export of {source} disagrees with torch: cosine {min(cosines):.4f}")
    return cosines


def _compare_with_torch(model, tokenizer, onnx_file: Path, texts: Sequence[str]) -> List[float]:
    import onnxruntime
    import torch

    session = onnxruntime.InferenceSession(str(onnx_file), providers=["CPUExecutionProvider"])
    cosines = []
    for text in texts:
        batch = tokenizer(text, truncation=True, return_tensors="np")
        exported = session.run(None, {"input_ids": batch["input_ids"].astype(np.int64),
                                      "attention_mask": batch["attention_mask"].astype(np.int64)})[0][0]
        with torch.inference_mode():
            reference = model(input_ids=torch.from_numpy(batch["input_ids"]).long(),
                              attention_mask=torch.from_numpy(batch["attention_mask"]).long()
                              ).last_hidden_state[0].numpy()
        a, b = exported.mean(axis=0), reference.mean(axis=0)
        cosines.append(float(a @ b / max(np.linalg.norm(a) * np.linalg.norm(b), 1e-12)))
    return cosines

