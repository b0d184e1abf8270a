"""Finding and masking personal data in what shoppers write (bot/language/personal_data.py, masking.py)."""

from __future__ import annotations

import logging

import pytest

from bot.language.masking import mask_data, mask_text
from bot.language.personal_data import find_personal_data, id_check_digit_ok, luhn_ok
from bot.privacy.logs import mask_log_records
from bot.privacy.requests import CONFIRMS, DECLINES, confirms as confirms_request, privacy_request


def kinds(text):
    return [(found.kind, found.value) for found in find_personal_data(text)]


@pytest.mark.parametrize("text, expected", [
    ("手机号码换成 186 2211 4093 了", "手机号码换成 186****4093 了"),
    ("有事打+86-15900001111", "有事打+86-159****1111"),
    ("公司座机（0571）8812 3456，白天有人", "公司座机057*******56，白天有人"),
    ("发票请发 linmei.work@163.com", "发票请发 l***@163.com"),
    ("收货人：欧阳小雨，别写错了", "收货人：欧***，别写错了"),
    ("寄到广东省广州市天河区体育西路191号中石化大厦B座2106吧", "寄到广东省广州市天河区****吧"),
])
def test_what_a_customer_writes_is_masked_the_way_shops_show_it(text, expected):
    assert mask_text(text) == expected


def test_id_numbers_and_cards_need_their_check_digits():
    assert id_check_digit_ok("11010519491231002X") and not id_check_digit_ok("110105194912310021")
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")
    assert kinds("身份证11010519491231002X") == [("id_card", "11010519491231002X")]
    assert kinds("订单号110105194912310021到哪了") == []  # an 18-digit order number, not an ID
    assert kinds("卡号 4111 1111 1111 1111") == [("bank_card", "4111 1111 1111 1111")]
    assert kinds("运单号 4111111111111112") == []


@pytest.mark.parametrize("text", [
    "预算2000以内的耳机有吗", "WH-1000XM5 和 AirPods Pro 2 哪个好", "订单202411150012345678什么时候发",
    "绑定 482913", "我在杭州西湖区，能到店自提吗", "SF1402938475612 到哪了", "尺码42，身高175体重65",
    "给我老婆买生日礼物", "李宁的跑鞋有吗", "双11 0点付的定金",
])
def test_ordinary_shopping_messages_are_left_alone(text):
    assert mask_text(text) == text


def test_masking_twice_changes_nothing_and_reaches_into_structures():
    once = mask_text("收件人张伟 13800138000 北京市海淀区中关村大街1号")
    assert "13800138000" not in once and "张伟" not in once and mask_text(once) == once
    masked = mask_data({"text": "电话13800138000", "items": ["13800138000", 3], "n": 1.5})
    assert masked == {"text": "电话138****8000", "items": ["138****8000", 3], "n": 1.5}


def test_log_records_are_masked_whatever_logger_makes_them(caplog):
    mask_log_records()
    with caplog.at_level(logging.INFO):
        logging.getLogger("rasa.core.processor").info("Received user message '%s'", "我电话13912345678")
    assert "139****5678" in caplog.text and "13912345678" not in caplog.text


@pytest.mark.parametrize("text, kind", [
    ("请删除我的所有聊天记录和个人数据", "erase"), ("把我的信息都清除掉", "erase"), ("注销并删除我的资料", "erase"),
    ("我想导出我的个人数据", "export"), ("能给我一份我的聊天记录副本吗", "export"),
    ("删除购物车里的耳机", None), ("我的订单信息不对", None), ("有没有500以内的耳机", None),
    ("还有我存的收货地址也删掉", "erase"), ("把订单地址删掉换一个", None),
    ("收货地址也别留着", "erase"), ("地址别留错了", None), ("怎么注销账号", "erase"), ("我的账号登不上", None),
    ("以前存的也清掉", "erase"), ("之前记的都删了吧", "erase"),
    ("这个聊天会被录下来？？马上删了 我不同意", "erase"), ("购物车里的马上删了", None), ("马上删了那个提醒", None),
    ("把我账号里的个人信息全删了吧 订单 地址 手机号都删", "erase"), ("删掉我的订单记录", None),
    # asked, not ordered: what erasure leaves, orders gone missing, a closure put off
    ("删了数据订单还在吗", None), ("我的订单数据怎么被删除了 一个都找不到", None), ("订单数据清空了吗 怎么看不到了", None),
    ("删除订单会删掉我的个人信息吗", None), ("不注销的话我的数据会一直存着吗", None),
])
def test_privacy_requests_are_recognised_from_plain_words(text, kind):
    assert privacy_request(text) == kind


@pytest.mark.parametrize("answer, confirms", [
    ("确认删除", True), ("确认导出", True), ("好的", True), ("嗯", True), ("是", True),
    ("算了不删了", False), ("不要", False), ("取消", False), ("你们几点发货", False), ("", False),
])
def test_only_a_clear_yes_confirms(answer, confirms):
    assert bool(answer.strip() and CONFIRMS.match(answer) and not DECLINES.match(answer)) == confirms


@pytest.mark.parametrize("answer, pending, confirms", [
    ("嗯 导吧", "export", True), ("好的删吧", "erase", True), ("对 就那个 删", "erase", True), ("清吧", "erase", True),
    ("好 那就导出", "export", True), ("可以 导出来", "export", True), ("确定 删", "erase", True),
    ("好 那就导出", "erase", False), ("删吧 顺便推荐个耳机", "erase", False), ("导出来发我邮箱", "export", False),
])
def test_a_short_yes_or_the_deed_named_confirms_only_its_own_request(answer, pending, confirms):
    assert (confirms_request(answer, pending) and not DECLINES.match(answer)) is confirms
