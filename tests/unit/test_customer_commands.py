"""The words of the customer's commands (bot/dialogue/commands.py): alerts, personalising, not orders."""

import pytest

from bot.dialogue.commands import CANCELS_ALERTS, LISTS_ALERTS, RESUMES_PERSONALISING, STOPS_PERSONALISING


@pytest.mark.parametrize("text, cancels", [
    ("退订降价提醒", True), ("提醒都不要了 全部取消", True), ("把降价通知关了", True), ("把上新的那个取消了", True),
    ("取消降价那个", True), ("那个提醒别发了", True),
    # an order cancelled is no alert cancelled
    ("取消订单", False), ("取消订单还没到货的那个", False), ("帮我取消还没到货的订单", False), ("取消到货的那单", False),
    ("提醒我一下", False),
])
def test_cancelling_alerts(text, cancels):
    assert bool(CANCELS_ALERTS.search(text)) is cancels


@pytest.mark.parametrize("text, lists", [
    ("看看我的降价提醒", True), ("我订阅了啥", True), ("我一共设了几个提醒", True), ("我的订单到哪了", False),
])
def test_listing_alerts(text, lists):
    assert bool(LISTS_ALERTS.search(text)) is lists


@pytest.mark.parametrize("text, stops, resumes", [
    ("以后别根据我买过的东西推荐了", True, False), ("关闭个性化推荐", True, False), ("别根据我的浏览记录推荐了", True, False),
    ("打开个性化推荐", False, True), ("恢复个性化推荐吧", False, True), ("别推荐了", False, False), ("推荐个手机", False, False),
])
def test_personalising_off_and_on(text, stops, resumes):
    assert bool(STOPS_PERSONALISING.search(text)) is stops and bool(RESUMES_PERSONALISING.search(text)) is resumes


@pytest.mark.parametrize("text", ["另外别老根据我看过的给我推手机了 首页全是手机", "我不想你们根据我买过的东西给我推荐",
                                  "对了 别按我搜过的东西给我推荐了"])
def test_personalising_refused_in_passing(text):
    assert STOPS_PERSONALISING.search(text)
