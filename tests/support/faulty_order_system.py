"""A shop's order system that misbehaves on purpose: 500s, malformed JSON, slow answers, refusals.

``mode`` decides every answer and can be changed while it runs; ``calls``
counts the requests that reached it (retries included), so tests can see the
retries and the circuit breaker.
"""

from __future__ import annotations

import asyncio

from aiohttp import web

from tests.support.loopback_server import LoopbackServer

MODES = ("ok-empty", "500", "malformed", "slow", "refuse", "wrong-customer", "hang-up",
         "changes-500", "changes-refused", "changes-slow")
# In the changes-* modes reads succeed: every customer has this one order, waiting to be shipped.
ORDER_ID = "DD2026112800001"


def an_order(customer_id: str) -> dict:
    return {"id": ORDER_ID, "customer_id": customer_id, "state": "待发货", "total": 299.0, "created_at": 1764290000.0,
            "paid_at": 1764290100.0, "items": [{"product_id": "SKU1", "title": "测试商品", "price": 299.0,
                                               "quantity": 1, "color": "黑色", "size": "M"}]}


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
        if self.mode.startswith("changes-"):
            parts = request.path.strip("/").split("/")
            if request.method == "GET" and parts[:1] == ["customers"] and len(parts) == 3:
                return web.json_response({"orders": [an_order(parts[1])]})
            if request.method == "GET" and parts[:1] == ["customers"] and len(parts) == 4:
                return web.json_response(an_order(parts[1]))
            if request.method == "GET":
                return web.json_response({"error": "not_linked"}, status=404)
            fault = {"changes-500": "500", "changes-refused": "refuse", "changes-slow": "slow"}[self.mode]
            return await self._fault(request, fault)
        return await self._fault(request, self.mode)

    async def _fault(self, request: web.Request, mode: str) -> web.StreamResponse:
        if mode == "ok-empty":
            return web.json_response({"orders": []})
        if mode == "500":
            return web.json_response({"error": "boom"}, status=500)
        if mode == "malformed":
            return web.Response(text="{'orders': [", content_type="application/json")
        if mode == "slow":
            await asyncio.sleep(self.slow_seconds)
            return web.json_response({"orders": []})
        if mode == "refuse":
            return web.json_response({"error": "not_allowed", "message": "仓库已经打包出库，无法取消"}, status=409)
        if mode == "wrong-customer":
            return web.json_response({"orders": [{"id": "DD2026112800001", "customer_id": "someone-else",
                                                  "state": "待发货", "items": [], "total": 1, "created_at": 1}]})
        if mode == "hang-up":
            request.transport.close()
            return web.Response()
        raise AssertionError(f"unknown mode {mode}")
