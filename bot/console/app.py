"""``make_app``: the console's aiohttp application, its dependencies given, its background tasks owned.

Like :func:`bot.recommender.service.make_app`: typed app keys, error
middleware, resources closed ``on_cleanup``.  Background: the idle return
(agent-owned conversations quiet for ``CONSOLE_IDLE_RETURN_SECONDS`` go back
to the bot), run by every replica; the index's atomic transitions let one win.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Optional

import redis.asyncio
from aiohttp import web
from aiohttp_session import session_middleware

from bot.channels.outbound import Outbound, Outbox, PushCredentials
from bot.console import api
from bot.console.accounts import AgentAccounts
from bot.console.auth import ACCOUNTS, api_guard, session_storage
from bot.console.handoff import HandoffDesk
from bot.console.teaching import Teaching
from bot.console.reports import Reports
from bot.console.tickets import TicketDesk
from bot.privacy.erasure import Eraser
from bot.privacy.retention import RetentionPolicy, RetentionSweeper
from bot.service.tickets import TicketStore
from bot.store.conversations import ConversationIndex
from bot.store.privacy_records import PrivacyRecords
from bot.store.sealing import default_sealer

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"
ROOT = Path(__file__).resolve().parents[2]
PAGE_POLICY = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
               "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")


@web.middleware
async def security_headers(request: web.Request, handler) -> web.StreamResponse:
    response = await handler(request)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if not request.path.startswith("/api/"):
        response.headers.setdefault("Content-Security-Policy", PAGE_POLICY)
        response.headers.setdefault("X-Frame-Options", "DENY")
    else:
        response.headers.setdefault("Cache-Control", "no-store")
    return response


async def health(_: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def index_page(_: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})


def make_app(client: redis.asyncio.Redis, session_client: redis.asyncio.Redis, key_prefix: str, *,
             outbound: Optional[Outbound] = None, idle_return_seconds: float = 15 * 60,
             idle_check_seconds: float = 5.0, secure_cookie: bool = False,
             retention_sweep_seconds: float = 0,
             nlu_dir: Path = ROOT / "nlu_data", domain_file: Path = ROOT / "domain.yml") -> web.Application:
    """``client`` decodes responses; ``session_client`` returns bytes (aiohttp-session's storage wants them)."""
    index = ConversationIndex(client, key_prefix)
    outbound = outbound or Outbound(index, Outbox(client, key_prefix), PushCredentials.from_env())
    desk = HandoffDesk(index, outbound, idle_return_seconds)
    app = web.Application(middlewares=[
        security_headers,
        api.json_errors,
        session_middleware(session_storage(session_client, key_prefix, secure_cookie)),
        api_guard,
    ], client_max_size=256 * 1024)
    app[ACCOUNTS] = AgentAccounts(client, key_prefix)
    app[api.INDEX] = index
    app[api.DESK] = desk
    app[api.TEACHING] = Teaching.from_domain(index, domain_file, nlu_dir)
    app[api.TICKETS] = TicketDesk(TicketStore(client, key_prefix), index, outbound)
    app[api.REPORTS] = Reports(client, key_prefix)
    app.add_routes(api.routes)
    app.router.add_get("/", index_page)
    app.router.add_get("/health", health)
    app.router.add_static("/static/", STATIC_DIR, follow_symlinks=False)

    records = PrivacyRecords(client, key_prefix, default_sealer())
    app[api.PRIVACY] = records
    sweeper = RetentionSweeper(client, key_prefix, Eraser(client, key_prefix, records), RetentionPolicy.from_env())

    async def idle_return(app: web.Application):
        tasks = [asyncio.create_task(desk.run_idle_return(idle_check_seconds))]
        if retention_sweep_seconds > 0:
            tasks.append(asyncio.create_task(sweeper.run_forever(retention_sweep_seconds)))
        yield
        for task in tasks:
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass
        await outbound.close()
        await client.close()
        await session_client.close()

    app.cleanup_ctx.append(idle_return)
    return app
