"""The demo order system's data in Redis: orders, after-sales requests, idempotent answers, account links.

This stands in for a shop's own database, so it lives under its own key space
(``<p>:ordersys:``), apart from the bot's state.  Its rules are the shop's
side of after-sales: what can still be cancelled, returned or re-addressed in
each state.  The bot decides its policy and texts on its own (bot/service/).

Keys (``<p>`` is ``REDIS_KEY_PREFIX``):

``<p>:ordersys:order:<id>``             the order as JSON.
``<p>:ordersys:orders:<customer>``      sorted set of the customer's order ids by ``created_at``.
``<p>:ordersys:seq``                    counter behind order, refund and after-sales numbers.
``<p>:ordersys:answer:<key>``           the answer given to an ``Idempotency-Key`` (24 h).
``<p>:ordersys:link-code:<code>``       customer id a one-time link code stands for (10 min).
``<p>:ordersys:account:<channel>:<id>`` customer id a channel account is linked to.

Demo orders expire ``DEMO_ORDER_TTL_SECONDS`` after they are seeded; a demo customer always has one in
each state they start in (``ensure_demo_orders``).
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
import secrets
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Callable, Optional

import redis.asyncio
from redis.exceptions import WatchError

from bot.orders.models import AFTER_SALES_KINDS, CANCELLED, Confirmation, Order
from bot.orders.order_ids import canonical_order_id, looks_like_our_order_digits
from bot.orders.demo_service.seed import DEMO_CUSTOMERS, demo_order_plans, demo_products
from bot.store.redis_client import as_text

DEMO_ORDER_TTL_SECONDS = 30 * 24 * 3600
ANSWER_TTL_SECONDS = 24 * 3600
LINK_CODE_TTL_SECONDS = 600
CHINA_TIME = timezone(timedelta(hours=8))


class Refusal(Exception):
    """The order system says no; ``code`` and ``message`` go into the 409 answer."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class NotFound(Exception):
    pass


