"""A customer's copy of their data (个人信息副本, PIPL art. 45), as one JSON document.

The same subject as erasure (bot/privacy/erasure.py): a proven customer's
chats and what is kept under their id, or one guest chat.  Messages come back
whole where the sealed original is still kept (the customer's own words are
not masked from the customer); everything else is as stored.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Dict, List

from bot.privacy.erasure import PersonalStores, Subject
from bot.store.redis_client import as_text
from bot.store.transcripts import transcript

TICKET_FIELDS = ("id", "kind", "status_label", "order_id", "detail", "created_at", "updated_at")
ALERT_FIELDS = ("id", "kind", "title", "category", "brand", "color", "size", "target_price", "status", "created_at")


def _text_map(raw: Dict[Any, Any]) -> Dict[str, str]:
    return {as_text(key): as_text(value) for key, value in raw.items()}


class Exporter(PersonalStores):
    async def document(self, subject: Subject) -> Dict[str, Any]:
        chats: List[Dict[str, Any]] = []
        tickets = {}
        alerts = []
        for chat in subject.chats:
            conversation = await self.index.get(chat)
            channel = conversation.channel if conversation else ""
            stored = await self._redis.get(self._key("tracker", chat))
            read = transcript(as_text(stored) if stored else None, await self.index.log(chat),
                              await self.records.originals(chat))
            chats.append({"chat": chat, "channel": channel,
                          "messages": [{key: message.get(key) for key in ("at", "role", "text") if key in message}
                                       for message in read["messages"]]})
            tickets.update({ticket.id: ticket for ticket in await self.tickets.of_conversation(chat, limit=10_000)})
            alerts += [{key: getattr(sub, key) for key in ALERT_FIELDS}
                       for sub in await self.subscriptions.all_of_conversation(chat)]
        if subject.customer_id:
            tickets.update({ticket.id: ticket for ticket in await self.tickets.of_customer(subject.customer_id,
                                                                                          limit=10_000)})
        remembered = {}
        for person in await self.people(subject):
            memory = _text_map(await self._redis.hgetall(self._key("memory", person)))
            profile = _text_map(await self._redis.hgetall(self._key("profile", person)))
            bought = sorted(as_text(item) for item in await self._redis.smembers(self._key("bought", person)))
            if memory or profile or bought:
                remembered[person] = {"preferences": memory, "interests": profile, "bought": bought}
        return {
            "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "customer_id": subject.customer_id,
            "chats": chats,
            "remembered": remembered,
            "alerts": alerts,
            "tickets": [{key: ticket.to_dict().get(key) for key in TICKET_FIELDS} for ticket in tickets.values()],
            "not_included": "订单、支付和物流信息由店铺的订单系统保存，请在店铺“我的订单”中查看。",
        }


__all__ = ["Exporter"]
