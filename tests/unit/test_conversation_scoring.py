"""The conversation benchmark's reviewer: what passes and what fails a turn."""

from bench.conversation_benchmark import Context, Reply, judge
from bot.catalog.model import load_demo_catalog

CATALOG = list(load_demo_catalog())
EARPHONES = [p for p in CATALOG if p.category == "蓝牙耳机"]


def card(product):
    return {"id": product.id, "category": product.category, "brand": product.brand, "price": product.price,
            "colors": list(product.colors), "sizes": list(product.sizes), "stock": product.stock,
            "title": product.title}


def turn(**conditions):
    return {"user": "…", "expect": "cards", "conditions": {"categories": ["蓝牙耳机"], **conditions}}


def test_cards_within_every_condition_pass_and_one_outside_fails():
    cheap = [p for p in EARPHONES if p.price <= 300 and p.stock > 0]
    dear = next(p for p in EARPHONES if p.price > 300)
    assert judge(turn(price_max=300), Reply(cards={"products": [card(p) for p in cheap]}), Context(CATALOG)) == []
    failed = judge(turn(price_max=300), Reply(cards={"products": [card(dear)]}), Context(CATALOG))
    assert failed and "price" in failed[0]


def test_a_relaxed_budget_is_honest_only_when_nothing_matched():
    dear = next(p for p in EARPHONES if p.price > 300)
    relaxed = Reply(cards={"products": [card(dear)], "relaxed": ["budget"]})
    assert judge(turn(price_max=300), relaxed, Context(CATALOG))  # cheaper earphones exist
    assert judge({**turn(price_max=10), "relaxed_ok": ["budget"]}, relaxed, Context(CATALOG)) == []


def test_a_handoff_or_a_fallback_fails_any_other_outcome():
    queued = Reply(texts=["好的，正在为您转接人工客服，您是下一位。"])
    assert judge({"user": "…", "expect": "handoff"}, queued, Context(CATALOG)) == []
    assert judge({"user": "…", "expect": "answer", "topic": "shipping"}, queued, Context(CATALOG))
    confused = Reply(texts=["不好意思，我没太理解您的意思。可以换个说法吗？"])
    assert judge({"user": "…", "expect": "not_fallback"}, confused, Context(CATALOG))
