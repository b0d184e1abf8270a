"""Customer profiles (用户画像) and the event log (行为日志) in Redis, written through this module only.

Key schema (``<p>`` is ``REDIS_KEY_PREFIX``):

``<p>:events``                  stream, append-only: one entry per event with the
                                fields ``customer``, ``type``, ``product``,
                                ``category``, ``brand``, ``price``, ``text``, ``ts``
                                (and ``reason`` for ``shown``);
                                trimmed to about ``EVENT_LOG_MAX_LENGTH`` entries.
``<p>:profile:<customer>``      hash: ``category:<leaf>`` and ``brand:<brand>`` interest
                                weights, ``price_weight`` and ``price_weighted_sum``
                                (the weighted mean price the customer looks at), ``events``
                                (count) and ``updated`` (unix seconds).
``<p>:bought:<customer>``       set of product ids the customer bought.
``<p>:unpersonalised:<customer>`` string, set while the customer has turned personalised
                                recommendations off (关闭个性化推荐): no profile is kept or read.

Profiles and bought-sets expire ``PROFILE_TTL_SECONDS`` after the customer's last event.
Analytics and the agent console read the stream; the recommender reads profiles.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional

import redis.asyncio

from bot.language.masking import mask_text
from bot.store.redis_client import as_text
from bot.store.streams import PersonalStream

EVENT_TYPES = ("shown", "clicked", "bought", "asked")
# How much one event says about what the customer wants: being shown a product
# says little, buying it says most.
EVENT_WEIGHTS = {"shown": 0.1, "clicked": 1.0, "asked": 0.6, "bought": 3.0}
EVENT_LOG_MAX_LENGTH = 1_000_000
PROFILE_TTL_SECONDS = 180 * 24 * 3600
MAX_CUSTOMER_ID_LENGTH = 128


@dataclass(frozen=True)
class CustomerEvent:
    customer_id: str
    type: str
    product_id: str = ""
    category: str = ""
    brand: str = ""
    price: Optional[float] = None
    text: str = ""
    timestamp: float = field(default_factory=time.time)
    reason: str = ""  # shown: the kind of recommendation reason (bot/recommender/reasons.py: reason_kind)

    def __post_init__(self) -> None:
        if self.type not in EVENT_TYPES:
            raise ValueError(f"event type must be one of {', '.join(EVENT_TYPES)}, got {self.type!r}")
        check_customer_id(self.customer_id)
        if self.price is not None and not (math.isfinite(self.price) and self.price >= 0):
            raise ValueError("price must be a non-negative number")


def check_customer_id(customer_id: Any) -> str:
    if not isinstance(customer_id, str) or not customer_id.strip():
        raise ValueError("customer_id must be a non-empty string")
    if len(customer_id) > MAX_CUSTOMER_ID_LENGTH:
        raise ValueError(f"customer_id is longer than {MAX_CUSTOMER_ID_LENGTH} characters")
    return customer_id


@dataclass(frozen=True)
class CustomerProfile:
    """What a customer's history says they like; empty for a new customer."""

    categories: Mapping[str, float] = field(default_factory=dict)
    brands: Mapping[str, float] = field(default_factory=dict)
    price_level: Optional[float] = None
    bought: frozenset[str] = frozenset()
    events: int = 0

    @property
    def is_empty(self) -> bool:
        return not (self.categories or self.brands or self.bought)

    def category_affinity(self, category: str) -> float:
        """Share of the customer's category interest that goes to ``category`` (0–1)."""
        return _share(self.categories, category)

    def brand_affinity(self, brand: str) -> float:
        return _share(self.brands, brand)


def _share(weights: Mapping[str, float], key: str) -> float:
    total = sum(weights.values())
    return weights.get(key, 0.0) / total if total > 0 else 0.0


def unpersonalised_key(key_prefix: str, customer_id: str) -> str:
    """Set while the customer turned personalised recommendations off (bot/store/customer_memory.py sets it)."""
    return f"{key_prefix}:unpersonalised:{customer_id}"


