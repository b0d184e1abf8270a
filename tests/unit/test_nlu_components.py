"""Our tokenizer and featurizer through Rasa's component API, with a tiny local encoder."""

from __future__ import annotations

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.encoder.text_encoder import TextEncoder
from bot.nlu.jieba_tokenizer import ShopJiebaTokenizer
from bot.nlu.transformer_featurizer import TransformerWordFeaturizer
from tests.support.tiny_encoder import build_tiny_encoder

ODD_TEXTS = [
    "iPhone15和华为Mate60怎么选",
    "有没有300块的蓝牙耳机😊😊",
    "請問ＸＬ的T恤還有貨嗎？",
    "a\x00b\x1b[31m",
    "🙂",
    "买" * 600,  # longer than the tiny model's 128 positions
]


@pytest.fixture(scope="module")
def encoder(tmp_path_factory):
    directory = build_tiny_encoder(tmp_path_factory.mktemp("tiny"), ODD_TEXTS)
    with pytest.MonkeyPatch.context() as patch:
        # The ONNX exports of this throwaway model go with it, not into the user's cache.
        patch.setenv("SHOPBOT_CACHE", str(tmp_path_factory.mktemp("cache")))
        yield TextEncoder(str(directory), num_threads=1)


@pytest.fixture
def tokenizer(tmp_path):
    storage = LocalModelStorage(tmp_path)
    config = {**ShopJiebaTokenizer.get_default_config(), "dictionary_files": []}
    return ShopJiebaTokenizer.create(config, storage, Resource("tokenizer"),
                                     ExecutionContext(None, "test"))


def featurizer(encoder, **options):
    config = {**TransformerWordFeaturizer.get_default_config(), "text_prefix": "", **options}
    return TransformerWordFeaturizer(config, "featurizer", encoder=encoder)


def test_every_token_gets_a_vector_whatever_the_segmentation(tokenizer, encoder):
    messages = [Message(data={TEXT: text}) for text in ODD_TEXTS]
    tokenizer.process(messages)
    featurizer(encoder).process(messages)
    for message in messages:
        tokens = message.get(TOKENS_NAMES[TEXT])
        sequence, sentence = message.get_dense_features(TEXT)
        assert sequence.features.shape == (len(tokens), encoder.dim)
        assert sentence.features.shape == (1, encoder.dim)
    # Only the words cut off by truncation are left without a vector.
    short = messages[0].get_dense_features(TEXT)[0].features
    assert all(row.any() for row in short)
    long_tokens = messages[-1].get_dense_features(TEXT)[0].features
    assert long_tokens[0].any() and not long_tokens[-1].any()


def test_a_word_vector_is_the_mean_of_its_subword_vectors(encoder):
    text = "跑步鞋"
    one_word = encoder.encode([text], [[(0, 3)]])[0].word_vectors[0]
    per_char = encoder.encode([text], [[(0, 1), (1, 2), (2, 3)]])[0].word_vectors
    np.testing.assert_allclose(one_word, per_char.mean(axis=0), rtol=1e-5, atol=1e-6)


def test_cls_and_mean_pooling_differ(encoder):
    mean = encoder.encode(["推荐跑步鞋"], [[]], pooling="mean")[0].sentence_vector
    cls = encoder.encode(["推荐跑步鞋"], [[]], pooling="cls")[0].sentence_vector
    assert not np.allclose(mean, cls)


def test_trained_dictionary_includes_annotated_entities_and_is_persisted(tmp_path):
    storage = LocalModelStorage(tmp_path)
    resource = Resource("tokenizer")
    config = {**ShopJiebaTokenizer.get_default_config(), "dictionary_files": []}
    context = ExecutionContext(None, "test")
    tokenizer = ShopJiebaTokenizer.create(config, storage, resource, context)
    example = Message(data={
        TEXT: "想要一双踏浪鞋", "intent": "request_recommendation",
        "entities": [{"entity": "product_category", "start": 4, "end": 7, "value": "踏浪鞋"}],
    })
    tokenizer.train(TrainingData([example]))
    loaded = ShopJiebaTokenizer.load(config, storage, resource, context)
    message = Message(data={TEXT: "踏浪鞋有吗"})
    loaded.process([message])
    assert [t.text for t in message.get(TOKENS_NAMES[TEXT])][0] == "踏浪鞋"


def test_pooling_option_is_validated(encoder):
    from rasa.shared.exceptions import InvalidConfigException

    with pytest.raises(InvalidConfigException, match="pooling"):
        featurizer(encoder, pooling="max")


def test_quantized_encoder_gives_close_vectors_of_the_same_shape(encoder, tmp_path):
    quantized = TextEncoder(encoder.name, num_threads=1, quantize=True)
    texts = ["推荐一款三百以内的跑步鞋", "iPhone15和华为Mate60怎么选"]
    plain, small = encoder.embed(texts), quantized.embed(texts)
    assert small.shape == plain.shape
    assert (plain * small).sum(axis=1).min() > 0.9
    # The int8 export multiplies integers: it is not the float graph under another name.
    assert quantized.session.get_inputs()[0].name == "input_ids"
    assert "MatMulInteger" in _operators(quantized) and "MatMulInteger" not in _operators(encoder)


def _operators(encoder) -> set:
    import onnx

    return {node.op_type for node in onnx.load(encoder.model_file).graph.node}


def test_an_overlong_message_is_cut_to_its_ends_with_true_offsets(tokenizer):
    story = "上个月买的耳机坏了客服一直不回" * 1200 + "我要退款"
    message = Message(data={TEXT: story})
    tokenizer.process([message])
    tokens = message.get(TOKENS_NAMES[TEXT])
    assert len(tokens) == ShopJiebaTokenizer.get_default_config()["max_tokens"]
    assert tokens[-1].text == "退款" and tokens[-1].end == len(story)
    assert tokens[0].start == 0
    assert all(story[token.start:token.end] == token.text for token in tokens)


def test_the_training_cache_key_follows_our_segmentation_code_and_words(tmp_path, monkeypatch):
    words = tmp_path / "words.txt"
    words.write_text("蓝牙耳机\n", "utf-8")
    config = {**ShopJiebaTokenizer.get_default_config(), "dictionary_files": [str(words)]}
    before = ShopJiebaTokenizer.fingerprint_addon(config)
    assert ShopJiebaTokenizer.fingerprint_addon(config) == before
    words.write_text("蓝牙耳机\n降噪耳机\n", "utf-8")
    assert ShopJiebaTokenizer.fingerprint_addon(config) != before


def test_the_training_cache_key_takes_config_yml_keys_alone():
    # Rasa's training hook passes only the keys config.yml names: a retraining raised KeyError
    assert ShopJiebaTokenizer.fingerprint_addon({}) == \
        ShopJiebaTokenizer.fingerprint_addon(ShopJiebaTokenizer.get_default_config())
