"""bot.encoder.fine_tune on a tiny BERT built here: the output loads and its embeddings moved."""

from __future__ import annotations

import json
import string
from pathlib import Path

import numpy as np
import pytest

from bot.encoder.build_cache import MARKER_FILE
from bot.encoder.spec import SPEC_FILE, resolve_spec

NLU = """version: "3.1"
nlu:
- intent: ask_shipping_policy
  examples: |
    - 包邮吗
    - 几天发货
    - 多久能到
    - 发什么快递
- intent: ask_payment
  examples: |
    - 能用花呗吗
    - 可以用微信付款吗
    - 支持支付宝吗
    - 能分期吗
- intent: request_recommendation
  examples: |
    - 推荐一款[跑步鞋](product_category)
    - 帮我推荐个[手机](product_category)
    - 有适合送女朋友的吗
    - 想买双鞋
"""
TEXTS = ["包邮吗", "能用花呗吗", "推荐一款跑步鞋", "几天到"]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    root = tmp_path_factory.mktemp("fine-tune")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SHOPBOT_CACHE", str(root / "cache"))
        patch.setenv("HF_HUB_OFFLINE", "1")
        patch.setenv("HF_HOME", str(root / "hf"))
        patch.delenv("ENCODER_FAQ_THRESHOLD", raising=False)
        yield root


@pytest.fixture(scope="module")
def tiny_bert(workspace) -> Path:
    import torch
    from transformers import BertConfig, BertModel, BertTokenizerFast

    directory = workspace / "tiny-bert"
    directory.mkdir()
    characters = sorted({ch for ch in NLU + "".join(TEXTS) if not ch.isspace() and not ch.isascii()})
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + characters + list(string.ascii_letters + ":")
    (directory / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    BertTokenizerFast(vocab_file=str(directory / "vocab.txt"), do_lower_case=False, tokenize_chinese_chars=True,
                      model_max_length=64).save_pretrained(directory)
    torch.manual_seed(0)
    config = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=64)
    BertModel(config).save_pretrained(directory)
    # A spec as a shop writes it next to its model: a prefix, CLS pooling and a calibrated threshold.
    (directory / SPEC_FILE).write_text(json.dumps({"query_prefix": "q:", "pooling": "cls", "faq_threshold": 0.9}),
                                       encoding="utf-8")
    (workspace / "nlu").mkdir()
    (workspace / "nlu" / "nlu.yml").write_text(NLU, encoding="utf-8")
    return directory


def _vectors(directory: Path, texts) -> np.ndarray:
    import torch
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(directory, local_files_only=True)
    model = AutoModel.from_pretrained(directory, local_files_only=True).eval()
    batch = tokenizer(["q:" + t for t in texts], padding=True, return_tensors="pt")
    with torch.inference_mode():
        return model(**batch).last_hidden_state[:, 0].numpy()


@pytest.mark.parametrize("objective", ["classify", "supcon"])
def test_the_tuned_directory_loads_and_its_embeddings_moved(tiny_bert, workspace, objective):
    from bot.encoder.fine_tune import RECORD_FILE, Options, fine_tune

    out = workspace / f"tuned-{objective}"
    options = Options(base=str(tiny_bert), data=(str(workspace / "nlu"),), objective=objective, epochs=2,
                      batch_size=8, max_length=16, learning_rate=1e-3, seed=1, threads=1, freeze_layers=1)
    result = fine_tune(out, options, log=lambda _: None)
    assert not result.reused and result.steps == result.planned_steps == 4
    assert result.examples == 12 and result.intents == 3
    assert (out / MARKER_FILE).is_file() and (out / "config.json").is_file()

    before, after = _vectors(tiny_bert, TEXTS), _vectors(out, TEXTS)
    assert after.shape == before.shape == (len(TEXTS), 32)
    assert not np.allclose(before, after, atol=1e-4)
    # The embeddings and the lowest layer stayed frozen; the layer above them trained.
    from safetensors.numpy import load_file

    base_weights = load_file(str(tiny_bert / "model.safetensors"))
    tuned_weights = load_file(str(out / "model.safetensors"))
    for name in ("embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight",
                 "encoder.layer.0.attention.self.query.weight"):
        np.testing.assert_array_equal(base_weights[name], tuned_weights[name])
    assert not np.allclose(base_weights["encoder.layer.1.attention.self.query.weight"],
                           tuned_weights["encoder.layer.1.attention.self.query.weight"])

    # The base model's prefixes and pooling, but not its FAQ threshold: nobody calibrated the tuned weights.
    spec = resolve_spec(str(out))
    assert (spec.query_prefix, spec.pooling, spec.faq_threshold) == ("q:", "cls", None)
    record = json.loads((out / RECORD_FILE).read_text(encoding="utf-8"))
    assert record["steps"] == 4 and record["options"]["objective"] == objective

    # Same data and options: the directory is reused, not trained again.
    again = fine_tune(out, options, log=lambda _: None)
    assert again.reused and again.steps == 4


