"""Request-text embeddings for the recommender: cached, and batched across concurrent requests.

The encoder costs about the same for one text as for a dozen short ones, so
texts that arrive while a batch is being encoded wait and go together in the
next one.  The encoder runs in a worker thread (ONNX Runtime releases the GIL), so the
event loop keeps serving requests meanwhile.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import OrderedDict
from typing import Callable, Optional, Sequence

import numpy as np

MAX_BATCH = 32
CACHE_SIZE = 4096


class EmbeddingBatcher:
    def __init__(self, embed: Callable[[Sequence[str]], np.ndarray],
                 max_batch: int = MAX_BATCH, cache_size: int = CACHE_SIZE) -> None:
        self._embed = embed
        self._max_batch = max_batch
        self._cache: "OrderedDict[str, np.ndarray]" = OrderedDict()
        self._cache_size = cache_size
        self._waiting: "OrderedDict[str, asyncio.Future]" = OrderedDict()
        self._worker: Optional[asyncio.Task] = None
        self._wake = asyncio.Event()
        self.batches = 0

    async def embed(self, text: str) -> np.ndarray:
        cached = self._cache.get(text)
        if cached is not None:
            self._cache.move_to_end(text)
            return cached
        future = self._waiting.get(text)
        if future is None:
            future = asyncio.get_running_loop().create_future()
            self._waiting[text] = future
            self._wake.set()
            self._ensure_worker()
        return await asyncio.shield(future)

    def _ensure_worker(self) -> None:
        if self._worker is None or self._worker.done():
            self._worker = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self._waiting:
                texts = list(itertools.islice(self._waiting, self._max_batch))
                futures = [self._waiting.pop(text) for text in texts]
                try:
                    vectors = await loop.run_in_executor(None, self._embed, texts)
                except Exception as error:  # every waiter learns why; the worker lives on
                    for future in futures:
                        if not future.done():
                            future.set_exception(error)
                    continue
                self.batches += 1
                for text, future, vector in zip(texts, futures, vectors):
                    self._remember(text, vector)
                    if not future.done():
                        future.set_result(vector)

    def _remember(self, text: str, vector: np.ndarray) -> None:
        self._cache[text] = vector
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    async def close(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
            try:
                await self._worker
            except asyncio.CancelledError:
                pass

