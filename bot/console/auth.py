"""Sessions and CSRF for the console's API (``console-api.md``: Agents and sessions).

Sessions live in Redis (``aiohttp-session``'s RedisStorage), so logging out
ends the session on every console replica and a stolen cookie dies with it.
The cookie is ``HttpOnly`` and ``SameSite=Strict``; the CSRF token is made at
login, kept in the session and must come back as ``X-CSRF-Token`` on every
``POST``, ``PUT``, ``PATCH`` or ``DELETE``.
"""

from __future__ import annotations

import secrets
from typing import Awaitable, Callable, Optional

import redis.asyncio
from aiohttp import web
from aiohttp_session import Session, get_session, new_session
from aiohttp_session.redis_storage import RedisStorage

from bot.console.accounts import AgentAccount, AgentAccounts
from bot.identity.service_tokens import secret_matches

SESSION_AGENT = "agent"
SESSION_CSRF = "csrf"
CSRF_HEADER = "X-CSRF-Token"
SESSION_SECONDS = 12 * 3600
MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
OPEN_PATHS = frozenset({"/api/login"})

ACCOUNTS = web.AppKey("accounts", AgentAccounts)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def session_storage(client: redis.asyncio.Redis, key_prefix: str, secure: bool = False) -> RedisStorage:
    """``client`` must return bytes (aiohttp-session decodes them itself)."""
    return RedisStorage(
        client, cookie_name=f"{key_prefix}_console", max_age=SESSION_SECONDS, httponly=True,
        samesite="Strict", secure=secure, key_factory=lambda: secrets.token_urlsafe(32),
    )


async def start_session(request: web.Request, account: AgentAccount) -> str:
    """A fresh session for ``account`` (a new id, so a planted cookie is useless); returns its CSRF token."""
    session = await new_session(request)
    token = secrets.token_urlsafe(32)
    session[SESSION_AGENT] = account.name
    session[SESSION_CSRF] = token
    return token


async def end_session(request: web.Request) -> None:
    session = await get_session(request)
    session.invalidate()


def json_error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


async def session_agent(request: web.Request) -> tuple[Optional[AgentAccount], Optional[Session]]:
    session = await get_session(request)
    name = session.get(SESSION_AGENT)
    if not isinstance(name, str):
        return None, session
    return await request.app[ACCOUNTS].get(name), session


@web.middleware
async def api_guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """401 without a valid session, 403 for a change without the session's CSRF token."""
    if not request.path.startswith("/api/") or request.path in OPEN_PATHS:
        return await handler(request)
    account, session = await session_agent(request)
    if account is None:
        return json_error(401, "log in first (POST /api/login)")
    if request.method in MUTATING:
        given = request.headers.get(CSRF_HEADER, "")
        expected = session.get(SESSION_CSRF) if session is not None else None
        if not isinstance(expected, str) or not secret_matches(given, expected):
            return json_error(403, f"missing or wrong {CSRF_HEADER} header")
    request["agent"] = account
    return await handler(request)


async def csrf_token(request: web.Request) -> str:
    return (await get_session(request)).get(SESSION_CSRF) or ""


def current_agent(request: web.Request) -> AgentAccount:
    return request["agent"]
