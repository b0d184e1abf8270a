"""The Telegram channel of a real rasa server, with the fake Bot API of tests/support/ as Telegram.

Updates are posted as Telegram posts them (JSON, the secret token header);
the bot's answers arrive at the fake Bot API as aiogram sends them.
"""

from __future__ import annotations

import json
import random
import time

import pytest
import requests

from tests.support.fake_telegram_api import TELEGRAM_TEST_ENV

SECRET = TELEGRAM_TEST_ENV["TELEGRAM_WEBHOOK_SECRET"]
HEADER = "X-Telegram-Bot-Api-Secret-Token"


def new_chat() -> int:
    return random.randint(10 ** 8, 10 ** 10)


_update_ids = iter(range(random.randint(1, 10 ** 6) * 1000, 10 ** 12))


def message_update(chat_id: int, text=None, update_id=None, **extra) -> dict:
    message = {"message_id": random.randint(1, 10 ** 6), "date": int(time.time()),
               "chat": {"id": chat_id, "type": "private", "first_name": "顾客"},
               "from": {"id": chat_id, "is_bot": False, "first_name": "顾客", "language_code": "zh-hans"}}
    if text is not None:
        message["text"] = text
    message.update(extra)
    return {"update_id": update_id or next(_update_ids), "message": message}


def callback_update(chat_id: int, data: str) -> dict:
    return {"update_id": next(_update_ids), "callback_query": {
        "id": str(random.randint(1, 10 ** 12)), "chat_instance": "42", "data": data,
        "from": {"id": chat_id, "is_bot": False, "first_name": "顾客"},
        "message": {"message_id": 7, "date": int(time.time()), "chat": {"id": chat_id, "type": "private"},
                    "text": "请选择："}}}


def post(rasa, update, secret=SECRET) -> requests.Response:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[HEADER] = secret
    body = update if isinstance(update, (bytes, str)) else json.dumps(update)
    return requests.post(f"{rasa.url}/webhooks/telegram/webhook", data=body, headers=headers, timeout=60)


def user_texts(rasa, sender) -> list:
    response = requests.get(f"{rasa.url}/conversations/{sender}/tracker", params={"token": rasa.token}, timeout=30)
    assert response.status_code == 200, response.text
    return [event.get("text") for event in response.json()["events"] if event["event"] == "user"]


def test_a_text_message_is_answered_through_the_bot_api(rasa, telegram):
    chat = new_chat()
    answer = post(rasa, message_update(chat, "你好"))
    assert answer.status_code == 200
    sent = telegram.wait_for("sendMessage", 1, chat)
    assert sent and any("\u4e00" <= c <= "\u9fff" for c in sent[0]["params"]["text"])
    assert user_texts(rasa, chat) == ["你好"]


@pytest.mark.parametrize("secret", [None, "", "wrong-secret", SECRET[:-1]], ids=["missing", "empty", "wrong", "prefix"])
def test_a_wrong_secret_token_is_refused_and_nothing_processed(rasa, telegram, secret):
    chat = new_chat()
    answer = post(rasa, message_update(chat, "你好"), secret=secret)
    assert answer.status_code == 403
    time.sleep(0.3)
    assert telegram.calls_of("sendMessage", chat) == []
    assert user_texts(rasa, chat) == []


def test_a_redelivered_update_is_processed_once(rasa, telegram):
    chat = new_chat()
    update = message_update(chat, "你好")
    assert [post(rasa, update).status_code for _ in range(3)] == [200, 200, 200]
    assert user_texts(rasa, chat) == ["你好"]


@pytest.mark.parametrize("update", [
    {"update_id": 1},
    {"update_id": 2, "my_chat_member": {"chat": {"id": 5, "type": "private"}, "date": 1}},
    {"update_id": 3, "poll": {"id": "p", "question": "?", "options": []}},
    {"update_id": 4, "message": {"message_id": 1, "date": 1}},
], ids=["empty", "chat-member", "poll", "message-without-chat"])
def test_updates_without_a_customer_message_are_acknowledged(rasa, telegram, update):
    before = len(telegram.calls)
    assert post(rasa, update).status_code == 200
    time.sleep(0.2)
    assert len(telegram.calls) == before


