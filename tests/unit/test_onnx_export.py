"""The ONNX export cache: built once, rebuilt when the source model changes, refused clearly."""

from __future__ import annotations

import os

import numpy as np
import pytest

from bot.encoder.onnx_export import MODEL_FILE, ensure_onnx_model, load_tokenizer
from tests.support.tiny_encoder import build_tiny_encoder


@pytest.fixture
def tiny(tmp_path, monkeypatch):
    monkeypatch.setenv("SHOPBOT_CACHE", str(tmp_path / "cache"))
    return build_tiny_encoder(tmp_path / "tiny", ["推荐一款跑步鞋"])


def test_an_export_is_reused_until_the_source_model_changes(tiny):
    first = ensure_onnx_model(str(tiny), quantize=False)
    built = (first / MODEL_FILE).stat().st_mtime_ns
    assert ensure_onnx_model(str(tiny), quantize=False) == first
    assert (first / MODEL_FILE).stat().st_mtime_ns == built  # not exported again

    weights = next(tiny.glob("model.*"))
    os.utime(weights, ns=(built + 10**9, built + 10**9))  # the shop replaced its model
    second = ensure_onnx_model(str(tiny), quantize=False)
    assert second != first and (second / MODEL_FILE).is_file()


def test_the_exported_tokenizer_pads_truncates_and_keeps_offsets(tiny):
    exported = ensure_onnx_model(str(tiny), quantize=False)
    tokenizer = load_tokenizer(exported, max_length=8)
    short, long = tokenizer.encode_batch(["跑步鞋", "推荐一款跑步鞋推荐一款跑步鞋"])
    assert len(short.ids) == len(long.ids) == 8
    assert short.attention_mask.count(1) == 5  # [CLS] 跑 步 鞋 [SEP]
    assert short.offsets[1:4] == [(0, 1), (1, 2), (2, 3)]
    assert np.array(long.special_tokens_mask)[[0, -1]].tolist() == [1, 1]


def test_an_unknown_model_name_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    with pytest.raises(ValueError, match="cannot load the text encoder 'no-such/model'"):
        ensure_onnx_model("no-such/model", quantize=True)
