"""Tickets (工单): work for people, with a life: open → in progress → waiting for the customer → resolved.

A ticket is filed when the bot cannot finish something itself: a change only a
person can make, an order system that failed or refused, a complaint, a
message left after hours.  Agents work tickets in the console (assign, change
status, write to the customer); every change reaches the customer through the
outbound layer (bot/console/api.py), and the customer can ask about them.

Keys (``<p>`` is ``REDIS_KEY_PREFIX``):

``<p>:ticket:<id>``                   hash: the fields of :class:`Ticket`.
``<p>:ticket:<id>:log``               list of JSON entries (who, when, status, note, message), oldest first.
``<p>:tickets:all``                   sorted set of every ticket id by ``created_at``.
``<p>:tickets:status:<status>``       sorted set of ticket ids in that status by ``updated_at``.
``<p>:tickets:customer:<id>``         sorted set of a proven customer's tickets.
``<p>:tickets:conversation:<id>``     sorted set of the tickets of one chat (guests too).
``<p>:ticket_seq``                    counter behind the 6 digits of ticket ids.

Texts are masked at rest (bot/language/masking.py): a ticket's detail, the customer's further words and
the agents' notes and messages keep 139****5678, never the number.  Resolved tickets are
dropped after ``RETENTION_TICKETS_DAYS`` (bot/privacy/retention.py); erasure redacts a
ticket's personal fields and keeps the shop's record of the work (id, kind, order, statuses).
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, replace
from typing import Any, Callable, Optional, Sequence

import redis.asyncio
from redis.exceptions import WatchError

from bot.language.masking import mask_text
from bot.service.formatting import date_digits
from bot.store.redis_client import as_text

TICKET_KINDS = ("return_refund", "exchange", "cancel", "change_info", "change_spec", "status", "complaint",
                "handoff")
STATUSES = ("open", "in_progress", "waiting_customer", "resolved")
STATUS_LABELS = {"open": "待处理", "in_progress": "处理中", "waiting_customer": "等待您回复", "resolved": "已解决"}
# Which status may follow which; a resolved ticket can be reopened.
NEXT_STATUSES = {
    "open": ("in_progress", "waiting_customer", "resolved"),
    "in_progress": ("waiting_customer", "resolved"),
    "waiting_customer": ("in_progress", "resolved"),
    "resolved": ("in_progress",),
}
MAX_DETAIL_CHARS = 4000
MAX_MESSAGE_CHARS = 1000


class TicketError(ValueError):
    """A change the ticket's state does not allow (``code`` for the API: not_found, bad_status, …)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Ticket:
    id: str
    conversation_id: str
    customer_id: str  # "" for a guest
    channel: str
    order_id: str
    kind: str
    detail: str
    status: str
    assignee: str
    order_state: str
    created_at: float
    updated_at: float

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    def to_hash(self) -> dict[str, str]:
        return {name: str(value) for name, value in asdict(self).items()}

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "status_label": self.status_label}

    @classmethod
    def from_hash(cls, fields: dict) -> "Ticket":
        values = {as_text(key): as_text(value) for key, value in fields.items()}
        return cls(**{name: values.get(name, "") for name in cls.__dataclass_fields__ if name not in
                      ("created_at", "updated_at")},
                   created_at=float(values.get("created_at") or 0),
                   updated_at=float(values.get("updated_at") or values.get("created_at") or 0))