def test_runs_are_deterministic(tiny_bert, workspace):
    from bot.encoder.fine_tune import Options, fine_tune

    options = Options(base=str(tiny_bert), data=(str(workspace / "nlu"),), epochs=1, batch_size=4,
                      max_length=16, learning_rate=1e-3, seed=5, threads=1, freeze_layers=0)
    first = fine_tune(workspace / "a", options, log=lambda _: None)
    second = fine_tune(workspace / "b", options, log=lambda _: None)
    assert first.losses == second.losses
    np.testing.assert_array_equal(_vectors(workspace / "a", TEXTS), _vectors(workspace / "b", TEXTS))


def test_the_command_line_prints_the_time(tiny_bert, workspace, capsys):
    from bot.encoder.fine_tune import main

    out = workspace / "cli"
    assert main(["--out", str(out), "--base", str(tiny_bert), "--data", str(workspace / "nlu"), "--epochs", "1",
                 "--batch-size", "6", "--max-length", "16", "--threads", "1", "--seconds-budget", "60",
                 "--onnx", "fp32", "--freeze-layers", "0"]) == 0
    printed = capsys.readouterr().out
    assert str(out) in printed and "2/2 steps" in printed and "CPU" in printed and "onnx_export" in printed
    from bot.encoder.onnx_export import MODEL_FILE, ensure_onnx_model

    assert (ensure_onnx_model(str(out), quantize=False) / MODEL_FILE).is_file()  # already there, not rebuilt


def test_a_budget_already_spent_stops_training_early_but_saves_a_model(tiny_bert, workspace):
    from bot.encoder.fine_tune import PACE_FROM_STEP, Options, fine_tune

    out = workspace / "hurried"
    result = fine_tune(out, Options(base=str(tiny_bert), data=(str(workspace / "nlu"),), epochs=1, batch_size=1,
                                    max_length=16, threads=1, freeze_layers=0, seconds_budget=0.001),
                       log=lambda _: None)
    assert result.planned_steps == 12 and result.steps == 2 * PACE_FROM_STEP and result.budget_bound
    assert _vectors(out, TEXTS).shape == (len(TEXTS), 32)
    assert json.loads((out / "fine_tune.json").read_text(encoding="utf-8"))["budget_bound"] is True


def test_freezing_every_layer_is_refused(tiny_bert, workspace):
    from bot.encoder.fine_tune import Options, fine_tune

    with pytest.raises(ValueError, match="leaves nothing to tune"):
        fine_tune(workspace / "frozen", Options(base=str(tiny_bert), data=(str(workspace / "nlu"),), threads=1,
                                                freeze_layers=2), log=lambda _: None)
    assert not (workspace / "frozen" / "config.json").exists()


def test_split_keeps_every_intent_on_both_sides():
    from bot.encoder.fine_tune import stratified_split

    examples = [(f"t{i}", "a") for i in range(10)] + [(f"u{i}", "b") for i in range(3)] + [("v", "c")]
    train, held = stratified_split(examples, 0.2, seed=0)
    assert sorted(train + held) == sorted(examples)
    assert {i for _, i in held} == {"a", "b"} and {i for _, i in train} == {"a", "b", "c"}
    assert len([e for e in held if e[1] == "a"]) == 2


