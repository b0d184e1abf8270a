"""Reads what the analytics need from Redis, in chunks, into the plain rows of figures.py."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Optional

import redis.asyncio

from bot.analytics.turns import turns_key

CHUNK = 20_000


@dataclass
class Logs:
    turns: list = field(default_factory=list)  # (person, ts, fallback, confidence)
    handoffs: list = field(default_factory=list)  # (person, ts)
    events: list = field(default_factory=list)  # (person, type, product, category, reason, ts)
    purchases: list = field(default_factory=list)  # (person, ts)
    alerts: list = field(default_factory=list)  # (person, product, kind, outcome, ts)


def _float(value: Optional[str]) -> Optional[float]:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


async def _stream(client: redis.asyncio.Redis, key: str, since: float):
    start = f"{int(since * 1000)}-0" if since else "-"
    while True:
        rows = await client.xrange(key, min=start, max="+", count=CHUNK)
        for _, fields in rows:
            yield fields
        if len(rows) < CHUNK:
            return
        last = rows[-1][0]
        millis, sequence = last.split("-")
        start = f"{millis}-{int(sequence) + 1}"


async def read_logs(client: redis.asyncio.Redis, key_prefix: str, since: float = 0.0) -> Logs:
    """Every turn, event and alert outcome logged since ``since`` (unix seconds; 0: all kept)."""
    logs = Logs()
    async for fields in _stream(client, turns_key(key_prefix), since):
        ts = _float(fields.get("ts"))
        person = fields.get("person") or ""
        if ts is None or not person:
            continue
        logs.turns.append((person, ts, fields.get("fallback") == "1", _float(fields.get("confidence"))))
        if fields.get("handoff") == "1":
            logs.handoffs.append((person, ts))
    async for fields in _stream(client, f"{key_prefix}:events", since):
        ts = _float(fields.get("ts"))
        person = as_person(fields.get("customer") or "")
        if ts is None or not person:
            continue
        logs.events.append((person, fields.get("type", ""), fields.get("product", ""), fields.get("category", ""),
                            fields.get("reason", ""), ts))
        if fields.get("type") == "bought":
            logs.purchases.append((person, ts))
    async for fields in _stream(client, f"{key_prefix}:alerts:log", since):
        ts = _float(fields.get("ts"))
        if ts is None:
            continue
        logs.alerts.append((fields.get("person") or f"chat:{fields.get('conversation', '')}",
                            fields.get("product", ""), fields.get("kind", ""), fields.get("outcome", ""), ts))
    return logs


def as_person(customer: str) -> str:
    """Events the bot records name the person already (``customer:…``, ``wechat:…``, ``chat:…``);
    a shop posting to ``/events`` names its own customer id, which is that customer."""
    return customer if ":" in customer or not customer else f"customer:{customer}"


def now() -> float:
    return time.time()
