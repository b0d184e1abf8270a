"""The action server's client of the recommender service (aiohttp, timeouts, one retry)."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from typing import Any, Optional, Sequence

import aiohttp

from bot.identity.service_tokens import configured
from bot.settings import turn_wait_seconds

logger = logging.getLogger(__name__)

TIMEOUT = aiohttp.ClientTimeout(total=3.0, connect=1.0)
RETRY_DELAY_SECONDS = 0.2


class RecommenderUnavailable(Exception):
    """The service did not answer (down, slow or broken): the bot apologises instead."""


class RecommenderRefused(Exception):
    """The service refused the request (400): ``code`` and ``field`` say which condition."""

    def __init__(self, body: dict) -> None:
        super().__init__(body.get("message", ""))
        self.code = body.get("error", "")
        self.field = body.get("field", "")
        self.message = body.get("message", "")


class RecommenderClient:
    def __init__(self, base_url: Optional[str] = None) -> None:
        self.base_url = (base_url or os.environ.get("RECOMMENDER_URL") or "http://127.0.0.1:5056").rstrip("/")
        self._restart_wait = turn_wait_seconds("RECOMMENDER_WAIT_SECONDS")
        token = configured("RECOMMENDER_TOKEN")
        self._headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._session: Optional[aiohttp.ClientSession] = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=TIMEOUT, headers=self._headers)
        return self._session

    async def _call(self, method: str, path: str, **kwargs: Any) -> dict:
        """One retry for a failed call; a recommender that refuses connections (restarting) is waited for
        up to ``RECOMMENDER_WAIT_SECONDS`` (8), since the request never reached it."""
        last_error: Optional[BaseException] = None
        deadline = time.monotonic() + self._restart_wait
        attempt = 0
        while True:
            attempt += 1
            try:
                async with self._client().request(method, f"{self.base_url}{path}", **kwargs) as response:
                    if response.status == 400:
                        raise RecommenderRefused(await response.json(content_type=None))
                    if response.status >= 500:
                        raise RecommenderUnavailable(f"{path} answered {response.status}")
                    response.raise_for_status()
                    return await response.json(content_type=None)
            except aiohttp.ClientConnectorError as error:  # nothing was sent: waiting is safe
                last_error = error
                if time.monotonic() + RETRY_DELAY_SECONDS > deadline:
                    break
                logger.warning("recommender %s %s: not reachable (%s), waiting", method, path, error)
            except (aiohttp.ClientError, asyncio.TimeoutError, RecommenderUnavailable, ValueError) as error:
                last_error = error
                logger.warning("recommender %s %s failed (attempt %d): %s", method, path, attempt, error)
                if attempt > 1:
                    break
            await asyncio.sleep(RETRY_DELAY_SECONDS)
        raise RecommenderUnavailable(str(last_error))

    async def recommend(self, customer_id: str, text: str, conditions: dict, exclude: Sequence[str] = (),
                        record_shown: bool = True, newest: Sequence[str] = (),
                        exclude_brands: Sequence[str] = (), loosen_first: Sequence[str] = ()) -> dict:
        """``record_shown=False`` for a look-up the customer does not see as recommendations;
        ``newest``: the conditions just stated, loosened last; ``loosen_first``: accepted loosened;
        ``exclude_brands``: 换个牌子."""
        body = {"customer_id": customer_id, "text": text, "conditions": conditions, "exclude": list(exclude),
                "record_shown": record_shown, "newest": [name for name in newest if name in conditions]}
        if loosen_first:
            body["loosen_first"] = [name for name in loosen_first if name in conditions]
        if exclude_brands:
            body["exclude_brands"] = list(exclude_brands)
        return await self._call("POST", "/recommend", json=body)

    async def products(self, ids: Sequence[str]) -> list[dict]:
        if not ids:
            return []
        result = await self._call("GET", "/products", params={"ids": ",".join(ids)})
        return result.get("products", [])

    async def named(self, name: str) -> list[dict]:
        """The catalog rows of the model ``name`` (小米平板6), in or out of stock."""
        result = await self._call("GET", "/products", params={"named": name})
        return result.get("products", [])

    async def record_event(self, customer_id: str, kind: str, product_id: str = "", text: str = "") -> None:
        """Best effort: a lost analytics event must never cost the customer a reply."""
        try:
            await self._call("POST", "/events", json={"customer_id": customer_id, "type": kind,
                                                       "product_id": product_id, "text": text[:500]})
        except (RecommenderUnavailable, RecommenderRefused) as error:
            logger.warning("event %s for %s not recorded: %s", kind, customer_id, error)

    async def search_knowledge(self, text: str, topic: Optional[str], only_topic: bool = False) -> dict:
        """``{"match": {...} or None, "fallback": "..."}`` from the shop's knowledge base (with ``only_topic``,
        a match of ``topic`` or none)."""
        body = {"text": text, "topic": topic, **({"only_topic": True} if only_topic else {})}
        return await self._call("POST", "/knowledge/search", json=body)