class TicketStore:
    def __init__(self, client: redis.asyncio.Redis, key_prefix: str, clock: Callable[[], float] = time.time) -> None:
        self._redis = client
        self._prefix = key_prefix
        self._clock = clock

    def _key(self, *parts: str) -> str:
        return ":".join((self._prefix, *parts))

    async def create(self, conversation_id: str, kind: str, detail: str, *, customer_id: str = "",
                     channel: str = "", order_id: str = "", order_state: str = "") -> Ticket:
        if kind not in TICKET_KINDS:
            raise ValueError(f"ticket kind must be one of {', '.join(TICKET_KINDS)}, got {kind!r}")
        now = self._clock()
        while True:
            sequence = await self._redis.incr(self._key("ticket_seq"))
            ticket_id = f"TK{date_digits(now)}{sequence % 1_000_000:06d}"
            # The 6 digits wrap after a million tickets; never overwrite an older one.
            if await self._redis.hsetnx(self._key("ticket", ticket_id), "id", ticket_id):
                break
        ticket = Ticket(ticket_id, conversation_id, customer_id or "", channel or "", order_id or "", kind,
                        mask_text(detail or "")[:MAX_DETAIL_CHARS], "open", "", order_state or "", now, now)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._key("ticket", ticket_id), mapping=ticket.to_hash())
            pipe.rpush(self._key("ticket", ticket_id, "log"), _entry(now, "bot", status="open", note=kind))
            pipe.zadd(self._key("tickets", "all"), {ticket_id: now})
            pipe.zadd(self._key("tickets", "status", "open"), {ticket_id: now})
            pipe.zadd(self._key("tickets", "conversation", conversation_id), {ticket_id: now})
            if customer_id:
                pipe.zadd(self._key("tickets", "customer", customer_id), {ticket_id: now})
            await pipe.execute()
        return ticket

    async def get(self, ticket_id: str) -> Optional[Ticket]:
        fields = await self._redis.hgetall(self._key("ticket", ticket_id))
        return Ticket.from_hash(fields) if fields and "kind" in {as_text(k) for k in fields} else None

    async def history(self, ticket_id: str) -> list[dict]:
        return [json.loads(as_text(raw)) for raw in await self._redis.lrange(self._key("ticket", ticket_id, "log"), 0, -1)]

    async def add_words(self, ticket_id: str, conversation_id: str, text: str) -> bool:
        """Appends the customer's further words (留言补充) to a ticket of their own chat; False otherwise."""
        text = mask_text(text or "")
        key = self._key("ticket", ticket_id)
        async with self._redis.pipeline(transaction=True) as pipe:
            await pipe.watch(key)
            owner, detail = await pipe.hmget(key, "conversation_id", "detail")
            if owner is None or as_text(owner) != conversation_id:
                await pipe.unwatch()
                return False
            now = self._clock()
            pipe.multi()
            pipe.hset(key, mapping={"detail": (as_text(detail or "") + "\n" + (text or "")[:MAX_MESSAGE_CHARS]
                                               )[-MAX_DETAIL_CHARS:], "updated_at": str(now)})
            pipe.rpush(self._key("ticket", ticket_id, "log"), _entry(now, "customer", message=text[:MAX_MESSAGE_CHARS]))
            await pipe.execute()
        return True

    async def of_customer(self, customer_id: str, limit: int = 20) -> list[Ticket]:
        """A proven customer's tickets, newest first."""
        return await self._load(await self._redis.zrevrange(self._key("tickets", "customer", customer_id), 0, limit - 1))

    async def of_conversation(self, conversation_id: str, limit: int = 20) -> list[Ticket]:
        return await self._load(await self._redis.zrevrange(self._key("tickets", "conversation", conversation_id),
                                                            0, limit - 1))

    async def page(self, status: Optional[str] = None, limit: int = 50,
                   before: Optional[float] = None) -> tuple[list[Ticket], Optional[float]]:
        """Tickets newest first (by last change within a status, by creation overall); the next cursor."""
        if status is not None and status not in STATUSES:
            raise TicketError("bad_status", f"status must be one of {', '.join(STATUSES)}")
        key = self._key("tickets", "status", status) if status else self._key("tickets", "all")
        top = f"({before}" if before is not None else "+inf"
        rows = await self._redis.zrevrangebyscore(key, top, "-inf", start=0, num=limit + 1, withscores=True)
        tickets = await self._load([ticket_id for ticket_id, _ in rows[:limit]])
        return tickets, (rows[limit - 1][1] if len(rows) > limit else None)

    async def change(self, ticket_id: str, by: str, *, status: Optional[str] = None,
                     assignee: Optional[str] = None, note: str = "", message: str = "") -> tuple[Ticket, Ticket]:
        """Changes status and/or assignee in one step (checked against NEXT_STATUSES); (before, after)."""
        key = self._key("ticket", ticket_id)
        for _ in range(10):
            async with self._redis.pipeline(transaction=True) as pipe:
                await pipe.watch(key)
                fields = await pipe.hgetall(key)
                if not fields or "kind" not in {as_text(k) for k in fields}:
                    await pipe.unwatch()
                    raise TicketError("not_found", f"no ticket {ticket_id}")
                before = Ticket.from_hash(fields)
                if status is not None and status != before.status and status not in NEXT_STATUSES.get(before.status, ()):
                    await pipe.unwatch()
                    raise TicketError("bad_status", f"a ticket that is {before.status} cannot become {status!r}; "
                                                    f"allowed: {', '.join(NEXT_STATUSES.get(before.status, ()))}")
                now = self._clock()
                after = replace(before, status=status or before.status,
                                assignee=before.assignee if assignee is None else assignee, updated_at=now)
                pipe.multi()
                pipe.hset(key, mapping=after.to_hash())
                pipe.zrem(self._key("tickets", "status", before.status), ticket_id)
                pipe.zadd(self._key("tickets", "status", after.status), {ticket_id: now})
                pipe.rpush(self._key("ticket", ticket_id, "log"), _entry(
                    now, by, status=after.status if after.status != before.status else None,
                    assignee=after.assignee if after.assignee != before.assignee else None,
                    note=mask_text(note)[:MAX_MESSAGE_CHARS], message=mask_text(message)[:MAX_MESSAGE_CHARS]))
                try:
                    await pipe.execute()
                    return before, after
                except WatchError:
                    continue
        raise TicketError("busy", "the ticket kept changing; try again")

    async def redact(self, ticket_id: str) -> bool:
        """Erasure (删除个人数据): the ticket keeps its id, kind, order and statuses, loses who and what was said."""
        ticket = await self.get(ticket_id)
        if ticket is None:
            return False
        redacted = replace(ticket, conversation_id="", customer_id="", channel="", detail=REDACTED)
        log_key = self._key("ticket", ticket_id, "log")
        entries = [{k: v for k, v in entry.items() if k in ("at", "by", "status", "assignee")}
                   for entry in await self.history(ticket_id)]
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._key("ticket", ticket_id), mapping=redacted.to_hash())
            pipe.delete(log_key)
            for entry in entries:
                pipe.rpush(log_key, json.dumps(entry, ensure_ascii=False))
            pipe.zrem(self._key("tickets", "conversation", ticket.conversation_id), ticket_id)
            if ticket.customer_id:
                pipe.zrem(self._key("tickets", "customer", ticket.customer_id), ticket_id)
            await pipe.execute()
        return True

    async def drop(self, ticket_id: str) -> None:
        """Retention: a resolved ticket past its time is removed with every index entry."""
        ticket = await self.get(ticket_id)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.delete(self._key("ticket", ticket_id), self._key("ticket", ticket_id, "log"))
            pipe.zrem(self._key("tickets", "all"), ticket_id)
            for status in STATUSES:
                pipe.zrem(self._key("tickets", "status", status), ticket_id)
            if ticket is not None:
                pipe.zrem(self._key("tickets", "conversation", ticket.conversation_id), ticket_id)
                if ticket.customer_id:
                    pipe.zrem(self._key("tickets", "customer", ticket.customer_id), ticket_id)
            await pipe.execute()

    async def _load(self, ids: Sequence[Any]) -> list[Ticket]:
        if not ids:
            return []
        async with self._redis.pipeline(transaction=False) as pipe:
            for ticket_id in ids:
                pipe.hgetall(self._key("ticket", as_text(ticket_id)))
            rows = await pipe.execute()
        return [Ticket.from_hash(row) for row in rows if row]


REDACTED = "[已按顾客要求删除]"


def _entry(at: float, by: str, **fields: Any) -> str:
    return json.dumps({"at": at, "by": by, **{k: v for k, v in fields.items() if v not in (None, "")}},
                      ensure_ascii=False)
