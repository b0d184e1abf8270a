"""The recommender hands every catalog it serves to :class:`CatalogWatch`, which queues the alerts due.

The catalog the alerts last saw is kept in Redis (``<p>:alerts:catalog``, a
hash of product id → :func:`~bot.alerts.changes.state_of`), so a change is
found whether it came through ``POST /admin/catalog`` or the importer before a
restart, and is found once: the first catalog ever seen is only remembered,
an identical upload changes nothing, and every notice is queued at most once
per subscription and change (schedule.py).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Callable, Iterable

import redis.asyncio

from bot.alerts.changes import catalog_changes, product_from_state, state_of
from bot.alerts.matching import notices_for
from bot.alerts.schedule import AlertSchedule
from bot.alerts.subscriptions import Subscriptions
from bot.catalog.model import Product
from bot.settings import ServiceHours

logger = logging.getLogger(__name__)
STATE_CHUNK = 1000
QUEUE_BATCH = 2000


@dataclass(frozen=True)
class WatchReport:
    baseline: bool  # the first catalog ever: remembered, nothing to compare with
    changes: int
    queued: int
    seconds: float

    def as_dict(self) -> dict:
        return {"baseline": self.baseline, "changes": self.changes, "alerts_queued": self.queued,
                "seconds": round(self.seconds, 3)}


class CatalogWatch:
    def __init__(self, client: redis.asyncio.Redis, key_prefix: str, hours: ServiceHours,
                 clock: Callable[[], float] = time.time) -> None:
        self._redis = client
        self._state_key = f"{key_prefix}:alerts:catalog"
        self.subscriptions = Subscriptions(client, key_prefix, clock)
        self.schedule = AlertSchedule(client, key_prefix, clock)
        self.hours = hours
        self._clock = clock

    async def observe(self, products: Iterable[Product]) -> WatchReport:
        started = time.perf_counter()
        products = list(products)
        seen = await self._redis.hgetall(self._state_key)
        states = {product.id: state_of(product) for product in products}
        if not seen:
            await self._remember(states, [])
            return WatchReport(True, 0, 0, time.perf_counter() - started)
        changed = [product for product in products if seen.get(product.id) != states[product.id]]
        before = {product.id: product_from_state(product.id, seen[product.id])
                  for product in changed if product.id in seen}
        changes = catalog_changes(before, changed)
        notices = []
        for change in changes:
            product = change.product
            if change.kind == "new":
                candidates = await self.subscriptions.for_new_arrivals(product.category, product.brand)
            else:
                candidates = await self.subscriptions.for_product(product.id)
            notices += notices_for(change, candidates)
        due = self.hours.next_open(self._clock())
        queued = 0
        for start in range(0, len(notices), QUEUE_BATCH):
            fresh = await self.schedule.enqueue(notices[start:start + QUEUE_BATCH], due)
            await self.subscriptions.told(fresh)
            queued += len(fresh)
        gone = [product_id for product_id in seen if product_id not in states]
        await self._remember({product.id: states[product.id] for product in changed}, gone)
        report = WatchReport(False, len(changes), queued, time.perf_counter() - started)
        logger.info("catalog watch: %d changes, %d alerts queued in %.2f s", report.changes, report.queued,
                    report.seconds)
        return report

    async def _remember(self, states: dict, gone: list) -> None:
        items = list(states.items())
        for start in range(0, len(items), STATE_CHUNK):
            await self._redis.hset(self._state_key, mapping=dict(items[start:start + STATE_CHUNK]))
        for start in range(0, len(gone), STATE_CHUNK):
            await self._redis.hdel(self._state_key, *gone[start:start + STATE_CHUNK])