class DemoOrderBook:
    def __init__(self, client: redis.asyncio.Redis, key_prefix: str, clock: Callable[[], float] = time.time) -> None:
        self._redis = client
        self._prefix = f"{key_prefix}:ordersys"
        self._clock = clock

    def _key(self, *parts: str) -> str:
        return ":".join((self._prefix, *parts))

    # ---- reading

    async def orders_of(self, customer_id: str) -> list[Order]:
        """Newest first; the demo shop's customers get their demo set on first sight."""
        if customer_id in DEMO_CUSTOMERS:
            await self.ensure_demo_orders(customer_id)
        ids = await self._redis.zrevrange(self._key("orders", customer_id), 0, -1)
        if not ids:
            return []
        raws = await self._redis.mget([self._key("order", as_text(order_id)) for order_id in ids])
        orders = [Order.from_json(as_text(raw)) for raw in raws if raw is not None]
        return [order for order in orders if order.customer_id == customer_id]

    async def order_of(self, customer_id: str, order_id: str) -> Optional[Order]:
        if customer_id in DEMO_CUSTOMERS:
            await self.ensure_demo_orders(customer_id)
        order = await self._get(order_id)
        return order if order is not None and order.customer_id == customer_id else None

    async def _get(self, order_id: str) -> Optional[Order]:
        order_id = canonical_order_id(order_id)
        if not order_id:
            return None
        raw = await self._redis.get(self._key("order", order_id))
        if raw is None and looks_like_our_order_digits(order_id):
            raw = await self._redis.get(self._key("order", "DD" + order_id))  # customers drop the "DD"
        return Order.from_json(as_text(raw)) if raw is not None else None

    # ---- seeding

    async def ensure_demo_orders(self, customer_id: str) -> list[Order]:
        """Seeds a customer's demo set (concurrent calls seed one set); returns their orders.

        The demo shop is there to try every kind of request on, by anyone logged in as a demo
        customer, one chat after another: an order a chat cancelled or returned leaves its state,
        so a fresh one takes its place (同一状态补一单) and the next chat finds one in each state again.
        The order that changed stays, so the chat that changed it still sees it; only the newest
        changed copy of each purchase stays, so a hundred chats leave no pile of refunds in which
        退款那单 names none.
        """
        index_key = self._key("orders", customer_id)
        for _ in range(5):
            async with self._redis.pipeline(transaction=True) as pipe:
                await pipe.watch(index_key)
                ids = await pipe.zrange(index_key, 0, -1)
                raws = await pipe.mget([self._key("order", as_text(i)) for i in ids]) if ids else []
                # each planned order by its state and products: a returned jacket is refilled as that jacket
                # (by state alone, the other signed-for order's plan would be, and the jacket gone)
                held = [Order.from_json(as_text(raw)) for raw in raws if raw is not None]
                kept = Counter(_planned_as(order) for order in held)
                await asyncio.to_thread(demo_products)  # the first call reads a file: not on the event loop
                plans = []
                planned = set()
                for plan in demo_order_plans(customer_id, self._clock()):
                    key = (plan["state"], tuple(item.product_id for item in plan["items"]))
                    planned.add(key)
                    if kept[key] > 0:
                        kept[key] -= 1
                    else:
                        plans.append(plan)
                stale = _older_changed_copies([order for order in held if _planned_as(order) not in planned])
                if not plans and not stale:
                    await pipe.unwatch()
                    break
                orders = [Order(id=await self._new_number("DD", plan["created_at"], 5), customer_id=customer_id,
                                **plan) for plan in plans]
                pipe.multi()
                for order in orders:
                    pipe.set(self._key("order", order.id), order.to_json(), ex=DEMO_ORDER_TTL_SECONDS)
                if orders:
                    pipe.zadd(index_key, {order.id: order.created_at for order in orders})
                if stale:
                    pipe.delete(*(self._key("order", order_id) for order_id in stale))
                    pipe.zrem(index_key, *stale)
                pipe.expire(index_key, DEMO_ORDER_TTL_SECONDS)
                try:
                    await pipe.execute()
                    break
                except WatchError:
                    continue
        ids = await self._redis.zrevrange(index_key, 0, -1)
        raws = await self._redis.mget([self._key("order", as_text(order_id)) for order_id in ids]) if ids else []
        return [Order.from_json(as_text(raw)) for raw in raws if raw is not None]

    async def _new_number(self, prefix: str, at: float, digits: int) -> str:
        sequence = await self._redis.incr(self._key("seq"))
        day = datetime.fromtimestamp(at, CHINA_TIME).strftime("%Y%m%d")
        return f"{prefix}{day}{sequence % 10 ** digits:0{digits}d}"

    # ---- changes (each once per idempotency key)

    async def cancel(self, customer_id: str, order_id: str, reason: str, key: str) -> Confirmation:
        async def change(order: Order) -> tuple[Order, str, Optional[float]]:
            if order.state == "待付款":
                return replace(order, state=CANCELLED), "", None
            if order.state == "待发货":
                return replace(order, state="退款中"), await self._new_number("RF", self._clock(), 6), order.total
            raise Refusal("not_allowed", f"订单当前状态是“{order.state}”，已经不能取消了")

        return await self._once(key, customer_id, order_id, change)

    async def request_after_sales(self, customer_id: str, order_id: str, kind: str, reason: str,
                                  key: str) -> Confirmation:
        if kind not in AFTER_SALES_KINDS:
            raise Refusal("bad_request", f"kind must be one of {', '.join(AFTER_SALES_KINDS)}")

        async def change(order: Order) -> tuple[Order, str, Optional[float]]:
            if order.state != "已签收":
                raise Refusal("not_allowed", f"订单当前状态是“{order.state}”，签收后才能申请售后")
            number = await self._new_number("AS", self._clock(), 6)
            if kind == "return_refund":
                return replace(order, state="退款中"), number, order.total
            return order, number, None

        return await self._once(key, customer_id, order_id, change)

    async def change_address(self, customer_id: str, order_id: str, address: Optional[str], phone: Optional[str],
                             key: str) -> Confirmation:
        if not (address or phone):
            raise Refusal("bad_request", "需要新的收货地址或电话")

        async def change(order: Order) -> tuple[Order, str, Optional[float]]:
            if order.state not in ("待付款", "待发货"):
                raise Refusal("not_allowed", f"订单当前状态是“{order.state}”，已经不能修改收货信息了")
            return replace(order, address=address or order.address, phone=phone or order.phone), "", None

        return await self._once(key, customer_id, order_id, change)

    async def _once(self, key: str, customer_id: str, order_id: str, change) -> Confirmation:
        """Applies ``change`` to the customer's order unless ``key`` was answered before (then: that answer)."""
        answer_key = self._key("answer", key)
        for _ in range(10):
            earlier = await self._redis.get(answer_key)
            if earlier is not None:
                return _replayed(as_text(earlier))
            order = await self.order_of(customer_id, order_id)
            if order is None:
                raise NotFound()
            order_key = self._key("order", order.id)
            async with self._redis.pipeline(transaction=True) as pipe:
                await pipe.watch(order_key, answer_key)
                current = await pipe.get(order_key)
                if current is None or Order.from_json(as_text(current)) != order:
                    await pipe.unwatch()
                    continue  # changed meanwhile: read again
                try:
                    changed, reference, refund = await change(order)
                except Refusal as refusal:
                    await pipe.unwatch()
                    await self._redis.set(answer_key, json.dumps({"refused": [refusal.code, refusal.message]},
                                                                 ensure_ascii=False), ex=ANSWER_TTL_SECONDS, nx=True)
                    raise
                confirmation = Confirmation(changed, reference, refund)
                pipe.multi()
                pipe.set(order_key, changed.to_json(), keepttl=True)
                pipe.set(answer_key, json.dumps(confirmation.to_dict(), ensure_ascii=False), ex=ANSWER_TTL_SECONDS)
                try:
                    await pipe.execute()
                    return confirmation
                except WatchError:
                    continue
        raise RuntimeError("the order kept changing; try again")

    # ---- channel accounts

    async def new_link_code(self, customer_id: str) -> str:
        """A one-time 6-digit code the shop's site shows its logged-in customer (绑定码)."""
        while True:
            code = f"{secrets.randbelow(10 ** 6):06d}"
            if await self._redis.set(self._key("link-code", code), customer_id, ex=LINK_CODE_TTL_SECONDS, nx=True):
                return code

    async def link_account(self, channel: str, account_id: str, code: str) -> str:
        customer = await self._redis.getdel(self._key("link-code", code))
        if customer is None:
            raise Refusal("invalid_code", "绑定码不对或已经过期（10 分钟内有效），请在店铺网站重新获取")
        await self._redis.set(self._key("account", channel, account_id), as_text(customer))
        return as_text(customer)

    async def customer_for_account(self, channel: str, account_id: str) -> Optional[str]:
        customer = await self._redis.get(self._key("account", channel, account_id))
        return as_text(customer) if customer is not None else None


def _replayed(stored: str) -> Confirmation:
    answer = json.loads(stored)
    if "refused" in answer:
        raise Refusal(*answer["refused"])
    return Confirmation.from_dict(answer)


def _older_changed_copies(changed: list[Order]) -> list[str]:
    """The ids of changed orders (cancelled, refunded…) with a newer changed copy of the same purchase."""
    newest: dict[tuple, Order] = {}
    for order in changed:
        purchase = tuple(item.product_id for item in order.items)
        if purchase not in newest or _sequence(order.id) > _sequence(newest[purchase].id):
            newest[purchase] = order
    return [order.id for order in changed if newest[tuple(item.product_id for item in order.items)] is not order]


def _sequence(order_id: str) -> int:
    """Order numbers are DD + day + a running number: later numbers were given later."""
    return int(order_id[-5:]) if order_id[-5:].isdigit() else 0


def _planned_as(order: Order) -> tuple:
    """What makes an order the one of a plan: its state and its products."""
    return order.state, tuple(item.product_id for item in order.items)
