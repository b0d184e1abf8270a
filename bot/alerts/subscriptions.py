"""Customers' alert subscriptions (提醒) in Redis.

A subscription belongs to the chat it was made in (the outbound layer reaches
the customer there) and, for a proven customer, to them too.  Kinds:

* ``price_drop``: one product; any drop below the price it had when the
  customer subscribed (then below the last price they were told of), or, with
  ``target_price``, a drop to that price or below (then it is done);
* ``restock``: one product, optionally one colour and/or size; done once told;
* ``new_arrival``: new products of a category and/or a brand; stays on.

Keys (``<p>`` is ``REDIS_KEY_PREFIX``):

``<p>:alert:<id>``                     hash: the fields of :class:`Subscription`
``<p>:alerts:product:<product>``       set of active price_drop/restock subscriptions of a product
``<p>:alerts:new:category:<category>`` set of active new_arrival subscriptions of a category
``<p>:alerts:new:brand:<brand>``       set of active new_arrival subscriptions of a brand
``<p>:alerts:conversation:<id>``       sorted set of a chat's subscriptions by creation time
``<p>:alert_seq``                      counter behind the ids
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, replace
from typing import Any, Callable, Iterable, Optional

import redis.asyncio

from bot.store.redis_client import as_text

ALERT_KINDS = ("restock", "price_drop", "new_arrival")
KIND_LABELS = {"restock": "到货提醒", "price_drop": "降价提醒", "new_arrival": "上新提醒"}
MAX_ACTIVE_PER_CHAT = 50


@dataclass(frozen=True)
class Subscription:
    id: str
    conversation_id: str
    channel: str
    customer_id: str
    kind: str
    product_id: str = ""
    title: str = ""
    category: str = ""
    brand: str = ""
    color: str = ""
    size: str = ""
    target_price: Optional[float] = None
    last_price: Optional[float] = None  # price_drop: the price the customer last knew
    status: str = "active"  # active | done | cancelled
    created_at: float = 0.0

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    def describe(self) -> str:
        """``降价提醒：耐克 Pegasus 40（降到 ¥500 以下）`` — for 我的提醒."""
        if self.kind == "new_arrival":
            what = " ".join(part for part in (self.brand, self.category) if part) or "新品"
            return f"{self.label}：{what}"
        variant = "/".join(part for part in (self.color, self.size) if part)
        detail = f"（{variant}）" if variant else ""
        if self.kind == "price_drop" and self.target_price is not None:
            detail += f"（降到 ¥{self.target_price:g} 以下）"
        return f"{self.label}：{self.title or self.product_id}{detail}"

    def to_hash(self) -> dict[str, str]:
        return {name: "" if value is None else str(value) for name, value in asdict(self).items()}

    @classmethod
    def from_hash(cls, fields: dict) -> "Subscription":
        values = {as_text(key): as_text(value) for key, value in fields.items()}
        number = lambda name: float(values[name]) if values.get(name) else None  # noqa: E731
        return cls(**{name: values.get(name, "") for name in cls.__dataclass_fields__
                      if name not in ("target_price", "last_price", "created_at")},
                   target_price=number("target_price"), last_price=number("last_price"),
                   created_at=number("created_at") or 0.0)


class Subscriptions:
    def __init__(self, client: redis.asyncio.Redis, key_prefix: str, clock: Callable[[], float] = time.time) -> None:
        self._redis = client
        self._prefix = key_prefix
        self._clock = clock

    def _key(self, *parts: str) -> str:
        return ":".join((self._prefix, *parts))

    def _indexes(self, subscription: Subscription) -> list[str]:
        if subscription.kind == "new_arrival":
            return ([self._key("alerts", "new", "category", subscription.category)] if subscription.category else []) \
                + ([self._key("alerts", "new", "brand", subscription.brand)] if subscription.brand else [])
        return [self._key("alerts", "product", subscription.product_id)]

    async def subscribe(self, conversation_id: str, kind: str, *, channel: str = "", customer_id: str = "",
                        product_id: str = "", title: str = "", category: str = "", brand: str = "",
                        color: str = "", size: str = "", target_price: Optional[float] = None,
                        current_price: Optional[float] = None) -> tuple[Subscription, bool]:
        """(the subscription, whether it is new): asking twice for the same thing keeps one."""
        if kind not in ALERT_KINDS:
            raise ValueError(f"alert kind must be one of {', '.join(ALERT_KINDS)}, got {kind!r}")
        if kind == "new_arrival" and not (category or brand):
            raise ValueError("a new-arrival alert needs a category or a brand")
        if kind != "new_arrival" and not product_id:
            raise ValueError(f"a {kind} alert needs a product")
        wanted = Subscription("", conversation_id, channel, customer_id, kind, product_id, title, category, brand,
                              color, size, target_price, current_price, "active", self._clock())
        active = await self.of_conversation(conversation_id)
        for existing in active:
            if (existing.kind, existing.product_id, existing.category, existing.brand, existing.color,
                    existing.size) == (kind, product_id, category, brand, color, size):
                if existing.target_price != target_price:
                    existing = replace(existing, target_price=target_price)
                    await self._redis.hset(self._key("alert", existing.id), mapping=existing.to_hash())
                return existing, False
        if len(active) >= MAX_ACTIVE_PER_CHAT:
            raise ValueError(f"a chat may keep at most {MAX_ACTIVE_PER_CHAT} alerts")
        number = await self._redis.incr(self._key("alert_seq"))
        subscription = replace(wanted, id=f"AL{number:08d}")
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._key("alert", subscription.id), mapping=subscription.to_hash())
            for index in self._indexes(subscription):
                pipe.sadd(index, subscription.id)
            pipe.zadd(self._key("alerts", "conversation", conversation_id), {subscription.id: subscription.created_at})
            await pipe.execute()
        return subscription, True

    async def get(self, alert_id: str) -> Optional[Subscription]:
        fields = await self._redis.hgetall(self._key("alert", alert_id))
        return Subscription.from_hash(fields) if fields else None

    async def many(self, ids: Iterable[Any]) -> list[Subscription]:
        ids = [as_text(alert_id) for alert_id in ids]
        if not ids:
            return []
        async with self._redis.pipeline(transaction=False) as pipe:
            for alert_id in ids:
                pipe.hgetall(self._key("alert", alert_id))
            rows = await pipe.execute()
        return [Subscription.from_hash(row) for row in rows if row]

    async def of_conversation(self, conversation_id: str) -> list[Subscription]:
        """The chat's active subscriptions, oldest first."""
        return [sub for sub in await self.all_of_conversation(conversation_id) if sub.status == "active"]

    async def all_of_conversation(self, conversation_id: str) -> list[Subscription]:
        """Every subscription the chat made, ended ones too (export, erasure)."""
        return await self.many(await self._redis.zrange(self._key("alerts", "conversation", conversation_id), 0, -1))

    async def for_product(self, product_id: str) -> list[Subscription]:
        return await self.many(await self._redis.smembers(self._key("alerts", "product", product_id)))

    async def for_new_arrivals(self, category: str, brand: str) -> list[Subscription]:
        keys = [self._key("alerts", "new", "category", category), self._key("alerts", "new", "brand", brand)]
        return await self.many(await self._redis.sunion(keys))

    async def finish(self, subscription: Subscription, status: str) -> None:
        """Ends a subscription (``done`` once told, ``cancelled`` by the customer or a blocked chat)."""
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._key("alert", subscription.id), "status", status)
            for index in self._indexes(subscription):
                pipe.srem(index, subscription.id)
            await pipe.execute()

    async def told(self, notices: Iterable[Any]) -> None:
        """After notices were queued: remember the price each customer now knows; end the one-off ones."""
        async with self._redis.pipeline(transaction=False) as pipe:
            for notice in notices:
                subscription = notice.subscription
                if notice.told_price is not None:
                    pipe.hset(self._key("alert", subscription.id), "last_price", str(notice.told_price))
                if notice.done:
                    pipe.hset(self._key("alert", subscription.id), "status", "done")
                    for index in self._indexes(subscription):
                        pipe.srem(index, subscription.id)
            await pipe.execute()

    async def cancel(self, conversation_id: str, kind: Optional[str] = None) -> list[Subscription]:
        """退订: the chat's active subscriptions (of one kind, or all); the ones cancelled."""
        cancelled = [sub for sub in await self.of_conversation(conversation_id) if kind in (None, sub.kind)]
        for subscription in cancelled:
            await self.finish(subscription, "cancelled")
        return cancelled
