"""What the privacy layer keeps in Redis (every value that could be personal is sealed).

Keys (``<p>`` is ``REDIS_KEY_PREFIX``, ``<chat>`` a Rasa sender id):

``<p>:privacy:originals:<chat>``   hash: message time → the sealed original of a masked message,
                                   for a supervisor's logged unmasking; expires with the tracker
``<p>:privacy:flow:<chat>``        hash: name → sealed value a running flow needs whole (the new
                                   address given before the order was chosen); 30 minutes, and
                                   dropped when the flow ends
``<p>:privacy:chats:<customer>``   set of the chats a proven customer wrote from (export, erasure)
``<p>:privacy:pending:<chat>``     ``erase`` / ``export`` waiting for the customer's confirmation (10 min)
``<p>:privacy:export:<token>``     a sealed data export, downloadable for 24 hours
``<p>:privacy:audit``              stream: ``at``, ``action`` (erase, export, unmask, retention),
                                   ``by`` (customer, operator, an agent's name, retention),
                                   ``subject`` (keyed digest, never the id itself), ``detail`` (counts)
``<p>:privacy:entries:<subject>``  stream entries about a person (bot/store/streams.py)
"""

from __future__ import annotations

import json
import time
from typing import Any, Callable, Dict, Iterable, Mapping, Optional

import redis.asyncio

from bot.store.sealing import Sealer
from bot.store.redis_client import as_text

FLOW_TTL_SECONDS = 30 * 60
PENDING_TTL_SECONDS = 10 * 60
EXPORT_TTL_SECONDS = 24 * 3600
CHATS_TTL_SECONDS = 400 * 24 * 3600
AUDIT_KEPT = 100_000


class PrivacyRecords:
    def __init__(self, client: redis.asyncio.Redis, key_prefix: str, sealer: Optional[Sealer],
                 clock: Callable[[], float] = time.time) -> None:
        self._redis = client
        self._prefix = key_prefix
        self.sealer = sealer
        self._clock = clock

    def key(self, *parts: str) -> str:
        return ":".join((self._prefix, "privacy", *parts))

    # Originals of masked messages --------------------------------------------------------
    def keep_originals(self, pipe: Any, chat: str, originals: Mapping[str, str], ttl: Optional[int]) -> None:
        """Queues the sealed originals (message time → text) on ``pipe``; nothing without a key."""
        if not originals or self.sealer is None:
            return
        key = self.key("originals", chat)
        pipe.hset(key, mapping={at: self.sealer.seal(text) for at, text in originals.items()})
        if ttl:
            pipe.expire(key, ttl)

    async def originals(self, chat: str) -> Dict[str, str]:
        if self.sealer is None:
            return {}
        sealed = await self._redis.hgetall(self.key("originals", chat))
        opened = {as_text(at): self.sealer.open(as_text(value)) for at, value in sealed.items()}
        return {at: text for at, text in opened.items() if text is not None}

    # Values a running flow needs whole ----------------------------------------------------
    async def hold(self, chat: str, values: Mapping[str, str]) -> bool:
        """Keeps ``values`` sealed for the flow of ``chat``; False when there is no key to seal with."""
        values = {name: value for name, value in values.items() if value}
        if self.sealer is None or not values:
            return False
        key = self.key("flow", chat)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(key, mapping={name: self.sealer.seal(value) for name, value in values.items()})
            pipe.expire(key, FLOW_TTL_SECONDS)
            await pipe.execute()
        return True

    async def held(self, chat: str) -> Dict[str, str]:
        if self.sealer is None:
            return {}
        sealed = await self._redis.hgetall(self.key("flow", chat))
        opened = {as_text(name): self.sealer.open(as_text(value)) for name, value in sealed.items()}
        return {name: value for name, value in opened.items() if value is not None}

    async def flow_ended(self, chat: str) -> None:
        await self._redis.delete(self.key("flow", chat))

    # Whose chats --------------------------------------------------------------------------
    def note_chat(self, pipe: Any, customer_id: str, chat: str) -> None:
        key = self.key("chats", customer_id)
        pipe.sadd(key, chat)
        pipe.expire(key, CHATS_TTL_SECONDS)

    async def chats_of(self, customer_id: str) -> list:
        return sorted(as_text(chat) for chat in await self._redis.smembers(self.key("chats", customer_id)))

    # Requests waiting for confirmation ----------------------------------------------------
    async def ask(self, chat: str, request: str) -> None:
        await self._redis.set(self.key("pending", chat), request, ex=PENDING_TTL_SECONDS)

    async def pending(self, chat: str) -> Optional[str]:
        value = await self._redis.get(self.key("pending", chat))
        return as_text(value) if value is not None else None

    async def answered(self, chat: str) -> None:
        await self._redis.delete(self.key("pending", chat))

    # Exports ------------------------------------------------------------------------------
    async def keep_export(self, token: str, document: Mapping[str, Any]) -> None:
        text = json.dumps(document, ensure_ascii=False, indent=2)
        sealed = self.sealer.seal(text) if self.sealer is not None else None
        if sealed is None:
            raise RuntimeError("PRIVACY_KEY is not set: an export cannot be kept for download")
        await self._redis.set(self.key("export", token), sealed, ex=EXPORT_TTL_SECONDS)

    async def export(self, token: str) -> Optional[str]:
        sealed = await self._redis.get(self.key("export", token))
        if sealed is None or self.sealer is None:
            return None
        return self.sealer.open(as_text(sealed))

    # Audit --------------------------------------------------------------------------------
    def subject_digest(self, subject: str) -> str:
        return self.sealer.digest(subject) if self.sealer is not None else "unkeyed"

    async def audit(self, action: str, by: str, subject: str, detail: Mapping[str, Any]) -> None:
        """An audit record without personal data: the subject only as a keyed digest."""
        await self._redis.xadd(self.key("audit"), {
            "at": repr(self._clock()), "action": action, "by": by, "subject": self.subject_digest(subject),
            "detail": json.dumps(dict(detail), ensure_ascii=False, sort_keys=True),
        }, maxlen=AUDIT_KEPT, approximate=True)

    async def audit_log(self, count: int = 100) -> list:
        rows = await self._redis.xrevrange(self.key("audit"), count=count)
        return [{as_text(k): as_text(v) for k, v in fields.items()} for _, fields in rows]

    def chat_keys(self, chat: str) -> Iterable[str]:
        return (self.key("originals", chat), self.key("flow", chat), self.key("pending", chat))


__all__ = ["PrivacyRecords", "FLOW_TTL_SECONDS", "EXPORT_TTL_SECONDS"]
