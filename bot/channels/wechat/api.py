"""WeChat's server APIs: access token (cached until it expires) and customer-service messages.

The Official Account fetches its token with ``GET /cgi-bin/token`` (AppID and
AppSecret) and sends with ``POST /cgi-bin/message/custom/send``; WeCom with
``GET /cgi-bin/gettoken`` (CorpID and the application's Secret) and
``POST /cgi-bin/message/send`` (with the AgentID).  A token is kept until a
minute before its ``expires_in`` and fetched again at once when WeChat says it
is invalid or expired (errcode 40001, 40014, 42001); the failed send is then
retried once.  The base URL is configurable so tests talk to a fake server.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, Optional

import aiohttp

logger = logging.getLogger(__name__)

TOKEN_ERRORS = {40001, 40014, 42001}
EXPIRY_MARGIN_SECONDS = 60
DEFAULT_TIMEOUT = aiohttp.ClientTimeout(total=10, connect=5)


class WeChatApiError(RuntimeError):
    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(f"WeChat API error {errcode}: {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


@dataclass
class _Token:
    value: str
    expires_at: float


class AccessTokenCache:
    """One token, fetched by ``fetch`` (→ token, expires_in seconds), shared by concurrent callers."""

    def __init__(self, fetch: Callable[[], Awaitable[tuple]], clock: Callable[[], float] = time.monotonic) -> None:
        self._fetch = fetch
        self._clock = clock
        self._token: Optional[_Token] = None
        self._lock = asyncio.Lock()
        self.fetches = 0

    def _valid(self) -> Optional[str]:
        if self._token and self._clock() < self._token.expires_at:
            return self._token.value
        return None

    async def get(self) -> str:
        token = self._valid()
        if token:
            return token
        async with self._lock:  # one fetch, however many callers need a token at once
            token = self._valid()
            if token:
                return token
            value, expires_in = await self._fetch()
            self.fetches += 1
            lifetime = max(0.0, float(expires_in) - EXPIRY_MARGIN_SECONDS)
            self._token = _Token(value, self._clock() + lifetime)
            return value

    def invalidate(self, token: Optional[str] = None) -> None:
        """Forget the token (only if it is still ``token``, so a fresh one is not thrown away)."""
        if self._token and (token is None or self._token.value == token):
            self._token = None


class BaseApiClient:
    token_path = ""
    send_path = ""

    def __init__(self, base_url: str, timeout: aiohttp.ClientTimeout = DEFAULT_TIMEOUT) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.tokens = AccessTokenCache(self._fetch_token)
        self._session: Optional[aiohttp.ClientSession] = None

    def _session_now(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._session._loop is not loop:
            self._session = aiohttp.ClientSession(timeout=self.timeout)
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    def _token_params(self) -> Dict[str, str]:
        raise NotImplementedError

    async def _fetch_token(self) -> tuple:
        async with self._session_now().get(self.base_url + self.token_path, params=self._token_params()) as response:
            data = await response.json(content_type=None)
        if not isinstance(data, dict) or not data.get("access_token"):
            errcode = data.get("errcode", -1) if isinstance(data, dict) else -1
            raise WeChatApiError(int(errcode), str(data.get("errmsg", "no access_token")) if isinstance(data, dict) else "bad answer")
        return str(data["access_token"]), int(data.get("expires_in", 7200))

    async def _post(self, path: str, body: Dict[str, Any]) -> Dict[str, Any]:
        """POST with the token; once more with a fresh token when WeChat says it is invalid."""
        for attempt in (1, 2):
            token = await self.tokens.get()
            async with self._session_now().post(
                self.base_url + path, params={"access_token": token},
                data=_json_bytes(body), headers={"Content-Type": "application/json; charset=utf-8"},
            ) as response:
                data = await response.json(content_type=None)
            errcode = int(data.get("errcode", 0)) if isinstance(data, dict) else -1
            if errcode == 0:
                return data
            if errcode in TOKEN_ERRORS and attempt == 1:
                logger.info("WeChat says the access token is invalid (%s); fetching a new one", errcode)
                self.tokens.invalidate(token)
                continue
            raise WeChatApiError(errcode, str(data.get("errmsg", "")) if isinstance(data, dict) else "bad answer")
        raise AssertionError("unreachable")

    async def send_text(self, user: str, text: str) -> None:
        raise NotImplementedError


def _json_bytes(body: Dict[str, Any]) -> bytes:
    import json

    # WeChat shows \uXXXX escapes literally in some clients: send real UTF-8.
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


class OfficialAccountApi(BaseApiClient):
    token_path = "/cgi-bin/token"
    send_path = "/cgi-bin/message/custom/send"

    def __init__(self, base_url: str, app_id: str, app_secret: str, **kwargs: Any) -> None:
        super().__init__(base_url, **kwargs)
        self.app_id = app_id
        self.app_secret = app_secret

    def _token_params(self) -> Dict[str, str]:
        return {"grant_type": "client_credential", "appid": self.app_id, "secret": self.app_secret}

    async def send_text(self, user: str, text: str) -> None:
        await self._post(self.send_path, {"touser": user, "msgtype": "text", "text": {"content": text}})


class WeComApi(BaseApiClient):
    token_path = "/cgi-bin/gettoken"
    send_path = "/cgi-bin/message/send"

    def __init__(self, base_url: str, corp_id: str, secret: str, agent_id: str, **kwargs: Any) -> None:
        super().__init__(base_url, **kwargs)
        self.corp_id = corp_id
        self.secret = secret
        self.agent_id = agent_id

    def _token_params(self) -> Dict[str, str]:
        return {"corpid": self.corp_id, "corpsecret": self.secret}

    async def send_text(self, user: str, text: str) -> None:
        agent: Any = int(self.agent_id) if str(self.agent_id).isdigit() else self.agent_id
        await self._post(self.send_path, {"touser": user, "msgtype": "text", "agentid": agent, "text": {"content": text}})
