"""Annotated entities fall on token boundaries of our tokenizer (else Rasa drops them)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.language.segmenter import Segmenter
from bot.nlu.jieba_tokenizer import ShopJiebaTokenizer

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def training_data() -> TrainingData:
    files = sorted((ROOT / "nlu_data" / "nlu").glob("*.yml"))
    return TrainingData().merge(*[load_data(str(path)) for path in files])


def misaligned(training_data: TrainingData, segmenter: Segmenter) -> list:
    found = []
    for message in training_data.entity_examples:
        text = message.get("text")
        pieces = segmenter.segment(text)
        starts, ends = {p.start for p in pieces}, {p.end for p in pieces}
        for entity in message.get("entities") or []:
            if entity["start"] not in starts or entity["end"] not in ends:
                found.append((text, text[entity["start"]:entity["end"]], [p.text for p in pieces]))
    return found


def test_no_training_entity_is_misaligned(training_data):
    config = {**ShopJiebaTokenizer.get_default_config(),
              "dictionary_files": [str(ROOT / "bot" / "language" / "data" / "shopping_words.txt")]}
    words = ShopJiebaTokenizer._configured_words(config)
    words |= ShopJiebaTokenizer._training_data_words(training_data)
    assert misaligned(training_data, Segmenter(words)) == []
