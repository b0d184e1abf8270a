"""The demo order system's HTTP API (docs/order-system.md), served by aiohttp.

A stand-in for a shop's own order system, so the demo shop and the tests run
the bot against the same API a shop implements.  With ``ORDER_SYSTEM_TOKEN``
set, every call must carry ``Authorization: Bearer <token>``.
"""

from __future__ import annotations

import argparse
import hmac
import json
import logging
import os
import secrets
from typing import Any, Optional

import redis.asyncio
from aiohttp import web

from bot.orders.demo_service.book import DemoOrderBook, NotFound, Refusal
from bot.settings import RedisSettings, SettingsError, int_from_env
from bot.store.redis_client import async_client, redis_unavailable

logger = logging.getLogger(__name__)
BOOK = web.AppKey("book", DemoOrderBook)
MAX_BODY_BYTES = 16 * 1024
MAX_TEXT_CHARS = 500


def _error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"error": code, "message": message}, status=status,
                             dumps=lambda value: json.dumps(value, ensure_ascii=False))


def _ok(value: Any) -> web.Response:
    return web.json_response(value, dumps=lambda value: json.dumps(value, ensure_ascii=False))


class BadRequest(Exception):
    pass


def make_app(client: redis.asyncio.Redis, key_prefix: str, token: str = "") -> web.Application:
    @web.middleware
    async def guard(request: web.Request, handler) -> web.StreamResponse:
        if token and request.path != "/health":
            given = request.headers.get("Authorization", "")
            if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
                return _error(401, "unauthorized", "missing or wrong Authorization: Bearer token")
        try:
            return await handler(request)
        except BadRequest as error:
            return _error(400, "bad_request", str(error))
        except NotFound:
            return _error(404, "not_found", "no such order for this customer")
        except Refusal as refusal:
            return _error(409, refusal.code, refusal.message)
        except web.HTTPException:
            raise
        except Exception as error:
            if redis_unavailable(error):
                return _error(503, "unavailable", "order data is unavailable right now")
            logger.exception("error while handling %s %s", request.method, request.path)
            return _error(500, "internal_error", "internal error")

    app = web.Application(middlewares=[guard], client_max_size=MAX_BODY_BYTES)
    app[BOOK] = DemoOrderBook(client, key_prefix)

    async def close(_: web.Application) -> None:
        await client.close()

    app.on_cleanup.append(close)
    app.router.add_get("/health", lambda _: _ok({"status": "ok"}))
    app.router.add_get("/customers/{customer}/orders", orders)
    app.router.add_get("/customers/{customer}/orders/{order}", one_order)
    app.router.add_post("/customers/{customer}/orders/{order}/cancel", cancel)
    app.router.add_post("/customers/{customer}/orders/{order}/after-sales", after_sales)
    app.router.add_post("/customers/{customer}/orders/{order}/address", address)
    app.router.add_post("/customers/{customer}/link-codes", link_code)
    app.router.add_get("/channel-accounts/{channel}/{account}", channel_account)
    app.router.add_post("/channel-accounts", link_account)
    return app


async def _body(request: web.Request) -> dict:
    try:
        body = json.loads((await request.read()).decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadRequest("the body must be a JSON object") from None
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object")
    return body


def _text(body: dict, name: str, required: bool = False) -> Optional[str]:
    value = body.get(name)
    if value is None or value == "":
        if required:
            raise BadRequest(f"{name!r} is required")
        return None
    if not isinstance(value, str):
        raise BadRequest(f"{name!r} must be a string")
    return value[:MAX_TEXT_CHARS]


def _key(request: web.Request) -> str:
    """The client's Idempotency-Key (scoped to the path), or a fresh one: then nothing is replayed."""
    given = request.headers.get("Idempotency-Key", "").strip()[:200]
    return f"{request.path}|{given}" if given else secrets.token_hex(16)


async def orders(request: web.Request) -> web.Response:
    found = await request.app[BOOK].orders_of(request.match_info["customer"])
    return _ok({"orders": [order.to_dict() for order in found]})


async def one_order(request: web.Request) -> web.Response:
    order = await request.app[BOOK].order_of(request.match_info["customer"], request.match_info["order"])
    if order is None:
        raise NotFound()
    return _ok(order.to_dict())


async def cancel(request: web.Request) -> web.Response:
    body = await _body(request)
    done = await request.app[BOOK].cancel(request.match_info["customer"], request.match_info["order"],
                                          _text(body, "reason") or "", _key(request))
    return _ok(done.to_dict())


async def after_sales(request: web.Request) -> web.Response:
    body = await _body(request)
    done = await request.app[BOOK].request_after_sales(
        request.match_info["customer"], request.match_info["order"], _text(body, "kind", required=True),
        _text(body, "reason") or "", _key(request))
    return _ok(done.to_dict())


async def address(request: web.Request) -> web.Response:
    body = await _body(request)
    done = await request.app[BOOK].change_address(
        request.match_info["customer"], request.match_info["order"], _text(body, "address"), _text(body, "phone"),
        _key(request))
    return _ok(done.to_dict())


async def link_code(request: web.Request) -> web.Response:
    code = await request.app[BOOK].new_link_code(request.match_info["customer"])
    return _ok({"code": code, "expires_in": 600})


async def channel_account(request: web.Request) -> web.Response:
    customer = await request.app[BOOK].customer_for_account(request.match_info["channel"],
                                                            request.match_info["account"])
    if customer is None:
        return _error(404, "not_linked", "this account is not linked to a customer")
    return _ok({"customer_id": customer})


async def link_account(request: web.Request) -> web.Response:
    body = await _body(request)
    customer = await request.app[BOOK].link_account(
        _text(body, "channel", required=True), _text(body, "account_id", required=True),
        _text(body, "code", required=True))
    return _ok({"customer_id": customer})


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.orders.demo_service",
                                     description="Run the demo shop's order system (docs/order-system.md).")
    parser.add_argument("--port", type=int, help="overrides ORDER_SYSTEM_PORT (default 5058)")
    parser.add_argument("--host", default=os.environ.get("ORDER_SYSTEM_HOST", "127.0.0.1"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        settings = RedisSettings.from_env()
        port = args.port or int_from_env(os.environ, "ORDER_SYSTEM_PORT", 5058)
    except SettingsError as error:
        print(f"demo order system: {error}")
        return 2
    app = make_app(async_client(settings), settings.key_prefix, os.environ.get("ORDER_SYSTEM_TOKEN", "").strip())
    web.run_app(app, host=args.host, port=port, access_log=None, print=None, shutdown_timeout=2.0)
    return 0
