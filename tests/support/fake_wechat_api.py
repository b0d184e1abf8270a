"""A fake WeChat server API on loopback: access tokens and customer-service messages.

It answers as api.weixin.qq.com (Official Account) and qyapi.weixin.qq.com
(WeCom) do: ``GET /cgi-bin/token`` and ``GET /cgi-bin/gettoken`` issue tokens
that expire after ``expires_in`` seconds; ``POST /cgi-bin/message/custom/send``
and ``POST /cgi-bin/message/send`` accept a message only with a live token
(otherwise errcode 40001 or 42001, as WeChat does).  It runs in a thread of its
own, so synchronous and asynchronous tests can use it alike.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from typing import Dict, List, Optional

from aiohttp import web

from bot.runtime.embedded_redis import free_port
from tests.support.loopback_server import LoopbackServer


class FakeWeChatApi(LoopbackServer):
    name = "fake WeChat API"

    def __init__(self, app_id: str = "", app_secret: str = "", corp_id: str = "", corp_secret: str = "",
                 port: Optional[int] = None, expires_in: int = 7200) -> None:
        super().__init__(port)
        self.app_id, self.app_secret = app_id, app_secret
        self.corp_id, self.corp_secret = corp_id, corp_secret
        self.expires_in = expires_in
        self.tokens: Dict[str, float] = {}  # token → expiry (epoch seconds)
        self.revoked: Dict[str, int] = {}  # token → errcode to answer with
        self.refusals: Dict[str, int] = {}  # user → errcode a send to them is refused with (45015, 45047, …)
        self.token_requests = 0
        self.messages: List[dict] = []
        self.send_attempts = 0
        self._lock = threading.Lock()

    # ---- controls ---------------------------------------------------------------------

    def expire_tokens(self, errcode: int = 42001) -> None:
        """Every token issued so far is refused from now on with ``errcode`` (42001 expired, 40001 invalid)."""
        with self._lock:
            for token in self.tokens:
                self.revoked[token] = errcode

    def wait_for_messages(self, count: int, timeout: float = 30.0) -> List[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.05)
        with self._lock:
            return list(self.messages)

    def messages_to(self, user: str) -> List[dict]:
        with self._lock:
            return [m for m in self.messages if m.get("touser") == user]

    # ---- handlers ---------------------------------------------------------------------

    def _issue(self) -> web.Response:
        token = secrets.token_hex(16)
        with self._lock:
            self.token_requests += 1
            self.tokens[token] = time.time() + self.expires_in
        return web.json_response({"access_token": token, "expires_in": self.expires_in})

    async def _token(self, request: web.Request) -> web.Response:
        query = request.query
        if query.get("grant_type") != "client_credential":
            return web.json_response({"errcode": 40002, "errmsg": "invalid grant_type"})
        if query.get("appid") != self.app_id:
            return web.json_response({"errcode": 40013, "errmsg": "invalid appid"})
        if query.get("secret") != self.app_secret:
            return web.json_response({"errcode": 40125, "errmsg": "invalid appsecret"})
        return self._issue()

    async def _gettoken(self, request: web.Request) -> web.Response:
        query = request.query
        if query.get("corpid") != self.corp_id:
            return web.json_response({"errcode": 40013, "errmsg": "invalid corpid"})
        if query.get("corpsecret") != self.corp_secret:
            return web.json_response({"errcode": 40001, "errmsg": "invalid credential"})
        return self._issue()

    def _token_problem(self, token: Optional[str]) -> Optional[web.Response]:
        with self._lock:
            self.send_attempts += 1
            if not token or token not in self.tokens:
                return web.json_response({"errcode": 40001, "errmsg": "invalid credential"})
            if token in self.revoked:
                return web.json_response({"errcode": self.revoked[token], "errmsg": "access_token expired"})
            if self.tokens[token] < time.time():
                return web.json_response({"errcode": 42001, "errmsg": "access_token expired"})
        return None

    async def _send(self, request: web.Request, wecom: bool) -> web.Response:
        problem = self._token_problem(request.query.get("access_token"))
        if problem is not None:
            return problem
        try:
            body = json.loads(await request.read())
        except ValueError:
            return web.json_response({"errcode": 47001, "errmsg": "data format error"})
        text = (body.get("text") or {}).get("content") if isinstance(body, dict) else None
        if not isinstance(body, dict) or not body.get("touser") or body.get("msgtype") != "text" or not text:
            return web.json_response({"errcode": 44004, "errmsg": "empty content"})
        if len(text.encode("utf-8")) > 2048:
            return web.json_response({"errcode": 45002, "errmsg": "content size out of limit"})
        if wecom and "agentid" not in body:
            return web.json_response({"errcode": 40056, "errmsg": "invalid agentid"})
        refused = self.refusals.get(body["touser"])
        if refused:
            return web.json_response({"errcode": refused, "errmsg": "refused by the fake (refusals)"})
        with self._lock:
            self.messages.append({**body, "received_at": time.time()})
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    async def _custom_send(self, request):
        return await self._send(request, wecom=False)

    async def _wecom_send(self, request):
        return await self._send(request, wecom=True)

    # ---- lifecycle --------------------------------------------------------------------

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/cgi-bin/token", self._token)
        app.router.add_get("/cgi-bin/gettoken", self._gettoken)
        app.router.add_post("/cgi-bin/message/custom/send", self._custom_send)
        app.router.add_post("/cgi-bin/message/send", self._wecom_send)


# What the integration tests' rasa server is configured with (tests/integration/conftest.py):
# the Official Account answers passively when it can; the WeCom application is set to push
# every answer (passive reply window 0 s), so the slow path runs through a real rasa server.
WECHAT_TEST_PORT = free_port()
WECHAT_TEST_ENV = {
    "WECHAT_TOKEN": "shoptesttoken",
    "WECHAT_APP_ID": "wx0123456789abcdef",
    "WECHAT_APP_SECRET": "test-app-secret",
    "WECHAT_ENCODING_AES_KEY": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
    "WECHAT_API_BASE": f"http://127.0.0.1:{WECHAT_TEST_PORT}",
    "WECOM_TOKEN": "wecomtesttoken",
    "WECOM_CORP_ID": "ww0123456789abcdef",
    "WECOM_SECRET": "test-corp-secret",
    "WECOM_AGENT_ID": "1000002",
    "WECOM_ENCODING_AES_KEY": "ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210abcdefg",
    "WECOM_API_BASE": f"http://127.0.0.1:{WECHAT_TEST_PORT}",
    "WECOM_PASSIVE_REPLY_SECONDS": "0",
}


def fake_for_test_env() -> FakeWeChatApi:
    env = WECHAT_TEST_ENV
    return FakeWeChatApi(app_id=env["WECHAT_APP_ID"], app_secret=env["WECHAT_APP_SECRET"],
                         corp_id=env["WECOM_CORP_ID"], corp_secret=env["WECOM_SECRET"], port=WECHAT_TEST_PORT)
