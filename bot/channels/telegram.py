"""Telegram: Rasa's Telegram channel with the webhook's secret token checked.

Differences from Rasa's ``TelegramInput``:

* every update must carry ``X-Telegram-Bot-Api-Secret-Token`` equal to
  ``TELEGRAM_WEBHOOK_SECRET`` (the ``secret_token`` given to ``setWebhook``),
  compared in constant time; otherwise 403 and nothing is processed (Rasa asks
  Telegram's ``getMe`` on every update instead);
* the Bot API base URL is configurable (``TELEGRAM_API_BASE``), so a local Bot
  API server, or the tests' fake one, can stand in for api.telegram.org;
* ``setWebhook`` is called at start-up only when ``TELEGRAM_SET_WEBHOOK`` is
  true (Rasa calls it always, with ``asyncio.run`` inside the server);
* bot replies go through the shared rendering layer
  (:mod:`bot.channels.rendering`): text, buttons as an inline keyboard, product
  cards as text messages with a "choose this one" button; a pressed button
  (callback query) is the customer's choice and is answered;
* each ``update_id`` is processed once (Telegram re-sends updates it thinks
  failed), updates without a message are acknowledged and skipped, and a photo,
  sticker or location gets a polite text reply;
* settings missing: the webhook answers 503 "channel not configured".
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional, Text, Tuple

import aiohttp
from aiogram import Bot
from aiogram.bot.api import TelegramAPIServer
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, json as json_response, text as text_response

from bot.channels import rendering
from bot.channels.background import BackgroundTasks
from bot.channels.dedup import MessageLedger
from bot.channels.conversation_gate import gated
from bot.identity.linked_accounts import linked
from bot.identity.service_tokens import secret_matches
from bot.channels.texts import NOT_TEXT_REPLY, failure_reply
from bot.channels.wechat.channel import setting
from bot.store.redis_client import storable_text

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_UPDATE_BYTES = 256 * 1024
CALLBACK_DATA_BYTES = 64  # Telegram's limit for a button's callback_data
PAYLOAD_TTL_SECONDS = 30 * 24 * 3600
UPDATE_TTL_SECONDS = 24 * 3600
DEFAULT_API_BASE = "https://api.telegram.org"



class TelegramSettings:
    def __init__(self, credentials: Optional[Mapping[str, Any]] = None, environ: Mapping[str, str] = os.environ):
        get = lambda key, env, default="": setting(credentials, key, env, environ, default)  # noqa: E731
        # Rasa's own key for the token is access_token; webhook_url is Rasa's too.
        self.token = get("access_token", "TELEGRAM_TOKEN")
        self.secret = get("secret_token", "TELEGRAM_WEBHOOK_SECRET")
        self.api_base = get("api_base", "TELEGRAM_API_BASE", DEFAULT_API_BASE).rstrip("/")
        self.webhook_url = get("webhook_url", "TELEGRAM_WEBHOOK_URL")
        self.set_webhook = get("set_webhook", "TELEGRAM_SET_WEBHOOK", "false").lower() in ("1", "true", "yes")
        self.missing = [name for name, value in [("TELEGRAM_TOKEN", self.token),
                                                 ("TELEGRAM_WEBHOOK_SECRET", self.secret)] if not value]
        if self.token and ":" not in self.token:
            self.missing.append("TELEGRAM_TOKEN (it looks like 123456:ABC…)")

    @property
    def configured(self) -> bool:
        return not self.missing


def secret_ok(expected: str, given: Optional[str]) -> bool:
    return bool(expected) and secret_matches(given or "", expected)


def command_text(text: str) -> str:
    """Telegram's /start (the first thing every customer sends) greets; other text stays as it is."""
    stripped = text.strip()
    if stripped == "/start" or stripped.startswith(("/start ", "/start@")):
        return "/greet"
    return text


class PayloadStore:
    """Button payloads longer than Telegram's 64-byte callback_data, kept in Redis under a short key."""

    def __init__(self, redis_client, key_prefix: str) -> None:
        self.redis = redis_client
        self.prefix = f"{key_prefix}:telegram:payload:"

    async def callback_data(self, payload: str) -> Optional[str]:
        if len(payload.encode("utf-8")) <= CALLBACK_DATA_BYTES and not payload.startswith("#"):
            return payload
        if self.redis is None:
            return None
        digest = "#" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:24]
        await self.redis.set(self.prefix + digest, payload, ex=PAYLOAD_TTL_SECONDS)
        return digest

    async def payload(self, data: str) -> Optional[str]:
        if not data.startswith("#"):
            return data
        if self.redis is None:
            return None
        value = await self.redis.get(self.prefix + data)
        return value.decode("utf-8") if isinstance(value, bytes) else value


