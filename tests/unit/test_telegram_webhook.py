"""The Telegram webhook: secret token, odd updates, rendering through the fake Bot API."""

from __future__ import annotations

import json

import pytest

from bot.channels.dedup import MessageLedger
from bot.channels.telegram import (PayloadStore, ShopTelegramOutput, TelegramSettings,
                                   TelegramWebhook, command_text, parse_update, secret_ok)
from tests.support.fake_telegram_api import TELEGRAM_TEST_ENV, FakeTelegramApi

ENV = {**TELEGRAM_TEST_ENV}
SECRET = ENV["TELEGRAM_WEBHOOK_SECRET"]


def update(update_id=1, text="你好", chat_id=42, **extra):
    message = {"message_id": 5, "date": 1700000000, "chat": {"id": chat_id, "type": "private"},
               "from": {"id": chat_id, "is_bot": False, "first_name": "A"}}
    if text is not None:
        message["text"] = text
    message.update(extra)
    return {"update_id": update_id, "message": message}


class Recorder:
    def __init__(self):
        self.messages = []

    async def __call__(self, message):
        self.messages.append(message)


@pytest.fixture
def fake_api():
    server = FakeTelegramApi().start()
    yield server
    server.stop()


def webhook_for(fake_api, environ=None):
    settings = TelegramSettings(None, {**ENV, "TELEGRAM_API_BASE": fake_api.url, **(environ or {})})
    out = ShopTelegramOutput(settings.token, settings.api_base) if settings.configured else None
    return TelegramWebhook(settings, out, MessageLedger(None, "t", "telegram")), out


def test_settings_come_from_credentials_or_the_environment():
    settings = TelegramSettings({"access_token": "1:abc", "secret_token": ""}, {"TELEGRAM_WEBHOOK_SECRET": "s"})
    assert (settings.token, settings.secret, settings.api_base) == ("1:abc", "s", "https://api.telegram.org")
    assert settings.configured and not settings.set_webhook
    assert TelegramSettings(None, {}).missing == ["TELEGRAM_TOKEN", "TELEGRAM_WEBHOOK_SECRET"]


def test_secret_comparison():
    assert secret_ok("abc", "abc")
    assert not secret_ok("abc", "abd") and not secret_ok("abc", None) and not secret_ok("", "")
    assert not secret_ok("abc", "abc ")


def test_start_greets_and_other_text_stays():
    assert command_text("/start") == "/greet" and command_text("/start ref123") == "/greet"
    assert command_text("推荐跑鞋") == "推荐跑鞋"


@pytest.mark.parametrize("payload, expected", [
    ({"update_id": 1}, None),
    ({"update_id": 1, "my_chat_member": {"chat": {"id": 1}}}, None),
    ({"update_id": 1, "message": "junk"}, None),
    ({"update_id": 1, "message": {"text": "hi"}}, None),
    (update(text=None, sticker={"file_id": "x"}), "polite"),
    (update(text=None, location={"latitude": 1.0, "longitude": 2.0}), "polite"),
    (update(text="hi"), "text"),
    ({"update_id": 1, "callback_query": {"id": "c1", "from": {"id": 9}, "data": "/affirm"}}, "text"),
    ({"update_id": 1, "callback_query": {"id": "c1", "from": {"id": 9}}}, "skip"),
])
def test_what_an_update_asks_for(payload, expected):
    wanted = parse_update(payload)
    if expected is None:
        assert wanted is None
    else:
        assert expected in wanted


async def test_unconfigured_channel_answers_503(fake_api):
    webhook, _ = webhook_for(fake_api, {"TELEGRAM_WEBHOOK_SECRET": ""})
    bot = Recorder()
    status, body = await webhook.handle(SECRET, json.dumps(update()).encode(), bot)
    assert status == 503 and "TELEGRAM_WEBHOOK_SECRET" in body and bot.messages == []


@pytest.mark.parametrize("header", [None, "", "wrong", SECRET + "x", SECRET.upper()])
async def test_a_wrong_secret_token_is_refused(fake_api, header):
    webhook, out = webhook_for(fake_api)
    bot = Recorder()
    status, _ = await webhook.handle(header, json.dumps(update()).encode(), bot)
    await out.close_session()
    assert status == 403 and bot.messages == [] and fake_api.calls == []


@pytest.mark.parametrize("body, status", [(b"{", 400), (b"[1]", 400), (b'"x"', 400), (b"{}", 200),
                                          (b"x" * 300_000, 413)],
                         ids=["truncated", "list", "string", "empty-update", "huge"])
async def test_malformed_updates(fake_api, body, status):
    webhook, out = webhook_for(fake_api)
    bot = Recorder()
    assert (await webhook.handle(SECRET, body, bot))[0] == status
    await out.close_session()
    assert bot.messages == []


async def test_a_text_update_reaches_the_bot_and_a_sticker_gets_a_polite_reply(fake_api):
    webhook, out = webhook_for(fake_api)
    bot = Recorder()
    assert await webhook.handle(SECRET, json.dumps(update(1, "推荐跑鞋")).encode(), bot) == (200, "success")
    assert [(m.text, m.sender_id, m.input_channel) for m in bot.messages] == [("推荐跑鞋", "42", "telegram")]
    await webhook.handle(SECRET, json.dumps(update(2, None, sticker={"file_id": "s"})).encode(), bot)
    await out.close_session()
    assert len(bot.messages) == 1
    [sent] = fake_api.calls_of("sendMessage", "42")
    assert "文字" in sent["params"]["text"]


async def test_output_renders_cards_with_buttons_on_the_fake_bot_api(fake_api):
    out = ShopTelegramOutput(ENV["TELEGRAM_TOKEN"], fake_api.url, PayloadStore(None, "t"))
    try:
        await out.send_response("42", {"text": "为您推荐：", "buttons": [{"title": "换一批", "payload": "/deny"}]})
        await out.send_response("42", {"custom": {"type": "product_cards", "products": [
            {"id": "SKU1", "title": "李宁 赤兔6", "price": 399, "reason": "轻便"},
            {"id": "SKU10001", "title": "耐克 Air Zoom Pegasus 40 男子缓震跑步鞋", "price": 629}]}})
    finally:
        await out.close_session()
    sent = fake_api.calls_of("sendMessage", "42")
    assert sent[0]["params"]["text"] == "为您推荐："
    assert sent[0]["params"]["reply_markup"]["inline_keyboard"] == [[{"text": "换一批", "callback_data": "/deny"}]]
    assert sent[1]["params"]["text"].startswith("李宁 赤兔6  ¥399")
    [[button]] = sent[1]["params"]["reply_markup"]["inline_keyboard"]
    assert button["callback_data"] == "我想了解这款：李宁 赤兔6（SKU1）"
    # without Redis a payload over 64 bytes cannot be stored: the button says its title instead
    [[button]] = sent[2]["params"]["reply_markup"]["inline_keyboard"]
    assert button["callback_data"] == "选这款：耐克 Air Zoom Peg…"


def test_a_lone_surrogate_in_a_telegram_text_is_mended():
    wanted = parse_update({"update_id": 1, "message": {"chat": {"id": 5}, "text": "谢谢\ud83d"}})
    assert wanted["text"] == "谢谢\ufffd"
