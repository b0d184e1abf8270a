"""A tiny randomly initialised BERT with a character vocabulary, for fast tests.

Built locally (no hub): a WordPiece vocabulary of the characters in the given
texts plus ASCII, and a 2-layer 32-dimensional BertModel.
"""

from __future__ import annotations

import string
from pathlib import Path
from typing import Iterable


def build_tiny_encoder(directory: Path, texts: Iterable[str] = ()) -> Path:
    import torch
    from transformers import BertConfig, BertModel, BertTokenizerFast

    directory = Path(directory)
    marker = directory / "config.json"
    if marker.exists():
        return directory
    directory.mkdir(parents=True, exist_ok=True)
    chars = set(string.ascii_lowercase + string.digits + string.punctuation)
    for text in texts:
        chars.update(ch for ch in text.lower() if not ch.isspace())
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + sorted(chars)
    (directory / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tokenizer = BertTokenizerFast(vocab_file=str(directory / "vocab.txt"), do_lower_case=True,
                                  tokenize_chinese_chars=True, model_max_length=128)
    tokenizer.save_pretrained(directory)
    torch.manual_seed(0)
    config = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=64, max_position_embeddings=128)
    BertModel(config).save_pretrained(directory)
    return directory
