"""The knowledge base file's validation and the matcher's rules, with deterministic stand-in vectors."""

from __future__ import annotations

import textwrap

import numpy as np
import pytest

from bot.knowledge.faq import (
    DEFAULT_FAQ_FILE, TOPICS, KnowledgeBase, KnowledgeBaseError, KnowledgeMatcher,
)
from tests.support.hashed_embeddings import hashed_embed

VALID = textwrap.dedent("""\
    fallback: 这个问题我还不会，回复"转人工"找人工客服。
    entries:
      - id: shipping_free
        topic: shipping
        questions: [包邮吗, 运费多少钱]
        answer: 满 99 元包邮。
      - id: payment_invoice
        topic: payment
        questions: [能开发票吗]
        answer: 可以开电子发票。
      - id: promotion_coupons
        topic: promotion
        questions: [有优惠券吗]
        answer: 首页可以领券。
""")


def test_shipped_file_is_valid_and_covers_every_topic():
    kb = KnowledgeBase.load()
    assert kb.source == str(DEFAULT_FAQ_FILE)
    assert 30 <= len(kb) <= 60
    assert {entry.topic for entry in kb} == set(TOPICS)
    assert all(3 <= len(entry.questions) <= 10 for entry in kb)
    assert kb.fallback and kb.by_id("shipping_free") is not None


def test_load_from_a_path(tmp_path):
    path = tmp_path / "faq.yml"
    path.write_text(VALID, "utf-8")
    kb = KnowledgeBase.load(path)
    assert [entry.id for entry in kb] == ["shipping_free", "payment_invoice", "promotion_coupons"]
    assert kb.of_topic("shipping")[0].questions == ("包邮吗", "运费多少钱")


@pytest.mark.parametrize("broken,message", [
    (VALID.replace("topic: payment", "topic: money"), "entry 2 (id 'payment_invoice'): topic must be one of"),
    (VALID.replace("    answer: 首页可以领券。\n", ""), "entry 3 (id 'promotion_coupons'): missing answer"),
    (VALID.replace("answer: 可以开电子发票。", "anwser: 可以开电子发票。"), "entry 2: unknown field(s) anwser"),
    (VALID.replace("id: payment_invoice", "id: shipping_free"), "entry 2 (id 'shipping_free'): the id is already used"),
    (VALID.replace("[有优惠券吗]", "[包邮吗]"), "the question '包邮吗' is also in entry 1"),
    (VALID.replace("id: promotion_coupons", "id: 优惠券"), "entry 3: id must be lower-case"),
    (VALID.replace("questions: [能开发票吗]", "questions: 能开发票吗"), "entry 2 (id 'payment_invoice'): questions must be a list"),
    (VALID.replace("fallback: ", "fallback_text: "), "unknown top-level key"),
    ("entries: [\n", "is not valid YAML"),
    ("- just a list\n", "expected a mapping"),
])
def test_bad_files_name_the_entry_and_field(tmp_path, broken, message):
    path = tmp_path / "faq.yml"
    path.write_text(broken, "utf-8")
    with pytest.raises(KnowledgeBaseError) as error:
        KnowledgeBase.load(path)
    assert message in str(error.value)
    assert str(path) in str(error.value)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(KnowledgeBaseError, match="cannot read the knowledge base"):
        KnowledgeBase.load(tmp_path / "nope.yml")


def matcher(threshold: float = 0.9, **kwargs) -> KnowledgeMatcher:
    return KnowledgeMatcher(KnowledgeBase.from_yaml(VALID), hashed_embed, threshold=threshold, **kwargs)


def test_identical_text_matches_its_entry():
    match = matcher().match("运费多少钱")
    assert match is not None and match.entry.id == "shipping_free" and match.question == "运费多少钱"
    assert match.score == pytest.approx(1.0, abs=1e-5)
    assert match.to_dict()["answer"] == "满 99 元包邮。"


def test_traditional_characters_are_read_as_simplified():
    match = matcher().match("運費多少錢")
    assert match is not None and match.entry.id == "shipping_free" and match.score == pytest.approx(1.0, abs=1e-5)


def test_nothing_close_enough_matches_nothing():
    # Hashed vectors of different texts are nearly orthogonal: far below 0.9.
    assert matcher().match("今天天气怎么样") is None
    assert matcher().match("   ") is None


def test_threshold_is_respected():
    kb = KnowledgeBase.from_yaml(VALID)
    probe = "今天天气怎么样"
    best = float(KnowledgeMatcher(kb, hashed_embed, threshold=-1.0).scores(probe).max())
    lower = KnowledgeMatcher(kb, hashed_embed, threshold=best - 1e-4, non_faq_examples=())
    higher = KnowledgeMatcher(kb, hashed_embed, threshold=best + 1e-4, non_faq_examples=())
    assert lower.match(probe) is not None and higher.match(probe) is None


def test_topic_restricts_the_candidates_first():
    kb = KnowledgeBase.from_yaml(VALID)
    loose = KnowledgeMatcher(kb, hashed_embed, threshold=-1.0, non_faq_examples=())
    text = "能开发票吗"
    assert loose.match(text, topic="payment").entry.id == "payment_invoice"
    # With everything allowed, the topic decides which entry wins.
    assert loose.match(text, topic="promotion").entry.id == "promotion_coupons"


def test_topic_falls_back_to_all_topics_when_it_has_nothing_close():
    assert matcher().match("能开发票吗", topic="shipping").entry.id == "payment_invoice"
    assert matcher().match("能开发票吗", topic="other").entry.id == "payment_invoice"  # a topic without entries


def test_only_topic_never_falls_back_to_other_topics():
    assert matcher().match("能开发票吗", topic="shipping", only_topic=True) is None
    assert matcher().match("运费多少钱", topic="shipping", only_topic=True).entry.id == "shipping_free"


def test_unknown_topic_is_an_error():
    with pytest.raises(ValueError):
        matcher().match("包邮吗", topic="logistics")


def test_a_closer_non_faq_example_wins():
    # The same text as a non-FAQ example scores as high as the KB question: no answer.
    assert matcher(non_faq_examples=("包邮吗",)).match("包邮吗") is None
    assert matcher(non_faq_examples=()).match("包邮吗").entry.id == "shipping_free"


def test_questions_are_embedded_once_with_the_query_prefix():
    calls = []

    def counting_embed(texts, prefix):
        calls.append((len(texts), prefix))
        return hashed_embed(texts, prefix)

    kb = KnowledgeBase.from_yaml(VALID)
    m = KnowledgeMatcher(kb, counting_embed, non_faq_examples=())
    m.match("包邮吗")
    m.match("有优惠券吗")
    assert calls == [(4, "query: "), (1, "query: "), (1, "query: ")]


def test_embed_must_return_one_row_per_text():
    with pytest.raises(ValueError):
        KnowledgeMatcher(KnowledgeBase.from_yaml(VALID), lambda texts, prefix: np.zeros((1, 16), np.float32))


def test_the_entries_that_offer_to_carry_a_request_out_exist_and_say_so():
    from actions.service import OFFERS_AN_ORDER_REQUEST
    answers = {entry.id: entry.answer for entry in KnowledgeBase.load().entries}
    for entry_id in OFFERS_AN_ORDER_REQUEST:
        assert "告诉我是哪个订单" in answers[entry_id]  # the bot then waits for that order (actions/service.py)
