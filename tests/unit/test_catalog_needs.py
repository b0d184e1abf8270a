"""Needs in the customer's own words and the catalog tags they point to."""

import pytest

from bot.catalog.needs import needed_tags, needs_in


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
