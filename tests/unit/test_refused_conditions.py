"""Conditions a message refuses, as the actions read them (actions/common.py)."""
import pytest
from rasa_sdk import Tracker

from actions.common import latest_entities, rejected_entities
from bot.catalog.vocabulary import adds_nothing_to


def tracker_for(text: str, entities: list) -> Tracker:
    return Tracker("c1", {}, {"text": text, "entities": entities, "intent": {"name": "inform_preference"}},
                   [], False, None, {}, "action_listen")


def brand_at(text: str, word: str, value: str, **marks) -> dict:
    start = text.rindex(word) if marks.get("last") else text.index(word)
    entity = {"entity": "brand", "value": value, "start": start, "end": start + len(word)}
    if marks.get("rejected"):
        entity["rejected"] = True
    return entity


@pytest.mark.parametrize("text, word, value", [
    ("太贵了 耐克也算了 换个国产的", "耐克", "耐克"),
    ("松鼠家的吃腻了 换个牌子", "松鼠", "三只松鼠"),
    ("李宁就算了", "李宁", "李宁"),
    ("换个牌子看看 欧莱雅用过了", "欧莱雅", "欧莱雅"),
])
def test_a_brand_let_go_by_the_words_after_it_is_refused(text, word, value):
    tracker = tracker_for(text, [brand_at(text, word, value)])
    assert rejected_entities(tracker) == {"brand": value}
    assert "brand" not in latest_entities(tracker)


def test_a_brand_said_and_refused_in_one_message_is_refused():
    text = "匡威撞鞋太多了 除了匡威都行"
    tracker = tracker_for(text, [brand_at(text, "匡威", "匡威"), brand_at(text, "匡威", "匡威", last=True, rejected=True)])
    assert rejected_entities(tracker) == {"brand": "匡威"}
    assert "brand" not in latest_entities(tracker)


def test_a_brand_wanted_stays_a_condition():
    text = "还是耐克的吧 算了不纠结了"
    tracker = tracker_for(text, [brand_at(text, "耐克", "耐克")])
    assert rejected_entities(tracker) == {}
    assert latest_entities(tracker) == {"brand": "耐克"}


def test_a_message_about_ones_orders_leaves_the_search_as_it_was():
    from actions.service import search_kept
    events = [{"event": "slot", "name": "product_category", "value": "跑鞋"},
              {"event": "user", "text": "顺便 我那单空军一号和羽绒服能取消不"},
              {"event": "slot", "name": "product_category", "value": "羽绒服"}]
    tracker = Tracker("c1", {"product_category": "羽绒服", "brand": None}, {"text": events[1]["text"], "entities": []},
                      events, False, None, {}, "action_listen")
    assert search_kept(tracker) == [{"event": "slot", "timestamp": None, "name": "product_category", "value": "跑鞋"}]


def test_a_brand_used_and_liked_stays_a_condition():
    text = "兰蔻用过了 挺好的 还要兰蔻"
    tracker = tracker_for(text, [brand_at(text, "兰蔻", "兰蔻")])
    assert rejected_entities(tracker) == {}


def kinds_in(text: str, *words: str) -> list:
    return [{"entity": "product_category", "value": word, "start": text.index(word),
             "end": text.index(word) + len(word)} for word in words]


def test_the_kind_named_beats_the_department_it_belongs_to():
    text = "他家牛仔裤也看下 男装的"
    assert latest_entities(tracker_for(text, kinds_in(text, "牛仔裤", "男装")))["product_category"] == "牛仔裤"
    other = "跑鞋算了 看看篮球鞋"  # neither covers the other: the last said wins
    assert latest_entities(tracker_for(other, kinds_in(other, "跑鞋", "篮球鞋")))["product_category"] == "篮球鞋"


def test_a_department_word_covers_the_kinds_in_it_and_no_kind_covers_itself():
    assert adds_nothing_to("男装", "牛仔裤") and not adds_nothing_to("牛仔裤", "男装")
    assert not adds_nothing_to("咖啡", "咖啡")


def test_a_word_the_catalog_sells_as_no_kind_adds_nothing_to_a_kind():
    assert adds_nothing_to("牛奶", "奶粉", "宝宝喝的奶粉 不是那种盒装") and not adds_nothing_to("奶粉", "牛奶", "不是那种")
    assert not adds_nothing_to("纸尿裤", "奶粉", "奶粉看完了 再看看")  # an unsold kind asked for next: said unsold
    text = "宝宝喝的奶粉 不是那种盒装牛奶哈"
    assert latest_entities(tracker_for(text, kinds_in(text, "奶粉", "牛奶")))["product_category"] == "奶粉"


def test_a_kind_refused_where_it_is_said_again_is_no_kind_searched():
    text = "女票护肤品都用专柜的我挑不来 护肤的别推 想送点别的"
    assert "product_category" not in latest_entities(tracker_for(text, kinds_in(text, "护肤品")))
    for narrower, text in (("耳机", "电子产品他都有了 就差个耳机"), ("洗面奶", "化妆品她不缺 洗面奶倒是用完了")):
        assert latest_entities(tracker_for(text, kinds_in(text, narrower)))["product_category"] == narrower
    kept = "护肤品推荐下 别太贵"
    assert latest_entities(tracker_for(kept, kinds_in(kept, "护肤品")))["product_category"] == "护肤品"


def test_a_kind_set_against_another_word_for_the_same_kinds_is_wanted():
    text = "四百以内的手环 不是手表哈"  # (the catalog sells both as smartwatches)
    assert latest_entities(tracker_for(text, kinds_in(text, "手环", "手表")))["product_category"] == "手环"


def test_a_kind_said_to_be_no_need_stays_refused():
    text = "耳机他有好几个了 耳机不是刚需 电子产品别推"
    assert "product_category" not in latest_entities(tracker_for(text, kinds_in(text, "耳机")))