@pytest.mark.parametrize("body", [b"{not json", b"[]", b'"text"', b"x" * 300_000], ids=["broken", "list", "string",
                                                                                       "huge"])
def test_malformed_updates_are_refused_and_the_server_survives(rasa, telegram, body):
    assert post(rasa, body).status_code in (400, 413)
    assert requests.get(f"{rasa.url}/", timeout=10).status_code == 200


def test_a_sticker_gets_a_polite_reply_without_the_bot(rasa, telegram):
    chat = new_chat()
    assert post(rasa, message_update(chat, None, sticker={"file_id": "abc", "width": 1, "height": 1})).status_code == 200
    [sent] = telegram.wait_for("sendMessage", 1, chat)
    assert "文字" in sent["params"]["text"]
    assert user_texts(rasa, chat) == []


def test_a_pressed_button_is_the_customers_choice(rasa, telegram):
    chat = new_chat()
    update = callback_update(chat, "你好")
    assert post(rasa, update).status_code == 200
    assert telegram.wait_for("sendMessage", 1, chat)
    answered = [c for c in telegram.calls_of("answerCallbackQuery")
                if c["params"].get("callback_query_id") == update["callback_query"]["id"]]
    assert answered, "the button's spinner was never stopped"
    assert user_texts(rasa, chat) == ["你好"]


def test_start_command_greets(rasa, telegram):
    chat = new_chat()
    assert post(rasa, message_update(chat, "/start")).status_code == 200
    sent = telegram.wait_for("sendMessage", 1, chat)
    assert sent and sent[0]["params"]["text"]


def test_product_cards_come_with_choose_buttons_that_work(rasa, telegram):
    chat = new_chat()
    assert post(rasa, message_update(chat, "推荐一款跑步鞋，预算800以内")).status_code == 200
    time.sleep(1.0)
    sent = telegram.wait_for("sendMessage", 2, chat, timeout=20)
    buttons = [b for call in sent for row in (call["params"].get("reply_markup") or {}).get("inline_keyboard", [])
               for b in row if b.get("text", "").startswith("选这款")]
    if not buttons:
        pytest.skip("the bot showed no product cards for this request (recommender not wired yet)")
    data = buttons[0]["callback_data"]
    assert len(data.encode("utf-8")) <= 64
    assert post(rasa, callback_update(chat, data)).status_code == 200
    texts = user_texts(rasa, chat)
    assert texts[-1].startswith("我想了解这款：") and texts[-1].endswith("）")


def test_an_agent_reaches_a_telegram_customer_until_they_block_the_bot(rasa, telegram, console):
    from tests.integration.conftest import CONSOLE_ACCOUNTS
    from tests.support.console_client import ConsoleClient

    chat = new_chat()
    assert post(rasa, message_update(chat, "转人工")).status_code == 200
    telegram.wait_for("sendMessage", 1, chat)
    alice = ConsoleClient(console)
    alice.login("alice", CONSOLE_ACCOUNTS["alice"][0])
    assert alice.post(f"/api/conversations/{chat}/takeover").status_code == 200
    sent = alice.post(f"/api/conversations/{chat}/messages", {"text": "您好，我是人工客服 alice"}).json()
    assert sent["delivered"] is True
    texts = [call["params"]["text"] for call in telegram.calls_of("sendMessage", chat)]
    assert "您好，我是人工客服 alice" in texts and any("alice" in text and "接入" in text for text in texts)

    telegram.blocked.add(str(chat))
    blocked = alice.post(f"/api/conversations/{chat}/messages", {"text": "还在吗？"}).json()
    assert blocked["delivered"] is False and "403" in blocked["detail"]
    transcript = alice.get(f"/api/conversations/{chat}").json()
    last = [m for m in transcript["messages"] if m["role"] == "agent"][-1]
    assert last["delivered"] is False and "屏蔽" in last["detail"]
