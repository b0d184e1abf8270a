"""Telegram accounts linked to shop customers through the order system, on a real rasa server.

The shop's site gives its logged-in customer a one-time code (the demo order
system's ``/link-codes``); the customer sends ``绑定 <code>`` in Telegram; from
then on that chat is the customer.  Unlinked chats, wrong codes and group
chats stay guests.
"""

from __future__ import annotations

import asyncio

import requests

from bot.identity.linked_accounts import GROUP_CHAT_REPLY, LINKED_REPLY
from bot.service.texts import log_in_first_reply
from tests.integration.conftest import ORDER_SYSTEM_TOKEN, seed_demo_customer
from tests.integration.test_telegram_channel import message_update, new_chat, post


def said(telegram, rasa, chat_id, text) -> str:
    before = len(telegram.calls_of("sendMessage", chat_id))
    assert post(rasa, message_update(chat_id, text)).status_code == 200
    sent = telegram.wait_for("sendMessage", before + 1, chat_id)
    return "\n".join(call["params"]["text"] for call in sent[before:])


def customer_with_code(redis_server, order_system) -> tuple:
    customer, orders = asyncio.run(seed_demo_customer(redis_server.url))
    code = requests.post(f"{order_system}/customers/{customer}/link-codes",
                         headers={"Authorization": f"Bearer {ORDER_SYSTEM_TOKEN}"}, timeout=10).json()["code"]
    return customer, orders, code


def test_a_linked_telegram_chat_is_the_customer_and_others_stay_guests(rasa, telegram, redis_server, order_system):
    customer, orders, code = customer_with_code(redis_server, order_system)
    chat = new_chat()
    assert said(telegram, rasa, chat, "我的订单到哪了") == log_in_first_reply("telegram")
    assert "绑定没有成功" in said(telegram, rasa, chat, "绑定 000000" if code != "000000" else "绑定 000001")
    assert said(telegram, rasa, chat, f"绑定 {code}") == LINKED_REPLY
    answer = said(telegram, rasa, chat, "我的订单到哪了")
    assert ("订单号" in answer or "不是这一单的话" in answer) and "绑定" not in answer  # their own orders
    assert orders[0].id in said(telegram, rasa, chat, orders[0].id)

    stranger = new_chat()
    assert said(telegram, rasa, stranger, f"绑定 {code}") != LINKED_REPLY  # a code works once
    assert said(telegram, rasa, stranger, "我的订单到哪了") == log_in_first_reply("telegram")


def test_a_group_chat_cannot_be_linked(rasa, telegram, redis_server, order_system):
    _, _, code = customer_with_code(redis_server, order_system)
    group = -new_chat()
    assert said(telegram, rasa, group, f"绑定 {code}") == GROUP_CHAT_REPLY


def test_the_demo_shop_page_hands_out_link_codes_for_its_demo_customers(rasa, telegram):
    answer = requests.post(f"{rasa.url}/shop/demo-link-code", params={"customer": "demo-1002"}, timeout=30)
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    chat = new_chat()
    assert said(telegram, rasa, chat, f"绑定 {answer.json()['code']}") == LINKED_REPLY
    assert "订单号" in said(telegram, rasa, chat, "查一下我的订单")
    for customer in ("someone", "", "demo-9999"):
        assert requests.post(f"{rasa.url}/shop/demo-link-code", params={"customer": customer},
                             timeout=30).status_code == 404
