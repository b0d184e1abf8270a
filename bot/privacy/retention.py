"""Retention limits (存储期限, PIPL art. 19): nothing personal is kept longer than the shop set.

Each store has its limit in days, from the environment (docs/privacy.md):

``RETENTION_CONVERSATIONS_DAYS`` (30)  a chat with no message for this long goes whole: tracker,
                                       console index and log, review items, annotations, originals
``RETENTION_EVENTS_DAYS`` (180)        the recommender's event log (``<p>:events``)
``RETENTION_ANALYTICS_DAYS`` (365)     the analytics' turn log and the alerts' delivery log
``RETENTION_TICKETS_DAYS`` (365)       resolved tickets, counted from their last change
``RETENTION_AUDIT_DAYS`` (1095)        the privacy audit log (it holds no personal data)

Trackers, profiles, memories and notices also carry Redis TTLs; the sweep is
what makes every limit hold whatever wrote the data.  The console runs it
every ``RETENTION_SWEEP_SECONDS`` (3600) and ``python -m bot.privacy sweep``
runs it once, e.g. from cron.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from dataclasses import dataclass
from typing import Callable, Dict, Mapping

import redis.asyncio

from bot.analytics.turns import turns_key
from bot.privacy.erasure import Eraser
from bot.service.tickets import TicketStore
from bot.store.redis_client import as_text

logger = logging.getLogger(__name__)
DAY = 24 * 3600


@dataclass(frozen=True)
class RetentionPolicy:
    conversations_days: float = 30
    events_days: float = 180
    analytics_days: float = 365
    tickets_days: float = 365
    audit_days: float = 1095

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> "RetentionPolicy":
        values = {}
        for name in cls.__dataclass_fields__:
            variable = f"RETENTION_{name.upper()}"
            raw = (environ.get(variable) or "").strip()
            if raw:
                try:
                    values[name] = float(raw)
                except ValueError:
                    raise ValueError(f"{variable} must be a number of days, got {raw!r}") from None
                if not values[name] > 0:
                    raise ValueError(f"{variable} must be more than 0 days, got {raw!r}")
        return cls(**values)


class RetentionSweeper:
    def __init__(self, client: redis.asyncio.Redis, key_prefix: str, eraser: Eraser, policy: RetentionPolicy,
                 clock: Callable[[], float] = time.time) -> None:
        self._redis = client
        self._prefix = key_prefix
        self.eraser = eraser
        self.policy = policy
        self._clock = clock
        self.tickets = TicketStore(client, key_prefix)

    def _key(self, *parts: str) -> str:
        return ":".join((self._prefix, *parts))

    async def sweep(self) -> Dict[str, int]:
        """One pass over every store; how much each lost."""
        now = self._clock()
        done = {"conversations": 0, "stream_entries": 0, "tickets": 0}
        cutoff = now - self.policy.conversations_days * DAY
        while True:
            stale = await self._redis.zrangebyscore(self._key("convs", "recent"), "-inf", f"({cutoff}",
                                                    start=0, num=200)
            if not stale:
                break
            for chat in stale:
                await self.eraser.forget_chat(as_text(chat))
                done["conversations"] += 1
        for key, days in ((self._key("events"), self.policy.events_days),
                          (turns_key(self._prefix), self.policy.analytics_days),
                          (self._key("alerts", "log"), self.policy.analytics_days),
                          (self._key("privacy", "audit"), self.policy.audit_days)):
            done["stream_entries"] += await self._redis.xtrim(key, minid=f"{int((now - days * DAY) * 1000)}-0")
        ticket_cutoff = now - self.policy.tickets_days * DAY
        for ticket_id in await self._redis.zrangebyscore(self._key("tickets", "status", "resolved"), "-inf",
                                                         f"({ticket_cutoff}"):
            await self.tickets.drop(as_text(ticket_id))
            done["tickets"] += 1
        if any(done.values()):
            await self.eraser.records.audit("retention", "retention", "retention", done)
            logger.info("retention sweep: %s", done)
        return done

    async def run_forever(self, every_seconds: float) -> None:
        while True:
            try:
                await self.sweep()
            except Exception:
                logger.exception("retention sweep failed; next try in %s s", every_seconds)
            await asyncio.sleep(every_seconds)


__all__ = ["RetentionPolicy", "RetentionSweeper"]