class ShopTelegramOutput(TelegramOutput):
    """Rasa's Telegram output against a configurable Bot API server, replies rendered by the shared layer."""

    def __init__(self, token: str, api_base: str = DEFAULT_API_BASE,
                 payloads: Optional[PayloadStore] = None) -> None:
        Bot.__init__(self, token, server=TelegramAPIServer.from_base(api_base),
                     timeout=aiohttp.ClientTimeout(total=15, connect=5))
        self.payloads = payloads or PayloadStore(None, "")

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        for item in rendering.render_telegram([message]):
            await self.send_rendered(recipient_id, item)

    async def send_rendered(self, recipient_id: Text, item: rendering.TelegramMessage) -> None:
        markup = None
        if item.keyboard:
            markup = InlineKeyboardMarkup()
            for row in item.keyboard:
                buttons = []
                for choice in row:
                    try:
                        data = await self.payloads.callback_data(choice.payload)
                    except Exception:
                        logger.exception("could not store a long button payload")
                        data = None
                    if data is None and len(choice.title.encode("utf-8")) <= CALLBACK_DATA_BYTES:
                        data = choice.title  # the title as the customer's words
                    if data is not None:
                        buttons.append(InlineKeyboardButton(choice.title, callback_data=data))
                if buttons:
                    markup.row(*buttons)
        await self.send_message(recipient_id, item.text, reply_markup=markup)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text})

    async def send_text_with_buttons(self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]],
                                     button_type: Optional[Text] = "inline", **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text, "buttons": buttons})

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"custom": json_message})

    async def close_session(self) -> None:
        """Close the HTTP session (aiogram 2's ``close`` is the Bot API method of that name)."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def set_webhook_with_secret(self, url: str, secret: str) -> bool:
        return bool(await self.request("setWebhook", {"url": url, "secret_token": secret,
                                                      "allowed_updates": json.dumps(["message", "edited_message",
                                                                                     "callback_query"])}))


def parse_update(update: Mapping[str, Any]) -> Optional[Dict[str, Any]]:
    """What an update asks for: {"chat_id", "text" | "polite", "callback_id"?}, or None to skip it."""
    query = update.get("callback_query")
    if isinstance(query, Mapping):
        message = query.get("message") if isinstance(query.get("message"), Mapping) else {}
        chat = message.get("chat") if isinstance(message.get("chat"), Mapping) else {}
        sender = query.get("from") if isinstance(query.get("from"), Mapping) else {}
        chat_id = chat.get("id", sender.get("id"))
        data = query.get("data")
        if chat_id is None or not isinstance(data, str) or not data:
            return {"skip": True, "callback_id": query.get("id")}
        return {"chat_id": chat_id, "text": data, "callback_id": query.get("id"), "choice": True}
    for key in ("message", "edited_message"):
        message = update.get(key)
        if not isinstance(message, Mapping):
            continue
        chat = message.get("chat")
        if not isinstance(chat, Mapping) or chat.get("id") is None:
            return None
        text = message.get("text")
        if isinstance(text, str) and text.strip():
            return {"chat_id": chat["id"], "text": command_text(storable_text(text))}
        return {"chat_id": chat["id"], "polite": NOT_TEXT_REPLY}
    return None


class TelegramWebhook:
    """One update in, (HTTP status, body) out; plain enough to test without Sanic or Rasa."""

    def __init__(self, settings: TelegramSettings, out_channel: Optional[ShopTelegramOutput],
                 updates: MessageLedger, input_channel: str = "telegram") -> None:
        self.settings = settings
        self.out_channel = out_channel
        self.updates = updates
        self.input_channel = input_channel
        self._background = BackgroundTasks()

    async def handle(self, secret_header: Optional[str], body: bytes,
                     on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Tuple[int, str]:
        settings, out_channel = self.settings, self.out_channel
        if not settings.configured or out_channel is None:
            return 503, f"telegram channel not configured: set {', '.join(settings.missing)}"
        if not secret_ok(settings.secret, secret_header):
            return 403, "wrong secret token"
        if len(body or b"") > MAX_UPDATE_BYTES:
            return 413, "update too large"
        try:
            update = json.loads(body or b"")
        except (ValueError, RecursionError):  # RecursionError: JSON nested deeper than Python's stack
            return 400, "the body is not JSON"
        if not isinstance(update, dict):
            return 400, "an update is a JSON object"
        wanted = parse_update(update)
        if wanted is None:
            return 200, "success"  # nothing a customer said: acknowledged, skipped
        if wanted.get("callback_id"):
            self._in_background(self._answer_callback(wanted["callback_id"]))
        if wanted.get("skip"):
            return 200, "success"
        update_id = update.get("update_id")
        if isinstance(update_id, int) and not await self.updates.first_time(str(update_id)):
            logger.info("telegram: update %s delivered again, skipped", update.get("update_id"))
            return 200, "success"
        chat_id = str(wanted["chat_id"])
        if "polite" in wanted:
            await self._send_safely(chat_id, wanted["polite"])
            return 200, "success"
        text = wanted["text"]
        if wanted.get("choice"):
            try:
                text = await out_channel.payloads.payload(text) or text
            except Exception:
                logger.exception("telegram: could not look up a button payload")
        try:
            await on_new_message(UserMessage(text, out_channel, chat_id, input_channel=self.input_channel,
                                             metadata={"telegram": {"update_id": update.get("update_id")}}))
        except Exception as error:
            logger.exception("telegram: processing update %s failed", update.get("update_id"))
            await self._send_safely(chat_id, failure_reply(error))
        return 200, "success"

    def _in_background(self, coroutine: Awaitable[None]) -> None:
        self._background.start(coroutine)

    async def drain(self) -> None:
        await self._background.drain(10)

    async def _answer_callback(self, callback_id: Any) -> None:
        try:
            await self.out_channel.answer_callback_query(str(callback_id))
        except Exception as error:
            logger.info("telegram: answerCallbackQuery failed: %s", error)

    async def _send_safely(self, chat_id: str, text: str) -> None:
        try:
            await self.out_channel.send_message(chat_id, text)
        except Exception:
            logger.exception("telegram: could not send to %s", chat_id)


class SecureTelegramInput(TelegramInput):
    """The ``telegram`` channel; settings from credentials.yml or TELEGRAM_* variables."""

    @classmethod
    def name(cls) -> Text:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls(TelegramSettings(credentials))

    def __init__(self, settings: TelegramSettings) -> None:
        super().__init__(settings.token, None, settings.webhook_url, debug_mode=False)
        self.settings = settings
        self._redis_pair = None
        if not settings.configured:
            logger.warning("telegram channel not configured (set %s): its webhook answers 503",
                           ", ".join(settings.missing))

    def _redis(self):
        if self._redis_pair is None:
            try:
                from bot.settings import RedisSettings
                from bot.store.redis_client import async_client

                redis_settings = RedisSettings.from_env()
                self._redis_pair = (async_client(redis_settings), redis_settings.key_prefix)
            except Exception as error:
                logger.error("telegram: no Redis (%s): updates are not deduplicated", error)
                self._redis_pair = (None, "shopbot")
        return self._redis_pair

    def get_output_channel(self) -> Optional[ShopTelegramOutput]:
        if not self.settings.configured:
            return None
        redis_client, prefix = self._redis()
        return ShopTelegramOutput(self.settings.token, self.settings.api_base, PayloadStore(redis_client, prefix))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        on_new_message = linked(gated(on_new_message))
        webhook = Blueprint("telegram_webhook", __name__)
        settings = self.settings
        out_channel = self.get_output_channel()
        redis_client, prefix = self._redis() if settings.configured else (None, "shopbot")
        handler = TelegramWebhook(settings, out_channel,
                                  MessageLedger(redis_client, prefix, "telegram", UPDATE_TTL_SECONDS), self.name())

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return json_response({"status": "ok" if settings.configured else "not configured"})

        if settings.configured and settings.set_webhook and settings.webhook_url:
            @webhook.listener("after_server_start")
            async def register_webhook(app, loop) -> None:
                try:
                    await out_channel.set_webhook_with_secret(settings.webhook_url, settings.secret)
                    logger.info("telegram webhook set to %s", settings.webhook_url)
                except Exception:
                    logger.exception("telegram: setWebhook failed")

        @webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            status, body = await handler.handle(request.headers.get(SECRET_HEADER), request.body or b"",
                                                on_new_message)
            return text_response(body, status=status)

        return webhook


async def _set_webhook_cli() -> int:
    settings = TelegramSettings()
    if not settings.configured or not settings.webhook_url:
        print("set TELEGRAM_TOKEN, TELEGRAM_WEBHOOK_SECRET and TELEGRAM_WEBHOOK_URL first")
        return 2
    bot = ShopTelegramOutput(settings.token, settings.api_base)
    try:
        ok = await bot.set_webhook_with_secret(settings.webhook_url, settings.secret)
        info = await bot.request("getWebhookInfo")
        print(json.dumps(info, ensure_ascii=False, indent=2))
        return 0 if ok else 1
    finally:
        await bot.close_session()


if __name__ == "__main__":  # python -m bot.channels.telegram  → calls setWebhook with the secret token
    raise SystemExit(asyncio.run(_set_webhook_cli()))
