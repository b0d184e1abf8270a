"""A shop's order system that misbehaves on purpose: 500s, malformed JSON, slow answers, refusals.

``mode`` decides every answer and can be changed while it runs; ``calls``
counts the requests that reached it (retries included), so tests can see the
retries and the circuit breaker.
"""

from __future__ import annotations

import asyncio

from aiohttp import web

from tests.support.loopback_server import LoopbackServer

MODES = ("ok-empty", "500", "malformed", "slow", "refuse", "wrong-customer", "hang-up")


class FaultyOrderSystem(LoopbackServer):
    name = "faulty order system"

    def __init__(self, mode: str = "500", slow_seconds: float = 10.0) -> None:
        super().__init__()
        self.mode = mode
        self.slow_seconds = slow_seconds
        self.calls = 0

    def add_routes(self, app: web.Application) -> None:
        app.router.add_route("*", "/{tail:.*}", self._answer)

    async def _answer(self, request: web.Request) -> web.StreamResponse:
        self.calls += 1
        if self.mode == "ok-empty":
            return web.json_response({"orders": []})
        if self.mode == "500":
            return web.json_response({"error": "boom"}, status=500)
        if self.mode == "malformed":
            return web.Response(text="{'orders': [", content_type="application/json")
        if self.mode == "slow":
            await asyncio.sleep(self.slow_seconds)
            return web.json_response({"orders": []})
        if self.mode == "refuse":
            return web.json_response({"error": "not_allowed", "message": "仓库已经打包出库，无法取消"}, status=409)
        if self.mode == "wrong-customer":
            return web.json_response({"orders": [{"id": "DD2026112800001", "customer_id": "someone-else",
                                                  "state": "待发货", "items": [], "total": 1, "created_at": 1}]})
        if self.mode == "hang-up":
            request.transport.close()
            return web.Response()
        raise AssertionError(f"unknown mode {self.mode}")
