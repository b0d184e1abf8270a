"""Conversations handed to human agents (转人工), in Redis.

Keys (``<p>`` is ``REDIS_KEY_PREFIX``):

``<p>:handoff:<sender>``   hash: ``reason``, ``since`` (unix seconds), ``last_message``, ``status`` (waiting)
``<p>:handoff:queue``      sorted set of senders waiting for an agent, scored by ``since``
"""

from __future__ import annotations

import time
import redis.asyncio

class HandoffStore:
    def __init__(self, client: redis.asyncio.Redis, key_prefix: str) -> None:
        self._redis = client
        self._prefix = key_prefix

    async def flag(self, sender: str, reason: str, last_message: str = "") -> None:
        """Puts the conversation in the agents' queue; a second flag keeps the first time."""
        now = time.time()
        key = f"{self._prefix}:handoff:{sender}"
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hsetnx(key, "since", repr(now))
            pipe.hset(key, mapping={"reason": reason, "last_message": last_message[:500], "status": "waiting"})
            pipe.zadd(f"{self._prefix}:handoff:queue", {sender: now}, nx=True)
            await pipe.execute()

    async def waiting(self) -> list[str]:
        return list(await self._redis.zrange(f"{self._prefix}:handoff:queue", 0, -1))

    async def details(self, sender: str) -> dict:
        return await self._redis.hgetall(f"{self._prefix}:handoff:{sender}")
