"""Messages waiting for a customer whose channel cannot be called (web widget, REST), in Redis.

The console (or any process) pushes a message and publishes the conversation
id; the rasa server that holds the customer's widget session takes the
messages and emits them at once, and a widget that connects later, or a REST
client's next request, takes what is still there.  Taking is one atomic
LRANGE+DEL, so with several rasa servers each message is delivered once.

Keys: ``<p>:outbox:<conversation id>`` (list of JSON messages, expires after
``OUTBOX_TTL_SECONDS``) and the pub/sub channel ``<p>:outbox:notify``.

A message must reach the customer whole, yet personal data is never kept in
clear (docs/privacy.md): a text that holds some (an agent confirming the new
address) waits sealed with the shop's privacy key, as ``sealed_text``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from typing import Any, Awaitable, Callable, Dict, List, Optional

import redis.asyncio

from bot.language.masking import holds_personal_data
from bot.store.sealing import Sealer, default_sealer

logger = logging.getLogger(__name__)

OUTBOX_TTL_SECONDS = 30 * 24 * 3600


class Outbox:
    def __init__(self, client: redis.asyncio.Redis, key_prefix: str, sealer: Optional[Sealer] = None) -> None:
        self._redis = client
        self._prefix = key_prefix
        self._sealer = sealer or default_sealer()

    def _encoded(self, message: Dict[str, Any]) -> str:
        text = message.get("text")
        if self._sealer is not None and isinstance(text, str) and holds_personal_data(text):
            message = {**{k: v for k, v in message.items() if k != "text"}, "sealed_text": self._sealer.seal(text)}
        return json.dumps(message, ensure_ascii=False)

    def _decoded(self, item: str) -> Dict[str, Any]:
        message = json.loads(item)
        if isinstance(message, dict) and "sealed_text" in message:
            sealed = message.pop("sealed_text")
            message["text"] = (self._sealer.open(sealed) if self._sealer is not None else None) or ""
        return message

    def key(self, conversation_id: str) -> str:
        return f"{self._prefix}:outbox:{conversation_id}"

    @property
    def notify_channel(self) -> str:
        return f"{self._prefix}:outbox:notify"

    async def push(self, conversation_id: str, message: Dict[str, Any]) -> str:
        """Keeps ``message`` (``text`` and optional ``agent``) for the customer; returns its id."""
        message = {"id": uuid.uuid4().hex, "at": time.time(), **message}
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.rpush(self.key(conversation_id), self._encoded(message))
            pipe.expire(self.key(conversation_id), OUTBOX_TTL_SECONDS)
            pipe.publish(self.notify_channel, conversation_id)
            await pipe.execute()
        return message["id"]

    async def take(self, conversation_id: str) -> List[Dict[str, Any]]:
        """Every waiting message, oldest first; nobody else gets them."""
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.lrange(self.key(conversation_id), 0, -1)
            pipe.delete(self.key(conversation_id))
            raw, _ = await pipe.execute()
        messages = []
        for item in raw:
            try:
                messages.append(self._decoded(item))
            except ValueError:
                logger.warning("dropped a malformed outbox entry for %s", conversation_id)
        return messages

    async def give_back(self, conversation_id: str, messages: List[Dict[str, Any]]) -> None:
        """Messages taken but not delivered (the session left meanwhile) go back to the front."""
        if messages:
            await self._redis.lpush(self.key(conversation_id),
                                    *[self._encoded(m) for m in reversed(messages)])

    async def still_waiting(self, conversation_id: str, message_id: str) -> bool:
        for item in await self._redis.lrange(self.key(conversation_id), 0, -1):
            if f'"id": "{message_id}"' in item:
                return True
        return False

    async def wait_taken(self, conversation_id: str, message_id: str, timeout: float = 1.5,
                         interval: float = 0.05) -> bool:
        """Whether a rasa server took the message within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            if not await self.still_waiting(conversation_id, message_id):
                return True
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(interval)

    async def listen(self, on_conversation: Callable[[str], Awaitable[None]],
                     stopped: Optional[asyncio.Event] = None, retry_seconds: float = 1.0) -> None:
        """Calls ``on_conversation(id)`` for each notification, reconnecting after Redis outages."""
        while not (stopped and stopped.is_set()):
            pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self.notify_channel)
                while not (stopped and stopped.is_set()):
                    message = await pubsub.get_message(timeout=1.0)
                    if message and isinstance(message.get("data"), str):
                        try:
                            await on_conversation(message["data"])
                        except Exception:
                            logger.exception("delivering the outbox of %s failed", message["data"])
            except asyncio.CancelledError:
                raise
            except Exception as error:  # Redis went away: listen again shortly
                logger.warning("outbox notifications interrupted (%s); retrying", error)
                await asyncio.sleep(retry_seconds)
            finally:
                try:
                    await pubsub.close()
                except Exception:
                    pass
