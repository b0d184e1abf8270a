"""Per-conversation ticket locks in Redis, atomic across rasa servers (会话锁).

Rasa 3.6's open-source Redis lock store reads the lock, adds a ticket and
writes it back: two rasa servers taking tickets for one customer at the same
moment can both be served, and one customer's messages are then processed at
the same time or out of order (rasa issue 9213; the atomic version exists only
in Rasa Pro).  Here every step is one Lua script:

* ``take``: ``INCR`` gives the next ticket number; the ticket joins the queue
  with its expiry (a holder that crashed does not block the chat forever);
* ``turn``: drops expired tickets at the head of the queue and says whether
  the head is ours (``-1``: ours expired while we waited); a waiting ticket's
  lease is renewed by its asking;
* ``renew``: the holder's heartbeat, every third of the lease;
* ``give_back``: leaves the queue; the last one out deletes the keys.

A ticket lives by a short lease (``lease_seconds``, 10 s) that its server keeps
renewing, for at most the lifetime Rasa asks for (``TICKET_LOCK_LIFETIME``, 60 s
by default). A server that crashes stops renewing, so the chats it held are
free again after the lease, not after Rasa's whole lock lifetime.

Tickets are served in the order they were taken, so a customer's messages are
processed in the order they reached Redis, whichever server received them.
Time is Redis's own (``TIME``), so servers with skewed clocks agree.

A Redis that is down is waited for (``outage_wait``, as the tracker store),
so a restart within a second costs the customer nothing.

Keys: ``<p>:lock:<conversation>`` (sorted set: ticket numbers), ``…:expiry``
(hash: ticket → expiry in ms), ``…:seq`` (the ticket counter).
"""

from __future__ import annotations

import asyncio
import logging
import time
from contextlib import asynccontextmanager
from typing import AsyncIterator

import redis.asyncio

from bot.store.redis_client import StoreUnavailable, patiently

logger = logging.getLogger(__name__)

# How long a ticket outlives the last sign of life of its server (see the module's docstring):
# twice the longest Redis outage a turn waits out (REDIS_OUTAGE_WAIT_SECONDS, 5 s), so that a
# holder whose heartbeats met that outage does not lose the chat to the next message.
DEFAULT_LEASE_SECONDS = 10.0

_NOW_MS = "local t = redis.call('TIME'); local now = t[1] * 1000 + math.floor(t[2] / 1000)\n"

# KEYS: queue, expiry, seq.  ARGV: lease ms, lifetime ms.  -> the ticket number
_TAKE = _NOW_MS + """
local n = redis.call('INCR', KEYS[3])
redis.call('ZADD', KEYS[1], n, n)
redis.call('HSET', KEYS[2], n, now + tonumber(ARGV[1]))
for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], 2 * tonumber(ARGV[2]) + 60000) end
return n
"""

# KEYS: queue, expiry.  ARGV: ticket, lease ms.  -> 1 our turn, 0 wait, -1 our ticket expired
_TURN = _NOW_MS + """
while true do
  local head = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
  if not head then return -1 end
  local expires = tonumber(redis.call('HGET', KEYS[2], head) or '0')
  if expires > now then
    if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return -1 end
    redis.call('HSET', KEYS[2], ARGV[1], now + tonumber(ARGV[2]))
    if head == ARGV[1] then return 1 end
    return 0
  end
  redis.call('ZREM', KEYS[1], head)
  redis.call('HDEL', KEYS[2], head)
end
"""

# KEYS: queue, expiry.  ARGV: ticket, lease ms.  -> 1 renewed, 0 the ticket is gone
_RENEW = _NOW_MS + """
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], now + tonumber(ARGV[2]))
return 1
"""

# KEYS: queue, expiry, seq.  ARGV: ticket.
_GIVE_BACK = """
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
if redis.call('ZCARD', KEYS[1]) == 0 then redis.call('DEL', KEYS[1], KEYS[2], KEYS[3]) end
return 1
"""


