"""Customers' alert subscriptions (到货/降价/上新提醒), in Redis.

Key (``<p>`` is ``REDIS_KEY_PREFIX``):

``<p>:alerts``   stream of subscriptions: ``customer``, ``kind`` (restock/price_drop/new_arrival),
                 ``product``, ``category``, ``text``, ``ts``; read by whatever notifies customers.
"""

from __future__ import annotations

import time
from typing import Optional

import redis.asyncio

ALERT_KINDS = ("restock", "price_drop", "new_arrival")


class AlertStore:
    def __init__(self, client: redis.asyncio.Redis, key_prefix: str) -> None:
        self._redis = client
        self._prefix = key_prefix

    async def subscribe(self, sender: str, kind: str, product_id: Optional[str], category: Optional[str],
                        text: str) -> str:
        if kind not in ALERT_KINDS:
            raise ValueError(f"alert kind must be one of {ALERT_KINDS}")
        return await self._redis.xadd(f"{self._prefix}:alerts", {
            "customer": sender, "kind": kind, "product": product_id or "", "category": category or "",
            "text": text[:500], "ts": repr(time.time()),
        }, maxlen=1_000_000, approximate=True)
