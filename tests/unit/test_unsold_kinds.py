"""Kinds of product the shop does not sell (bot/catalog/common_kinds.yml): told apart from the kinds it sells."""
import pytest

from bot.catalog.vocabulary import is_accessory, unsold_brand_in, unsold_kind_in
from bot.dialogue.conditions import kind_not_sold


@pytest.mark.parametrize("text, kind", [
    ("有充电宝吗", "充电宝"), ("想买个手机壳 要苹果的", "手机壳"), ("你们卖不卖洗衣机", "洗衣机"),
    ("有卖数据线的吗", "数据线"), ("跑步机有吗", "跑步机"), ("买个咖啡机", "咖啡机"), ("想看看纸尿裤", "纸尿裤"),
])
def test_a_kind_the_shop_does_not_sell_is_named(text, kind):
    assert unsold_kind_in(text) == kind


@pytest.mark.parametrize("text", [
    "手机和充电宝",          # a kind sold beside it: the search shows what is sold
    "不要充电宝 看看手机",    # refused
    "有饮料吗",              # a coffee drink's title holds the word: sold
    "潘婷乳液修护的有吗",     # a shampoo's name, no lotion
    "想看看咖啡", "耳机", "跑步鞋",
])
def test_kinds_sold_or_refused_are_none(text):
    assert unsold_kind_in(text) is None


def test_accessories_are_told_from_kinds():
    assert is_accessory("充电器") and is_accessory("表带")
    assert not is_accessory("冰箱")


def test_the_reply_names_what_the_shop_sells():
    reply = kind_not_sold("充电宝")
    assert "没有卖充电宝" in reply and "手机" in reply and "跑步鞋" in reply and "哪一类" in reply


@pytest.mark.parametrize("text, brand", [
    ("有没有戴森的", "戴森"), ("大疆无人机有吗", "大疆"),
    ("不要戴森 要小米", None), ("耐克和新百伦的鞋", None),  # refused; a sold brand beside it
    ("挺美的", None),  # 美的 is left out of the list: it is in too many words
])
def test_a_brand_the_shop_does_not_sell_is_named(text, brand):
    assert unsold_brand_in(text) == brand
