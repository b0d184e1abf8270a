"""Erasure (删除个人数据, PIPL art. 47): every key and stream entry about a customer, in one call.

A proven customer's erasure covers every chat they wrote from (the tracker
store notes them, bot/store/privacy_records.py) and what is kept under their
customer id; a guest's covers their own chat.  What goes:

* each chat: the tracker (every session), its lock, the conversation index
  entry with its log and search text, NLU review items and annotations, the
  outbox, alert subscriptions with their queued notices and daily counts,
  WeChat's numbered choices, the linked-account cache, the privacy records
  (sealed originals, a flow's held values, a pending request);
* each person (``customer:<id>``, ``chat:<sender>``, ``wechat:<openid>`` …):
  the remembered preferences, the recommender's profile and bought set, and
  every stream entry (events, analytics turns, alert log) through its entry list;
* tickets: redacted, not deleted: the shop keeps the record of the work (id,
  kind, order, statuses) without who wrote what (bot/service/tickets.py).

An audit record without personal data is left (the subject as a keyed digest).
The shop's own order system is the shop's record of sale and is not touched.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Iterable, List, Optional

import redis.asyncio

from bot.alerts.subscriptions import Subscriptions
from bot.service.tickets import TicketStore
from bot.store.conversations import ConversationIndex
from bot.store.customer_memory import memory_key
from bot.store.privacy_records import PrivacyRecords
from bot.store.redis_client import as_text
from bot.store.streams import erase_entries

logger = logging.getLogger(__name__)


@dataclass
class ErasureReport:
    chats: int = 0
    keys: int = 0
    stream_entries: int = 0
    tickets_redacted: int = 0
    alerts: int = 0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Subject:
    """Whose data: a proven customer (with the chats they wrote from) or one guest chat."""

    customer_id: Optional[str]
    chats: List[str] = field(default_factory=list)

    @property
    def audit_name(self) -> str:
        return f"customer:{self.customer_id}" if self.customer_id else f"chat:{self.chats[0]}"


class PersonalStores:
    """Where a person's data is kept, for erasure and export alike."""

    def __init__(self, client: redis.asyncio.Redis, key_prefix: str, records: PrivacyRecords) -> None:
        self._redis = client
        self._prefix = key_prefix
        self.records = records
        self.index = ConversationIndex(client, key_prefix)
        self.tickets = TicketStore(client, key_prefix)
        self.subscriptions = Subscriptions(client, key_prefix)

    def _key(self, *parts: str) -> str:
        return ":".join((self._prefix, *parts))

    async def subject(self, customer_id: Optional[str], chat: Optional[str] = None) -> Subject:
        chats = await self.records.chats_of(customer_id) if customer_id else []
        if chat and chat not in chats:
            chats.append(chat)
        return Subject(customer_id, chats)

    async def people(self, subject: Subject) -> List[str]:
        """The names the streams and profiles know the subject by: customer, chats, channel accounts."""
        people = [f"customer:{subject.customer_id}"] if subject.customer_id else []
        for chat in subject.chats:
            channel = await self.index.client.hget(self.index.key(chat), "channel") or ""
            people += [f"chat:{chat}", memory_key(None, as_text(channel), chat) or ""]
        return list(dict.fromkeys(person for person in people if person))


class Eraser(PersonalStores):
    async def erase(self, subject: Subject, by: str) -> ErasureReport:
        report = ErasureReport(chats=len(subject.chats))
        people = await self.people(subject)  # before the chats' index entries go
        for chat in subject.chats:
            for ticket in await self.tickets.of_conversation(chat, limit=10_000):
                report.tickets_redacted += await self.tickets.redact(ticket.id)
            report.alerts += await self._erase_alerts(chat)
            report.keys += await self.forget_chat(chat)
        if subject.customer_id:
            for ticket in await self.tickets.of_customer(subject.customer_id, limit=10_000):
                report.tickets_redacted += await self.tickets.redact(ticket.id)
            report.keys += await self._redis.delete(self.records.key("chats", subject.customer_id))
        for person in people:
            report.keys += await self._redis.delete(self._key("memory", person), self._key("profile", person),
                                                    self._key("bought", person))
            report.stream_entries += await erase_entries(self._redis, self._prefix, person)
        await self.records.audit("erase", by, subject.audit_name, report.as_dict())
        logger.info("erasure done: %s", report.as_dict())
        return report

    async def forget_chat(self, chat: str) -> int:
        """The chat's own keys (tracker, index, log, review items, privacy records …); how many went.

        Retention calls this alone: a chat's tickets and alerts have limits of their own
        (a restock alert may wait longer than a quiet chat is kept).
        """
        await self.index.forget(chat)
        await self._redis.srem(self._key("nlu", "annotated"), chat)
        per_chat = [self._key("tracker", chat), self._key("outbox", chat),
                    self._key("nlu", "annotations", chat), *self.records.chat_keys(chat)]
        per_chat += [self._key(channel, "choices", chat) for channel in ("wechat", "wecom")]
        per_chat += [self._key("identity", "account", channel, chat) for channel in ("wechat", "wecom", "telegram")]
        return await self._redis.delete(*per_chat)

    async def _erase_alerts(self, chat: str) -> int:
        subscriptions = await self.subscriptions.all_of_conversation(chat)
        ids = {subscription.id for subscription in subscriptions}
        # the daily counts live 3 days (bot/alerts/schedule.py): every day they could name, in any time zone
        days = {time.strftime("%Y%m%d", time.gmtime(time.time() + offset * 3600)) for offset in range(-96, 37, 12)}
        await self._redis.delete(*[self._key("alerts", "count", chat, day) for day in days])
        if not ids:
            return 0
        await self._redis.delete(self._key("alerts", "conversation", chat))
        for subscription in subscriptions:
            await self.subscriptions.finish(subscription, "erased")
        notices = await self._notices_of(chat)
        async with self._redis.pipeline(transaction=True) as pipe:
            for notice in notices:
                pipe.zrem(self._key("alerts", "due"), notice)
                pipe.zrem(self._key("alerts", "leased"), notice)
                pipe.delete(self._key("alerts", "notice", notice))
            for alert_id in ids:
                pipe.delete(self._key("alert", alert_id))
            await pipe.execute()
        async for key in self._redis.scan_iter(match=self._key("alerts", "once", "*")):
            if as_text(key).split(":")[-2] in ids:
                await self._redis.delete(key)
        return len(ids)

    async def _notices_of(self, chat: str) -> Iterable[str]:
        """Notices kept for the chat, queued or sent (kept 30 days for the analytics)."""
        keys = [key async for key in self._redis.scan_iter(match=self._key("alerts", "notice", "*"), count=1000)]
        found = []
        for start in range(0, len(keys), 500):
            async with self._redis.pipeline(transaction=False) as pipe:
                for key in keys[start:start + 500]:
                    pipe.hget(key, "conversation_id")
                owners = await pipe.execute()
            found += [as_text(key).rsplit(":", 1)[-1] for key, owner in zip(keys[start:start + 500], owners)
                      if owner is not None and as_text(owner) == chat]
        return found


__all__ = ["Eraser", "ErasureReport", "PersonalStores", "Subject"]
