"""The log of customer turns the analytics read: one stream entry per customer message.

Written by the rasa server's tracker store as each turn is saved
(bot/store/rasa_stores.py).  ``person`` is whom the turn belongs to across
visits: the proven customer or the WeChat / Telegram account
(bot/store/customer_memory.py: memory_key), else the chat.

Key: ``<p>:analytics:turns``  stream: ``person``, ``conversation``, ``channel``, ``intent``,
``confidence``, ``fallback`` (1/0), ``handoff`` (1/0: the customer asked for a person, or the
turn handed over), ``ts`` (unix seconds of the message).

For the customer simulator only (bench/simulate_customers.py), a message may
carry ``metadata.simulated_at`` (unix seconds) and is logged at that time; it
counts only when ``SHOPBOT_SIMULATED_CLOCK=1``, never in a shop's production.
"""

from __future__ import annotations

import math
import os
from typing import Any, Iterable, Mapping, Optional

import redis.asyncio

from bot.identity import identity_in_metadata
from bot.store.customer_memory import memory_key
from bot.store.streams import PersonalStream

MAX_TURNS = 5_000_000


def turns_key(key_prefix: str) -> str:
    return f"{key_prefix}:analytics:turns"


def person_of(metadata: Optional[Mapping[str, Any]], channel: str, conversation: str) -> str:
    identity = identity_in_metadata(metadata)
    return memory_key(identity.customer_id if identity else None, channel, conversation) or f"chat:{conversation}"


def turn_time(metadata: Optional[Mapping[str, Any]], at: float, environ: Mapping[str, str] = os.environ) -> float:
    """``at``, or the simulator's shifted clock when simulation is switched on."""
    simulated = (metadata or {}).get("simulated_at")
    if environ.get("SHOPBOT_SIMULATED_CLOCK") == "1" and isinstance(simulated, (int, float)) \
            and math.isfinite(simulated) and simulated > 0:
        return float(simulated)
    return at


class TurnLog:
    def __init__(self, client: redis.asyncio.Redis, key_prefix: str) -> None:
        self._redis = client
        self.key = turns_key(key_prefix)
        self._stream = PersonalStream(client, key_prefix, self.key, MAX_TURNS)

    async def record(self, turns: Iterable[Mapping[str, Any]]) -> None:
        """Each turn: ``person``, ``conversation``, ``channel``, ``intent``, ``confidence``, ``fallback``, ``ts``."""
        turns = list(turns)
        if not turns:
            return
        async with self._redis.pipeline(transaction=False) as pipe:
            for turn in turns:
                await self._stream.add(turn, [turn.get("person"), f"chat:{turn.get('conversation')}"], pipe)
            await pipe.execute()
