"""A child's age in words (bot/language/ages.py)."""

import pytest

from bot.language.ages import baby_age_in_months, child_age_in_months, suits_from_months


@pytest.mark.parametrize("text, months", [
    ("宝宝7个月", 7), ("刚满一岁", 12), ("一岁半", 18), ("半岁", 6), ("刚满月", 1), ("1岁2个月", 14),
    ("宝宝一岁零三个月", 15), ("十个月大", 10), ("一周岁", 12), ("孩子十三岁", 156), ("刚出生", 0),
])
def test_an_age_said_is_read_in_months(text, months):
    assert baby_age_in_months(text) == months


@pytest.mark.parametrize("text", ["3月份买的", "月底能到吗", "我妈60岁", "5月1号下的单"])
def test_dates_and_grown_ups_are_no_babys_age(text):
    assert baby_age_in_months(text) is None


def test_the_childs_age_is_the_latest_said_and_only_of_a_child():
    assert child_age_in_months("朋友家宝宝过周岁 想送个礼物 其实是十个月大") == 10
    assert child_age_in_months("两岁 不对 是一岁半") == 18
    assert child_age_in_months("1岁2个月的宝宝") == 14  # the months belong to the years
    assert child_age_in_months("耳机用了一个月就坏了") is None


def test_a_toys_age_comes_from_its_tags():
    assert suits_from_months(("积木", "1.5岁以上")) == 18
    assert suits_from_months(("学步", "6个月以上")) == 6
    assert suits_from_months(("降噪",)) is None


@pytest.mark.parametrize("text, months", [("孩子五岁 12月生日 想送个玩具", 60), ("宝宝是3月的", None),
                                          ("孩子二十个月", 20), ("孩子十九岁", 228), ("宝宝5月龄", 5)])
def test_a_birth_month_is_no_age_and_bigger_numbers_are_read_whole(text, months):
    assert child_age_in_months(text) == months
