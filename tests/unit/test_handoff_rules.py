"""Working hours (one setting everywhere) and what a waiting customer's words mean."""

from __future__ import annotations

import calendar

import pytest

from bot.handoff import texts
from bot.handoff.wishes import wants_bot_again
from bot.knowledge.faq import KnowledgeBase
from bot.settings import ServiceHours, SettingsError


def shop_time(hour: int, minute: int = 0) -> float:
    """A unix time that is hour:minute in China (UTC+8) on 2026-12-01."""
    return calendar.timegm((2026, 12, 1, hour, minute, 0)) - 8 * 3600


@pytest.mark.parametrize("raw, text", [("09:00-22:00", "9:00–22:00"), ("8:30 – 21:45", "8:30–21:45")])
def test_service_hours_are_parsed_and_written_one_way(raw, text):
    assert ServiceHours.parse(raw).text == text


@pytest.mark.parametrize("raw", ["9-22", "25:00-26:00", "09:00", "morning-evening", "09:61-10:00"])
def test_malformed_service_hours_are_a_clear_error(raw):
    with pytest.raises(SettingsError, match="SERVICE_HOURS"):
        ServiceHours.parse(raw)


def test_open_and_closed_follow_shop_time_not_utc():
    hours = ServiceHours.parse("09:00-22:00")
    assert hours.is_open(shop_time(9, 0)) and hours.is_open(shop_time(21, 59))
    assert not hours.is_open(shop_time(22, 0)) and not hours.is_open(shop_time(8, 59))
    assert not hours.is_open(shop_time(3))
    overnight = ServiceHours.parse("20:00-02:00")
    assert overnight.is_open(shop_time(23)) and overnight.is_open(shop_time(1)) and not overnight.is_open(shop_time(12))
    assert ServiceHours.parse("00:00-24:00").is_open(shop_time(23, 59))


def test_every_text_about_hours_uses_the_one_setting():
    hours = ServiceHours.parse("10:00-19:30")
    knowledge = KnowledgeBase.load(hours=hours)
    answers = [knowledge.fallback] + [entry.answer for entry in knowledge.entries]
    mentioning = [answer for answer in answers if "人工客服" in answer and ":" in answer]
    assert mentioning and all("10:00–19:30" in answer for answer in mentioning)
    assert not any("{service_hours}" in answer or "9:00" in answer for answer in answers)
    assert "10:00–19:30" in texts.queued(1, hours) and "10:00–19:30" in texts.after_hours(hours)


@pytest.mark.parametrize("text", ["算了", "算了我自己看看，推荐个耳机", "不用了", "不用了谢谢", "不要人工了",
                                  "好吧，不等了", "取消转人工", "没事了", "我自己看看吧"])
def test_a_waiting_customer_can_change_their_mind(text):
    assert wants_bot_again(text)


@pytest.mark.parametrize("text", ["有人吗", "还要等多久", "快点", "我的订单不用了吗？", "不用了吗", "人工客服在吗",
                                  "这个算了多少钱", "", "   "])
def test_other_words_keep_the_customer_in_the_queue(text):
    assert not wants_bot_again(text)


def test_queue_texts_count_the_people_ahead():
    hours = ServiceHours()
    assert "您是下一位" in texts.queued(1, hours) and "前面还有 2 位" in texts.queued(3, hours)
    assert "前面还有 4 位" in texts.still_waiting(5)
    assert texts.still_waiting(2, "嗯嗯 谢谢").startswith("不客气～")
    assert texts.still_waiting(2, "好 我等着").startswith("好的～")
    assert texts.still_waiting(2, "还要多久").startswith("您正在排队")


@pytest.mark.parametrize("said, courtesy", [
    ("好的谢谢", True), ("嗯", True), ("收到～", True), ("谢谢啦", True),
    ("好的 我想问下退款", False), ("订单DD123 帮我看下", False), ("", False),
])
def test_courtesy_alone_is_nothing_to_leave_for_a_person(said, courtesy):
    assert texts.only_courtesy(said) is courtesy



@pytest.mark.parametrize("said, about_it", [
    ("有人吗", True), ("还要多久", True), ("快点", True), ("好的 谢谢", True), ("等了半天了", True), ("转人工", True),
    ("等了10分钟了", True), ("怎么这么慢", True), ("什么破服务 烦死了", True), ("快递一周了还没到", True), ("/request_human", True),
    ("我的订单到哪了", False), ("羽绒服能机洗吗", False), ("退款多久到账", False),
    ("还有没有别的牌子的正红色 三百以内", False),
])
def test_only_words_about_the_wait_are_answered_with_the_queue(said, about_it):
    from bot.channels.conversation_gate import about_the_wait

    assert about_the_wait(said) is about_it
