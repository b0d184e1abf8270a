"""Rasa's Redis tracker and lock stores, configured from the environment.

``endpoints.yml`` names these classes.  They differ from Rasa's own in two ways:

* the connection comes from :class:`bot.settings.RedisSettings` (``REDIS_URL``
  or ``REDIS_HOST``/``PORT``/``DB``/``PASSWORD``), with typed values: Rasa's
  ``${VAR}`` substitution in YAML yields strings, and ``record_exp: "3600"``
  or ``use_ssl: "false"`` would be wrong there;
* the tracker store talks to Redis through ``redis.asyncio``: Rasa's version
  makes blocking calls inside the server's event loop on every turn.

Keys: ``<prefix>:tracker:<sender_id>`` and ``<prefix>:lock:<conversation_id>``.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Iterable, Optional, Text

from rasa.core.brokers.broker import EventBroker
from rasa.core.lock_store import RedisLockStore as RasaRedisLockStore
from rasa.core.tracker_store import RedisTrackerStore as RasaRedisTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import (
    DialogueStateTracker,
    get_trackers_for_conversation_sessions,
)
from rasa.utils.endpoints import EndpointConfig

from bot.settings import RedisSettings
from bot.store.redis_client import async_client

logger = logging.getLogger(__name__)


class RedisTrackerStore(RasaRedisTrackerStore):
    """Conversation trackers in Redis, one JSON document per sender."""

    def __init__(
        self,
        domain: Domain,
        host: Optional[Text] = None,
        event_broker: Optional[EventBroker] = None,
        settings: Optional[RedisSettings] = None,
        **kwargs: Any,
    ) -> None:
        # ``host`` is the endpoint's ``url``, which Rasa passes to custom stores;
        # ours come from the environment, so a URL in the YAML is a mistake.
        if host:
            raise ValueError(
                "endpoints.yml: set REDIS_URL in the environment instead of tracker_store.url"
            )
        settings = settings or RedisSettings.from_env()
        super().__init__(
            domain,
            host=settings.host,
            port=settings.port,
            db=settings.db,
            username=settings.username,
            password=settings.password,
            use_ssl=settings.use_ssl,
            event_broker=event_broker,
            record_exp=settings.tracker_expiry_seconds or None,
            key_prefix=settings.key_prefix,
        )
        self.settings = settings
        self._redis = async_client(settings)

    async def save(self, tracker: DialogueStateTracker, timeout: Optional[float] = None) -> None:
        await self.stream_events(tracker)
        expiry = timeout or self.record_exp
        key = self.key_prefix + tracker.sender_id
        stored = await self._redis.get(key)
        if stored is not None and not _continues(tracker, stored):
            prior = self.deserialise_tracker(tracker.sender_id, stored)
            tracker = self._merge_trackers(prior, tracker)
        await self._redis.set(
            key, self.serialise_tracker(tracker), ex=int(expiry) if expiry else None
        )

    async def _retrieve(
        self, sender_id: Text, fetch_all_sessions: bool
    ) -> Optional[DialogueStateTracker]:
        stored = await self._redis.get(self.key_prefix + sender_id)
        if stored is None:
            return None
        tracker = self.deserialise_tracker(sender_id, stored)
        if fetch_all_sessions or tracker is None:
            return tracker
        sessions = get_trackers_for_conversation_sessions(tracker)
        return sessions[-1] if sessions else tracker

    async def keys(self) -> Iterable[Text]:
        prefix_length = len(self.key_prefix)
        return [
            key[prefix_length:]
            async for key in self._redis.scan_iter(match=self.key_prefix + "*", count=500)
        ]


def _continues(tracker: DialogueStateTracker, stored: bytes) -> bool:
    """Whether ``tracker`` holds every stored event: then it replaces them as it is.

    Rasa merges the stored tracker into the one being saved, which only matters
    when the stored one has earlier conversation sessions that ``retrieve`` left
    out.  Deserialising every stored event to find out took a tenth of a turn's
    CPU (profiled), so the common case, the same events plus this turn's, is
    recognised from the stored JSON: its event count and last timestamp.
    """
    events = json.loads(stored).get("events") or []
    if not events:
        return True
    if len(events) > len(tracker.events):
        return False
    return tracker.events[len(events) - 1].timestamp == events[-1].get("timestamp")


class RedisLockStore(RasaRedisLockStore):
    """Per-conversation locks in Redis, so several rasa servers can share trackers."""

    def __init__(
        self,
        endpoint_config: Optional[EndpointConfig] = None,
        settings: Optional[RedisSettings] = None,
    ) -> None:
        if endpoint_config is not None and endpoint_config.url:
            raise ValueError(
                "endpoints.yml: set REDIS_URL in the environment instead of lock_store.url"
            )
        settings = settings or RedisSettings.from_env()
        super().__init__(
            host=settings.host,
            port=settings.port,
            db=settings.db,
            username=settings.username,
            password=settings.password,
            use_ssl=settings.use_ssl,
            key_prefix=settings.key_prefix,
        )
