"""A fake Telegram Bot API on loopback: ``POST /bot<token>/<method>`` as api.telegram.org answers it.

It checks what the real API checks for the calls the bot makes (the token,
a non-empty text of at most 4096 characters, inline keyboard buttons with at
most 64 bytes of ``callback_data``) and records every call.  It runs in a
thread of its own, like :mod:`tests.support.fake_wechat_api`.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any, Dict, List, Optional

from aiohttp import web

from bot.runtime.embedded_redis import free_port
from tests.support.loopback_server import LoopbackServer

TELEGRAM_TEST_PORT = free_port()
TELEGRAM_TEST_ENV = {
    "TELEGRAM_TOKEN": "123456789:AAtest-token_for-the-fake-bot-api-xyz",
    "TELEGRAM_WEBHOOK_SECRET": "test-webhook-secret_123",
    "TELEGRAM_API_BASE": f"http://127.0.0.1:{TELEGRAM_TEST_PORT}",
}


def _error(code: int, description: str) -> web.Response:
    return web.json_response({"ok": False, "error_code": code, "description": description}, status=code)


class FakeTelegramApi(LoopbackServer):
    name = "fake Telegram API"

    def __init__(self, token: str = TELEGRAM_TEST_ENV["TELEGRAM_TOKEN"], port: Optional[int] = None) -> None:
        super().__init__(port)
        self.token = token
        self.calls: List[Dict[str, Any]] = []
        self.webhook: Dict[str, Any] = {}
        self.blocked: set = set()  # chat ids whose user blocked the bot: sendMessage answers 403
        self._message_id = 0
        self._lock = threading.Lock()

    def calls_of(self, method: str, chat_id: Optional[str] = None) -> List[Dict[str, Any]]:
        with self._lock:
            return [c for c in self.calls if c["method"] == method
                    and (chat_id is None or str(c["params"].get("chat_id")) == str(chat_id))]

    def wait_for(self, method: str, count: int, chat_id: Optional[str] = None, timeout: float = 30.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.calls_of(method, chat_id)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        return self.calls_of(method, chat_id)

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        if request.content_type == "application/json":
            params = await request.json()
        else:
            params = {key: value for key, value in (await request.post()).items() if isinstance(value, str)}
        for key in ("reply_markup", "allowed_updates"):
            if isinstance(params.get(key), str):
                try:
                    params[key] = json.loads(params[key])
                except ValueError:
                    return _error(400, f"Bad Request: can't parse {key} JSON object")
        with self._lock:
            self.calls.append({"method": method, "params": params, "at": time.time()})
        handler = getattr(self, f"_{method.lower()}", None)
        if handler is None:
            return _error(404, "Not Found: method not found")
        return handler(params)

    def _ok(self, result: Any) -> web.Response:
        return web.json_response({"ok": True, "result": result})

    def _getme(self, params):
        return self._ok({"id": int(self.token.split(":")[0]), "is_bot": True, "first_name": "Shop",
                         "username": "shop_test_bot"})

    def _sendmessage(self, params):
        if str(params.get("chat_id")) in self.blocked:
            return _error(403, "Forbidden: bot was blocked by the user")
        text = params.get("text") or ""
        if not text.strip():
            return _error(400, "Bad Request: message text is empty")
        if len(text) > 4096:
            return _error(400, "Bad Request: message is too long")
        markup = params.get("reply_markup") or {}
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode("utf-8")) <= 64:
                    return _error(400, "Bad Request: BUTTON_DATA_INVALID")
                if not button.get("text"):
                    return _error(400, "Bad Request: text buttons are unallowed in the inline keyboard")
        with self._lock:
            self._message_id += 1
            message_id = self._message_id
        chat_id = int(params["chat_id"]) if str(params.get("chat_id", "")).lstrip("-").isdigit() else 0
        result = {"message_id": message_id, "date": int(time.time()), "text": text,
                  "chat": {"id": chat_id, "type": "private"},
                  "from": {"id": int(self.token.split(":")[0]), "is_bot": True, "first_name": "Shop"}}
        if markup:
            result["reply_markup"] = markup
        return self._ok(result)

    def _answercallbackquery(self, params):
        if not params.get("callback_query_id"):
            return _error(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        return self._ok(True)

    def _setwebhook(self, params):
        self.webhook = dict(params)
        return self._ok(True)

    def _getwebhookinfo(self, params):
        return self._ok({"url": self.webhook.get("url", ""), "has_custom_certificate": False,
                         "pending_update_count": 0})

    def add_routes(self, app: web.Application) -> None:
        app.router.add_post("/bot{token}/{method}", self._handle)
