"""The conversation benchmark's reviewer: what passes and what fails a turn."""

import pytest
import yaml

from bench.conversation_benchmark import ASKS, SETS, Context, Reply, holds_tag, judge, matching, product_row
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
    # a reviewer who allows relaxing it may name the budget by its condition's key
    assert judge({**turn(price_max=300), "relaxed_ok": ["price_max"]}, relaxed, Context(CATALOG)) == []
    assert judge({**turn(price_max=300), "relaxed_ok": ["brand"]}, relaxed, Context(CATALOG))


def test_a_handoff_or_a_fallback_fails_any_other_outcome():
    queued = Reply(texts=["好的，正在为您转接人工客服，您是下一位。"])
    assert judge({"user": "…", "expect": "handoff"}, queued, Context(CATALOG)) == []
    assert judge({"user": "…", "expect": "answer", "topic": "shipping"}, queued, Context(CATALOG))
    confused = Reply(texts=["不好意思，我没太理解您的意思。可以换个说法吗？"])
    assert judge({"user": "…", "expect": "not_fallback"}, confused, Context(CATALOG))


@pytest.mark.parametrize("name", sorted(SETS))
def test_every_set_asks_only_for_outcomes_the_reviewer_knows_and_products_the_catalog_has(name):
    conversations = yaml.safe_load(SETS[name][0].read_text("utf-8"))["conversations"]
    known = {"cards", "handoff", "answer", "not_fallback", *ASKS}
    assert len({c["id"] for c in conversations}) == len(conversations)
    for conversation in conversations:
        for number, said in enumerate(conversation["turns"], 1):
            where = f"{conversation['id']} turn {number}"
            outcomes = said.get("expect") or "not_fallback"
            assert set(outcomes if isinstance(outcomes, list) else [outcomes]) <= known, where
            if "cards" in outcomes and not said.get("relaxed_ok"):
                # a reviewer can only ask for what some product in stock satisfies
                assert matching(CATALOG, said.get("conditions") or {}), where


def test_the_queue_status_after_an_expected_handoff_is_no_new_handoff():
    queued = Reply(texts=["不客气～您正在排队等待人工客服，您是下一位，请稍候。"])
    thanks = {"user": "谢谢", "expect": "answer", "topic": "thank"}
    assert judge(thanks, queued, Context(CATALOG, handed_off=True)) == []
    assert judge(thanks, queued, Context(CATALOG)) != []  # without an expected handoff before, it is one


def _cards(*products):
    return Reply(texts=["为你挑了这几款："], cards={"type": "product_cards", "products": [product_row(p) for p in products]})


def test_all_shown_is_honest_only_when_every_matching_product_was_shown():
    conditions = {"categories": ["洗发水"]}
    shampoos = matching(CATALOG, conditions)
    turn = {"user": "还有别的吗", "expect": "cards", "conditions": conditions}
    said = Reply(texts=["符合您条件的商品都给您看过了😊"])
    assert judge(turn, said, Context(CATALOG, shown_before={p.id for p in shampoos})) == []
    assert judge(turn, said, Context(CATALOG, shown_before={p.id for p in shampoos[:-1]}))


def test_others_without_the_wanted_attribute_pass_only_when_every_one_with_it_was_shown_and_the_reply_says_so():
    conditions = {"categories": ["洗发水"], "tags": ["去屑"]}
    with_tag = [p for p in matching(CATALOG, conditions) if holds_tag(product_row(p), "去屑")]
    without = [p for p in matching(CATALOG, conditions) if not holds_tag(product_row(p), "去屑")][:2]
    turn = {"user": "换几款看看", "expect": "cards", "conditions": conditions}
    honest = _cards(*without)
    honest.texts = ["去屑的就是刚才那几款了，这几款也可以看看："]
    assert judge(turn, honest, Context(CATALOG, shown_before={p.id for p in with_tag})) == []
    assert judge(turn, _cards(*without), Context(CATALOG, shown_before={p.id for p in with_tag}))
    assert judge(turn, honest, Context(CATALOG, shown_before={p.id for p in with_tag[1:]}))


def test_a_tag_written_as_one_word_is_that_word_not_its_characters():
    conditions = {"categories": ["洗发水"], "tags": "去屑"}
    with_tag = [p for p in matching(CATALOG, conditions) if holds_tag(product_row(p), "去屑")]
    without = [p for p in matching(CATALOG, conditions) if not holds_tag(product_row(p), "去屑")]
    turn = {"user": "要去屑的", "expect": "cards", "conditions": conditions}
    assert judge(turn, _cards(with_tag[0]), Context(CATALOG)) == []
    assert judge(turn, _cards(*without[:2]), Context(CATALOG)) == [
        f"cards: no card is 去屑 although {len(with_tag)} matching products are"]


def test_relaxing_after_saying_every_match_was_shown_is_honest_only_when_true():
    conditions = {"categories": ["跑步鞋"], "size": "43", "price_max": 500}
    shoes = matching(CATALOG, conditions)
    others = [p for p in CATALOG if p.category == "跑步鞋" and p not in shoes][:1]
    relaxed = _cards(*others)
    relaxed.cards["relaxed"] = ["size", "budget"]
    relaxed.texts = ["符合您全部条件的就是刚才那几款了。放宽了尺码、预算，这几款最接近："]
    turn = {"user": "有没有其他牌子的", "expect": "cards", "conditions": conditions}
    assert judge(turn, relaxed, Context(CATALOG, shown_before={p.id for p in shoes})) == []
    assert judge(turn, relaxed, Context(CATALOG, shown_before={p.id for p in shoes[1:]}))
