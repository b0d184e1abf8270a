"""What the shop remembers of a returning customer (记住的偏好): conditions and recently viewed products.

Kept only for someone who can be recognised again: a proven customer (the
shop's token, customer-identity.md) or a WeChat / Telegram account (the
channel proves it).  A guest in the web widget or on REST is not remembered
across visits.  Everything expires ``MEMORY_TTL_SECONDS`` after the last visit;
忘掉我的偏好 removes it (:meth:`CustomerMemory.forget`), together with the
recommender's profile of the same customer.

Keys (``<p>`` is ``REDIS_KEY_PREFIX``, ``<who>`` from :func:`memory_key`):

关闭个性化推荐 turns it off until 打开个性化推荐 (``<p>:unpersonalised:<who>``, bot/store/customer_activity.py).

``<p>:memory:<who>``   hash: ``category``, ``budget``, ``brand``, ``size``, ``color`` (as last
                       said), ``viewed`` (JSON list of the newest shown products: id, title,
                       price then), ``last_at`` (unix seconds of the last search)
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Optional, Sequence

import redis.asyncio

from bot.store.customer_activity import unpersonalised_key

MEMORY_TTL_SECONDS = 180 * 24 * 3600
MAX_VIEWED = 10
REMEMBERED_CONDITIONS = ("category", "budget", "brand", "size", "color")
# Channels whose sender id is a person's own account (the channel proves it).
ACCOUNT_CHANNELS = ("wechat", "wecom", "telegram")


def memory_key(customer_id: Optional[str], channel: str, sender: str) -> Optional[str]:
    """Whom to remember: the proven customer, else the channel account; None for a guest."""
    if customer_id:
        return f"customer:{customer_id}"
    if channel in ACCOUNT_CHANNELS and sender:
        return f"{channel}:{sender}"
    return None


@dataclass(frozen=True)
class Memory:
    conditions: Mapping[str, str] = field(default_factory=dict)
    viewed: Sequence[Mapping[str, Any]] = ()
    last_at: float = 0.0


class CustomerMemory:
    def __init__(self, client: redis.asyncio.Redis, key_prefix: str, clock: Callable[[], float] = time.time) -> None:
        self._redis = client
        self._prefix = key_prefix
        self._clock = clock

    def _key(self, who: str) -> str:
        return f"{self._prefix}:memory:{who}"

    async def remember_search(self, who: str, conditions: Mapping[str, Any], shown: Sequence[Mapping[str, Any]]) -> None:
        """After cards were shown: the conditions said and the products seen (newest first), unless the
        customer turned personalising off."""
        if not await self.personalises(who):
            return
        key = self._key(who)
        earlier = await self._redis.hget(key, "viewed")
        viewed = [{"id": card["id"], "title": card.get("title", ""), "price": float(card.get("price") or 0)}
                  for card in shown[:3]]
        for item in json.loads(earlier) if earlier else []:
            if item.get("id") not in {seen["id"] for seen in viewed}:
                viewed.append(item)
        fields = {name: str(conditions[name]) for name in REMEMBERED_CONDITIONS if conditions.get(name)}
        fields.update(viewed=json.dumps(viewed[:MAX_VIEWED], ensure_ascii=False), last_at=repr(self._clock()))
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(key, mapping=fields)
            pipe.expire(key, MEMORY_TTL_SECONDS)
            await pipe.execute()

    async def recall(self, who: str) -> Optional[Memory]:
        fields = await self._redis.hgetall(self._key(who))
        if not fields:
            return None
        return Memory({name: fields[name] for name in REMEMBERED_CONDITIONS if fields.get(name)},
                      json.loads(fields.get("viewed") or "[]"), float(fields.get("last_at") or 0))

    async def forget(self, who: str) -> bool:
        """忘掉我的偏好: the memory and the recommender's profile of this customer; whether there was any."""
        removed = await self._redis.delete(self._key(who), f"{self._prefix}:profile:{who}",
                                           f"{self._prefix}:bought:{who}")
        return removed > 0

    async def stop_personalising(self, who: str) -> None:
        """关闭个性化推荐: what is remembered is forgotten, and nothing more is kept or used until resumed."""
        await self.forget(who)
        await self._redis.set(unpersonalised_key(self._prefix, who), "1")

    async def resume_personalising(self, who: str) -> bool:
        """打开个性化推荐; whether it had been off."""
        return await self._redis.delete(unpersonalised_key(self._prefix, who)) > 0

    async def personalises(self, who: str) -> bool:
        return not await self._redis.exists(unpersonalised_key(self._prefix, who))
