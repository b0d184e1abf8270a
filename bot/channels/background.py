"""Sends that outlive the request that started them (a slow answer pushed later, a button's acknowledgement).

Each task is kept referenced until it ends (asyncio keeps only weak references
to tasks, so a forgotten one can vanish mid-send) and ``drain`` waits for the
ones still running, at shutdown and in tests.  An exception in a task is
logged, never lost silently.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Awaitable, Set

logger = logging.getLogger(__name__)


class BackgroundTasks:
    def __init__(self) -> None:
        self._tasks: Set[asyncio.Task] = set()

    def __len__(self) -> int:
        return len(self._tasks)

    def start(self, coroutine: Awaitable[None]) -> asyncio.Task:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("a background send failed", exc_info=task.exception())

    async def drain(self, timeout: float = 30.0) -> None:
        """Waits (at most ``timeout`` seconds) for the tasks still running."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)