class CustomerActivityStore:
    """Appends events and keeps each customer's profile up to date, in one Redis transaction."""

    def __init__(self, client: redis.asyncio.Redis, key_prefix: str) -> None:
        self._redis = client
        self._prefix = key_prefix
        self._events = PersonalStream(client, key_prefix, self.events_key, EVENT_LOG_MAX_LENGTH)

    def _key(self, *parts: str) -> str:
        return ":".join((self._prefix, *parts))

    @property
    def events_key(self) -> str:
        return self._key("events")

    async def record(self, event: CustomerEvent) -> str:
        """Appends ``event`` to the log and folds it into the profile (unless the customer turned
        personalising off); returns the stream id."""
        weight = EVENT_WEIGHTS[event.type]
        personalised = not await self._redis.exists(unpersonalised_key(self._prefix, event.customer_id))
        entry = {
            "customer": event.customer_id, "type": event.type, "product": event.product_id,
            "category": event.category, "brand": event.brand,
            "price": "" if event.price is None else repr(float(event.price)),
            "text": mask_text(event.text[:500]), "ts": repr(event.timestamp),
            **({"reason": event.reason[:50]} if event.reason else {}),
        }
        async with self._redis.pipeline(transaction=True) as pipe:
            await self._events.add(entry, [event.customer_id], pipe)
            if personalised:
                self._fold(pipe, event, weight)
            results = await pipe.execute()
        stream_id = results[0]
        return stream_id.decode() if isinstance(stream_id, bytes) else str(stream_id)

    def _fold(self, pipe: Any, event: CustomerEvent, weight: float) -> None:
        """Adds the event to the customer's profile (and bought set) in the transaction ``pipe``."""
        profile_key = self._key("profile", event.customer_id)
        bought_key = self._key("bought", event.customer_id)
        if event.category:
            pipe.hincrbyfloat(profile_key, f"category:{event.category}", weight)
        if event.brand:
            pipe.hincrbyfloat(profile_key, f"brand:{event.brand}", weight)
        if event.price is not None and event.type != "shown":
            pipe.hincrbyfloat(profile_key, "price_weight", weight)
            pipe.hincrbyfloat(profile_key, "price_weighted_sum", weight * float(event.price))
        pipe.hincrby(profile_key, "events", 1)
        pipe.hset(profile_key, "updated", int(event.timestamp))
        pipe.expire(profile_key, PROFILE_TTL_SECONDS)
        if event.type == "bought" and event.product_id:
            pipe.sadd(bought_key, event.product_id)
            pipe.expire(bought_key, PROFILE_TTL_SECONDS)

    async def profile(self, customer_id: str) -> CustomerProfile:
        """What the customer looks at and buys; empty while they have personalising turned off."""
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.hgetall(self._key("profile", customer_id))
            pipe.smembers(self._key("bought", customer_id))
            pipe.exists(unpersonalised_key(self._prefix, customer_id))
            fields, bought, unpersonalised = await pipe.execute()
        if unpersonalised:
            return CustomerProfile()
        categories: dict[str, float] = {}
        brands: dict[str, float] = {}
        for raw_name, raw_value in (fields or {}).items():
            name = as_text(raw_name)
            kind, _, key = name.partition(":")
            if kind == "category" and key:
                categories[key] = float(as_text(raw_value))
            elif kind == "brand" and key:
                brands[key] = float(as_text(raw_value))
        values = {as_text(k): as_text(v) for k, v in (fields or {}).items()}
        price_weight = float(values.get("price_weight", 0) or 0)
        price_level = (
            float(values.get("price_weighted_sum", 0)) / price_weight if price_weight > 0 else None
        )
        return CustomerProfile(
            categories=categories, brands=brands, price_level=price_level,
            bought=frozenset(as_text(item) for item in (bought or ())),
            events=int(values.get("events", 0) or 0),
        )

    async def recent_events(self, count: int = 100) -> list[dict[str, str]]:
        """The newest events first, for the agent console and analytics."""
        entries = await self._redis.xrevrange(self.events_key, count=count)
        return [{"id": as_text(entry_id), **{as_text(k): as_text(v) for k, v in data.items()}}
                for entry_id, data in entries]
