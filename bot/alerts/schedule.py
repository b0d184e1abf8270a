"""The queue of alert notices in Redis: once-only, due times, leases, a daily cap per chat.

Nothing lives in memory: a notice waits in a sorted set by the time it may be
sent, so quiet hours and restarts cost nothing but a delay.  A worker leases
the due ones (one Lua script: taken by exactly one worker); a worker that dies
mid-delivery lets its lease expire and the notice goes back to the queue.

Keys (``<p>`` is ``REDIS_KEY_PREFIX``):

``<p>:alerts:due``                     sorted set: notice id → when it may be sent
``<p>:alerts:leased``                  sorted set: notice id → when its lease ends
``<p>:alerts:notice:<id>``             hash: the notice (chat, alert id, text, card, kind), kept 30 days
``<p>:alerts:once:<alert>:<key>``      set once a notice for this change was queued (90 days)
``<p>:alerts:count:<chat>:<yyyymmdd>`` alerts sent to a chat that day (shop time), for the daily cap
``<p>:alerts:log``                     stream of sent, kept, refused and dropped notices (analytics)
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Callable, Optional, Sequence

import redis.asyncio

from bot.alerts.matching import Notice
from bot.store.customer_memory import memory_key
from bot.store.streams import PersonalStream

NOTICE_TTL_SECONDS = 30 * 24 * 3600
ONCE_TTL_SECONDS = 90 * 24 * 3600
LEASE_SECONDS = 60

# KEYS: due, leased; ARGV: now, limit, lease end -> ids moved from due to leased
_LEASE = """
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(ids) do
  redis.call('ZREM', KEYS[1], id)
  redis.call('ZADD', KEYS[2], ARGV[3], id)
end
return ids
"""
# KEYS: due, leased; ARGV: now -> how many expired leases went back to the queue
_RECLAIM = """
local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])
for _, id in ipairs(ids) do
  redis.call('ZREM', KEYS[2], id)
  redis.call('ZADD', KEYS[1], ARGV[1], id)
end
return #ids
"""


@dataclass(frozen=True)
class QueuedNotice:
    id: str
    alert_id: str
    conversation_id: str
    kind: str
    text: str
    card: Optional[dict]
    product: str = ""
    person: str = ""


class AlertSchedule:
    def __init__(self, client: redis.asyncio.Redis, key_prefix: str, clock: Callable[[], float] = time.time) -> None:
        self._redis = client
        self._prefix = key_prefix
        self._clock = clock
        self._lease = client.register_script(_LEASE)
        self._reclaim = client.register_script(_RECLAIM)
        self._log = PersonalStream(client, key_prefix, self._key("log"), 1_000_000)

    def _key(self, *parts: str) -> str:
        return ":".join((self._prefix, "alerts", *parts))

    async def enqueue(self, notices: Sequence[Notice], due: float) -> list[Notice]:
        """Queues each notice unless its change was already queued for its subscription; the ones queued.

        Three round trips for any number of notices, so a change that concerns
        thousands of subscriptions is queued in a moment.
        """
        if not notices:
            return []
        async with self._redis.pipeline(transaction=False) as pipe:
            for notice in notices:
                pipe.set(self._key("once", notice.subscription.id, notice.key), "1", nx=True, ex=ONCE_TTL_SECONDS)
            fresh = [notice for notice, first in zip(notices, await pipe.execute()) if first]
        if not fresh:
            return []
        last = await self._redis.incrby(self._key("seq"), len(fresh))
        queued_at = repr(self._clock())
        async with self._redis.pipeline(transaction=False) as pipe:
            for number, notice in enumerate(fresh, last - len(fresh) + 1):
                notice_id = f"N{number:010d}"
                sub = notice.subscription
                pipe.hset(self._key("notice", notice_id), mapping={
                    "alert_id": sub.id, "conversation_id": sub.conversation_id, "kind": sub.kind,
                    "product": notice.card["products"][0]["id"] if notice.card else sub.product_id,
                    "person": memory_key(sub.customer_id, sub.channel, sub.conversation_id)
                    or f"chat:{sub.conversation_id}",
                    "text": notice.text, "card": json.dumps(notice.card, ensure_ascii=False) if notice.card else "",
                    "queued_at": queued_at})
                pipe.expire(self._key("notice", notice_id), NOTICE_TTL_SECONDS)
                pipe.zadd(self._key("due"), {notice_id: due})
            await pipe.execute()
        return fresh

    async def lease_due(self, limit: int = 50) -> list[QueuedNotice]:
        now = self._clock()
        await self._reclaim(keys=[self._key("due"), self._key("leased")], args=[now])
        ids = await self._lease(keys=[self._key("due"), self._key("leased")], args=[now, limit, now + LEASE_SECONDS])
        if not ids:
            return []
        async with self._redis.pipeline(transaction=False) as pipe:
            for notice_id in ids:
                pipe.hgetall(self._key("notice", notice_id))
            rows = await pipe.execute()
        found = []
        for notice_id, row in zip(ids, rows):
            if not row:  # expired: nothing to send
                await self._redis.zrem(self._key("leased"), notice_id)
                continue
            found.append(QueuedNotice(notice_id, row["alert_id"], row["conversation_id"], row["kind"], row["text"],
                                      json.loads(row["card"]) if row.get("card") else None,
                                      row.get("product", ""), row.get("person", "")))
        return found

    async def later(self, notice: QueuedNotice, due: float) -> None:
        """Back in the queue until ``due`` (quiet hours, the daily cap)."""
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.zrem(self._key("leased"), notice.id)
            pipe.zadd(self._key("due"), {notice.id: due})
            await pipe.execute()

    async def retry(self, notice: QueuedNotice, max_attempts: int = 5) -> bool:
        """The channel failed: try again later (1, 4, 9 … minutes), at most ``max_attempts`` times."""
        attempts = await self._redis.hincrby(self._key("notice", notice.id), "attempts", 1)
        if attempts > max_attempts:
            return False
        await self.later(notice, self._clock() + 60 * attempts * attempts)
        return True

    async def finished(self, notice: QueuedNotice, outcome: str, detail: str = "") -> None:
        """Off the queue for good; the outcome goes to the log (sent, kept, refused, blocked, dropped, failed)."""
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.zrem(self._key("leased"), notice.id)
            await self._log.add({"notice": notice.id, "alert": notice.alert_id,
                           "conversation": notice.conversation_id, "kind": notice.kind,
                           "product": notice.product, "person": notice.person,
                           "outcome": outcome, "detail": detail[:200], "ts": repr(self._clock())},
                          [notice.person, f"chat:{notice.conversation_id}"], pipe)
            await pipe.execute()

    async def take_daily_slot(self, conversation_id: str, day: str, cap: int) -> bool:
        """One more alert for this chat today, if the cap allows."""
        key = self._key("count", conversation_id, day)
        count = await self._redis.incr(key)
        if count == 1:
            await self._redis.expire(key, 3 * 24 * 3600)
        if count > cap:
            await self._redis.decr(key)
            return False
        return True

    async def pending(self) -> int:
        return await self._redis.zcard(self._key("due")) + await self._redis.zcard(self._key("leased"))