def test_the_featurizers_encoder_takes_the_directory(tiny_bert, workspace):
    """What config.yml's ``model: <dir>`` does: export to ONNX, follow the written spec."""
    from bot.encoder.fine_tune import Options, fine_tune
    from bot.encoder.text_encoder import TextEncoder

    out = workspace / "served"
    fine_tune(out, Options(base=str(tiny_bert), data=(str(workspace / "nlu"),), epochs=1, batch_size=6,
                           max_length=16, learning_rate=1e-3, threads=1, freeze_layers=0), log=lambda _: None)
    encoder = TextEncoder(str(out), num_threads=1)
    assert (encoder.spec.query_prefix, encoder.spec.pooling) == ("q:", "cls")
    vectors = encoder.embed(TEXTS)
    expected = _vectors(out, TEXTS)
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)
    np.testing.assert_allclose(vectors, expected, atol=1e-4)


def _featurizer_messages(texts):
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.message import Message

    from bot.nlu.jieba_tokenizer import ShopJiebaTokenizer

    tokenizer = ShopJiebaTokenizer({**ShopJiebaTokenizer.get_default_config(), "dictionary_files": []}, None, None)
    messages = [Message(data={TEXT: text}) for text in texts]
    tokenizer.process(messages)
    return messages


def _sentence_vectors(featurizer, texts) -> np.ndarray:
    from rasa.shared.nlu.constants import TEXT

    messages = featurizer.process(_featurizer_messages(texts))
    return np.concatenate([m.get_dense_features(TEXT)[1].features for m in messages])


def test_the_featurizer_fine_tunes_while_training_and_the_model_carries_the_encoder(tiny_bert, workspace, tmp_path):
    """``fine_tune: true``: rasa train tunes the encoder, stores its export, and loading serves that export."""
    from rasa.engine.graph import ExecutionContext
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.exceptions import InvalidConfigException
    from rasa.shared.nlu.training_data.loading import load_data

    from bot.nlu.transformer_featurizer import TUNED_ENCODER_DIR, TransformerWordFeaturizer

    storage, context = LocalModelStorage(tmp_path), ExecutionContext(None, "test")
    base = {**TransformerWordFeaturizer.get_default_config(), "model": str(tiny_bert), "num_threads": 1}
    tuned = {**base, "fine_tune": True, "fine_tune_freeze_layers": 0, "fine_tune_epochs": 3}
    resource = Resource("featurizer")
    trainer = TransformerWordFeaturizer.create(tuned, storage, resource, context)
    assert trainer._encoder is None  # training loads no untuned encoder it would throw away
    assert (trainer.text_prefix, trainer.pooling) == ("q:", "cls")
    trainer.train(load_data(str(workspace / "nlu" / "nlu.yml")))
    assert (tmp_path / "featurizer" / TUNED_ENCODER_DIR / "model.onnx").is_file()

    served = TransformerWordFeaturizer.load(tuned, storage, resource, context)
    untuned = TransformerWordFeaturizer.create(base, storage, Resource("other"), context)
    assert (served.text_prefix, served.pooling) == ("q:", "cls")  # the base model's spec still applies
    tuned_vectors, base_vectors = _sentence_vectors(served, TEXTS), _sentence_vectors(untuned, TEXTS)
    assert tuned_vectors.shape == base_vectors.shape
    assert not np.allclose(tuned_vectors, base_vectors, atol=1e-3)
    # What training featurised is what serving features: the same stored export.
    np.testing.assert_allclose(_sentence_vectors(trainer, TEXTS), tuned_vectors, atol=1e-6)

    # A model trained with fine_tune but holding no tuned encoder is refused, not served with other features.
    with pytest.raises(InvalidConfigException, match="no tuned encoder"):
        TransformerWordFeaturizer.load(tuned, storage, Resource("never-trained"), context)
    # Without fine_tune, training stores nothing and the shared encoder serves.
    plain = TransformerWordFeaturizer.create(base, storage, Resource("plain"), context)
    plain.train(load_data(str(workspace / "nlu" / "nlu.yml")))
    np.testing.assert_allclose(
        _sentence_vectors(TransformerWordFeaturizer.load(base, storage, Resource("plain"), context), TEXTS),
        base_vectors, atol=1e-6)