class LockLost(RuntimeError):
    """The ticket expired before its turn came (a holder kept the chat longer than the lifetime)."""


class TicketLocks:
    def __init__(self, client: redis.asyncio.Redis, key_prefix: str, poll_seconds: float = 0.02,
                 max_poll_seconds: float = 0.1, outage_wait: float = 0.0,
                 lease_seconds: float = DEFAULT_LEASE_SECONDS) -> None:
        self._outage_wait = outage_wait
        self._lease = lease_seconds
        self._redis = client
        self._prefix = key_prefix
        self._poll = poll_seconds
        self._max_poll = max_poll_seconds
        self._take = client.register_script(_TAKE)
        self._turn = client.register_script(_TURN)
        self._renew = client.register_script(_RENEW)
        self._give_back = client.register_script(_GIVE_BACK)

    def keys(self, conversation_id: str) -> list:
        queue = f"{self._prefix}:lock:{conversation_id}"
        return [queue, queue + ":expiry", queue + ":seq"]

    def _lease_ms(self, lifetime_seconds: float) -> int:
        return int(min(self._lease, lifetime_seconds) * 1000)

    async def take(self, conversation_id: str, lifetime_seconds: float) -> int:
        return int(await patiently(lambda: self._take(keys=self.keys(conversation_id),
                                                      args=[self._lease_ms(lifetime_seconds),
                                                            int(lifetime_seconds * 1000)]),
                                   f"locking {conversation_id}", self._outage_wait))

    async def wait_for_turn(self, conversation_id: str, ticket: int, lifetime_seconds: float) -> None:
        keys = self.keys(conversation_id)[:2]
        lease = self._lease_ms(lifetime_seconds)
        deadline = time.monotonic() + lifetime_seconds + 1
        pause = self._poll
        while True:
            turn = int(await patiently(lambda: self._turn(keys=keys, args=[ticket, lease]),
                                       f"locking {conversation_id}", self._outage_wait))
            if turn == 1:
                return
            if turn == -1 or time.monotonic() > deadline:
                raise LockLost(f"the ticket {ticket} of {conversation_id} expired before its turn")
            await asyncio.sleep(pause)
            pause = min(pause * 1.5, self._max_poll)

    async def _keep_renewed(self, conversation_id: str, ticket: int, lifetime_seconds: float) -> None:
        """The holder's heartbeat, until Rasa's lock lifetime is used up (a hung holder then loses the chat)."""
        keys = self.keys(conversation_id)[:2]
        lease = self._lease_ms(lifetime_seconds)
        until = time.monotonic() + lifetime_seconds - lease / 1000
        while time.monotonic() < until:
            await asyncio.sleep(min(lease / 3000, max(0.0, until - time.monotonic())))
            try:
                if not await self._renew(keys=keys, args=[ticket, lease]):
                    return
            except Exception as error:  # Redis away: the tracker store waits for it; the lease may lapse
                logger.warning("lock of %s not renewed: %s", conversation_id, error)

    async def give_back(self, conversation_id: str, ticket: int) -> None:
        try:
            await patiently(lambda: self._give_back(keys=self.keys(conversation_id), args=[ticket]),
                            f"unlocking {conversation_id}", self._outage_wait)
        except StoreUnavailable:
            pass  # the ticket expires by itself

    @asynccontextmanager
    async def held(self, conversation_id: str, lifetime_seconds: float) -> AsyncIterator[int]:
        """Holds the conversation's lock for the block; waits behind the tickets taken before ours."""
        ticket = await self.take(conversation_id, lifetime_seconds)
        heartbeat = None
        try:
            await self.wait_for_turn(conversation_id, ticket, lifetime_seconds)
            heartbeat = asyncio.create_task(self._keep_renewed(conversation_id, ticket, lifetime_seconds))
            yield ticket
        finally:
            if heartbeat is not None:
                heartbeat.cancel()
            await self.give_back(conversation_id, ticket)


__all__ = ["LockLost", "TicketLocks"]
