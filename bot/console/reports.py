"""The retention report for supervisors in the console: the same figures as ``python -m bot.analytics report``.

Reading the logs and computing is work for seconds over a million events, so it
runs in a worker thread (the console's event loop keeps serving) and the
result is kept for a minute; charts are drawn from that same result.
"""

from __future__ import annotations

import asyncio
import os
import time
from typing import Dict, Optional

import redis.asyncio

from bot.analytics.data import read_logs
from bot.analytics.figures import Report
from bot.analytics.report import DEFAULT_MIN_GROUP, build
from bot.settings import ServiceHours, int_from_env

CHART_NAMES = ("cohorts.png", "funnel_category.png", "funnel_reason.png", "weekly_rates.png", "confidence.png")
FRESH_SECONDS = 60


class Reports:
    def __init__(self, client: redis.asyncio.Redis, key_prefix: str, min_group: Optional[int] = None,
                 fresh_seconds: Optional[float] = None) -> None:
        self._redis = client
        self._prefix = key_prefix
        self.min_group = max(2, min_group if min_group is not None else
                             int_from_env(os.environ, "ANALYTICS_MIN_GROUP", DEFAULT_MIN_GROUP))
        self.utc_offset_hours = ServiceHours.from_env().utc_offset_hours
        self._report: Optional[Report] = None
        self._charts: Dict[str, bytes] = {}
        self._charts_of: Optional[Report] = None
        self._made_at = 0.0
        self.fresh_seconds = fresh_seconds if fresh_seconds is not None else int_from_env(
            os.environ, "CONSOLE_REPORT_SECONDS", FRESH_SECONDS)
        self._lock = asyncio.Lock()
        self._drawing = asyncio.Lock()  # matplotlib draws one figure at a time, never in two threads

    async def latest(self) -> Report:
        async with self._lock:
            if self._report is None or time.monotonic() - self._made_at >= self.fresh_seconds:
                logs = await read_logs(self._redis, self._prefix)
                self._report = await asyncio.to_thread(build, logs, time.time(), self.utc_offset_hours,
                                                       self.min_group)
                self._made_at = time.monotonic()
            return self._report

    async def chart(self, name: str) -> bytes:
        report = await self.latest()
        async with self._drawing:
            if not self._charts or self._charts_of is not report:
                from bot.analytics.charts import all_charts  # matplotlib only when a chart is asked for

                self._charts = await asyncio.to_thread(all_charts, report)
                self._charts_of = report
            return self._charts[name]
