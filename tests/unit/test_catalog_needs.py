"""Needs in the customer's own words and the catalog tags they point to."""

import pytest

from bot.catalog.model import load_demo_catalog
from bot.catalog.needs import kinds_meeting_needs, needed_tags, needs_in

CATALOG = load_demo_catalog()


def kinds(text):
    return kinds_meeting_needs(text, CATALOG.categories_with_tags, CATALOG.categories())


@pytest.mark.parametrize("text, tags", [
    ("给我爸用 屏幕大一点", {"长辈", "大屏"}),
    ("每天挤地铁 太吵了", {"降噪"}),
    ("平时要游泳", {"防水"}),
    ("我是油皮", {"控油", "清洁", "氨基酸"}),
    ("ESIM独立通话", {"esim"}),  # folded, as the catalog's tags are compared
])
def test_needs_point_to_tags(text, tags):
    assert tags <= needed_tags(text)


@pytest.mark.parametrize("text", ["", "你好", "三百以内的"])
def test_words_that_name_no_need_point_to_no_tag(text):
    assert needed_tags(text) == frozenset()


def test_each_need_is_one_group_of_tags():
    needs = needs_in("她一用东西就过敏泛红 还要补水的")
    assert ("保湿",) in needs and any("敏感肌" in need for need in needs)
    assert len(needs_in("太吵了 有噪音")) == 1  # one need, said twice


@pytest.mark.parametrize("text, expected", [
    # the kind that meets the most needs: 出差 is met by many kinds, 零下 and 怕冻 by down jackets only
    ("下周去哈尔滨出差 零下二十几度 我一南方人怕冻成狗", ("羽绒服",)),
    ("男朋友周末都泡在篮球场 鞋底磨得都快穿了", ("篮球鞋",)),
    ("每天晚上绕小区跑个五公里 最近膝盖有点疼", ("跑步鞋",)),
    ("女儿三岁 天天在家拆家 想找点东西让她消停会儿", ("儿童玩具",)),
    # where the need is felt: 脸 wants a face product, though 熬夜 alone would want coffee
    ("最近老熬夜 脸又干又起皮 擦啥都刺刺的", ("洗面奶", "面霜")),
    ("最近老熬夜 困得不行", ("咖啡",)),
    ("脸一到下午就油得反光", ("洗面奶",)),
])
def test_a_need_told_as_a_plight_names_the_kinds_that_meet_it(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize("text", [
    "我要投诉", "冻干咖啡来一盒", "",
    # 老人 (大屏) is met by four kinds: a guess, not a reading
    "给家里老人买点东西",
])
def test_no_need_or_too_many_kinds_names_none(text):
    assert kinds(text) == ()


def test_only_the_catalogs_kinds_are_named():
    # a shop without face products: 脸 names nothing it sells
    assert kinds_meeting_needs("脸又干又起皮", lambda tags: ("洗发水",) if "保湿" in tags else (), ("洗发水",)) \
        == ("洗发水",)
