"""Each customer message processed once, however often a channel delivers it (one ledger for all channels).

A message is claimed in Redis (``<prefix>:<channel>:msgid:<id>``, ``SET NX``
with a TTL) by its first delivery, the only one that processes it: WeChat's
MsgId, Telegram's ``update_id``, the widget's ``message_id`` (a client retrying
after a lost acknowledgement).  Being in Redis, the claim holds across
several rasa servers.  :meth:`MessageLedger.first_time` is the plain claim;
when Redis cannot be reached it lets the message through (a rare double
answer is better than a lost message).

WeChat needs more, and so the ledger also records outcomes.  WeChat gives a callback 5 seconds and then delivers it again, three times in
all; the same MsgId (for events: sender and CreateTime) means the same
message.  The first delivery claims the message in Redis
(``<prefix>:<channel>:msgid:<id>``, ``SET NX`` with a TTL) and is the only one
that processes it.  What became of it is written to the same key:

* ``processing`` — the bot is still at it;
* ``replied`` — the answer went back as the passive reply; it is stored so that
  a later delivery (WeChat did not get our first answer) gets the same reply;
* ``pushed`` — the bot was too slow for a passive reply: the first delivery
  answered ``success`` and the answer goes out through the customer-service
  API, so every later delivery answers ``success`` too.

Only the delivery that claimed the message decides between ``replied`` and
``pushed``, so an answer is never both replied and pushed.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass
from typing import List, Optional

import redis.asyncio

from bot.language.masking import holds_personal_data
from bot.store.redis_client import redis_unavailable
from bot.store.sealing import Sealer, default_sealer

PROCESSING = "processing"
REPLIED = "replied"
PUSHED = "pushed"

DEFAULT_TTL_SECONDS = 3600

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    state: str
    replies: List[str]


class MessageLedger:
    def __init__(self, client: Optional[redis.asyncio.Redis], key_prefix: str, channel: str,
                 ttl_seconds: int = DEFAULT_TTL_SECONDS, sealer: Optional[Sealer] = None) -> None:
        self.client = client
        self._sealer = sealer or default_sealer()
        self.namespace = f"{key_prefix}:{channel}:msgid:"
        self.ttl_seconds = ttl_seconds

    def key(self, message_key: str) -> str:
        return self.namespace + message_key

    async def first_time(self, message_key: str) -> bool:
        """True for the first delivery; also True without Redis (not deduplicated, never lost)."""
        if self.client is None:
            return True
        try:
            return await self.claim(message_key)
        except Exception as error:
            if not redis_unavailable(error):
                raise
            logger.warning("Redis is unavailable: %s is not deduplicated (%s)", self.key(message_key), error)
            return True

    async def claim(self, message_key: str) -> bool:
        """True for the first delivery only."""
        value = json.dumps({"state": PROCESSING, "since": time.time()})
        return bool(await self.client.set(self.key(message_key), value, nx=True, ex=self.ttl_seconds))

    async def settle(self, message_key: str, state: str, replies: Optional[List[str]] = None) -> None:
        """The outcome, kept for repeated deliveries; replies with personal data in them are kept sealed."""
        replies = replies or []
        if self._sealer is not None and any(holds_personal_data(reply) for reply in replies):
            kept = {"state": state, "sealed_replies": self._sealer.seal(json.dumps(replies, ensure_ascii=False))}
        else:
            kept = {"state": state, "replies": replies}
        value = json.dumps(kept, ensure_ascii=False)
        await self.client.set(self.key(message_key), value, ex=self.ttl_seconds)

    async def outcome(self, message_key: str) -> Optional[Outcome]:
        raw = await self.client.get(self.key(message_key))
        if raw is None:
            return None
        try:
            data = json.loads(raw)
            if "sealed_replies" in data:
                opened = self._sealer.open(data["sealed_replies"]) if self._sealer is not None else None
                data["replies"] = json.loads(opened) if opened else []
            return Outcome(str(data["state"]), [str(r) for r in data.get("replies") or []])
        except (ValueError, KeyError, TypeError):
            return Outcome(PUSHED, [])  # unreadable: never process again, never reply twice

    async def wait_settled(self, message_key: str, timeout: float, interval: float = 0.05) -> Optional[Outcome]:
        """For a repeated delivery: the outcome once it is no longer ``processing``, or None."""
        deadline = time.monotonic() + timeout
        while True:
            outcome = await self.outcome(message_key)
            if outcome is not None and outcome.state != PROCESSING:
                return outcome
            if time.monotonic() >= deadline:
                return None
            await asyncio.sleep(min(interval, max(0.0, deadline - time.monotonic())))
