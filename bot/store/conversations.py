"""The conversation index (会话索引): who is talking, on which channel, in what state, in Redis.

Kept as conversations happen (the tracker store records each turn, the
handoff action and the console change the status), so the agents' inbox
never reads every tracker.  Every status change is one Lua script, so two
agents, two console replicas or an agent and the idle timer can never both win.

Keys (``<p>`` is ``REDIS_KEY_PREFIX``, ``<id>`` the Rasa sender id):

``<p>:conv:<id>``            hash: ``channel``, ``status`` (bot | waiting | agent | closed),
                             ``assigned_to``, ``created_at``, ``last_at``, ``last_text``,
                             ``customer_at`` (last customer message), ``pushed`` (messages
                             sent to the customer since then, for WeChat's limit),
                             ``waiting_since``, ``reason``, ``after_hours``, ``note_ticket``,
                             ``ticket_question`` (a ticket waiting for this customer's answer),
                             ``tags`` (JSON list), ``reviewed``, ``flag_<name>`` = 1
``<p>:conv:<id>:search``     recent message text, lower-cased, for the inbox's text search
``<p>:conv:<id>:log``        list of JSON entries the tracker does not hold: agent messages,
                             internal notes, notices the customer was sent, status changes
``<p>:convs:recent``         sorted set, every conversation by last activity
``<p>:convs:status:<s>``     sorted set per status by last activity; ``waiting`` by waiting time
``<p>:convs:channel:<c>``    sorted set per channel by last activity
``<p>:nlu:review``            sorted set of customer messages the NLU was unsure of
                             (``<conversation>\x1f<message id>``, by time), with their
                             text, intent and confidence in the hash ``<p>:nlu:review:items``
``<p>:console:events``       pub/sub channel of the console's event stream (``handoff``,
                             ``message``, ``status``), JSON ``{"event", "data"}``
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

import redis.asyncio

from bot.language.masking import mask_text

STATUSES = ("bot", "waiting", "agent", "closed")
FLAGS = ("fallback", "low_confidence", "complaint", "handoff")
SEARCH_TEXT_BYTES = 4000
LOG_ENTRIES_KEPT = 2000
REVIEW_QUEUE_KEPT = 10_000
MAX_TAGS = 20
MAX_TAG_CHARS = 30

# Records one message of a conversation: creates it (status bot) or reopens a closed one.
# KEYS: conv hash, search key.  ARGV: prefix, id, role, channel, ts, text, search cap, flags...
# Returns {status after, 1 if a closed conversation was reopened else 0}.
_RECORD = """
local key, search_key = KEYS[1], KEYS[2]
local p, id, role, channel, ts, text, cap = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], tonumber(ARGV[7])
local status = redis.call('HGET', key, 'status')
local reopened = 0
if (not status) or (status == 'closed' and role == 'customer') then
  if status then
    redis.call('ZREM', p .. ':convs:status:closed', id)
    reopened = 1
  end
  status = 'bot'
  redis.call('HSET', key, 'status', 'bot', 'assigned_to', '')
  redis.call('HSETNX', key, 'created_at', ts)
end
if channel ~= '' then
  local old = redis.call('HGET', key, 'channel')
  if old and old ~= channel then redis.call('ZREM', p .. ':convs:channel:' .. old, id) end
  redis.call('HSET', key, 'channel', channel)
  redis.call('ZADD', p .. ':convs:channel:' .. channel, ts, id)
end
redis.call('HSET', key, 'last_at', ts, 'last_text', text)
if role == 'customer' then
  redis.call('HSET', key, 'customer_at', ts, 'pushed', 0)
end
for i = 8, #ARGV do redis.call('HSET', key, 'flag_' .. ARGV[i], 1) end
redis.call('ZADD', p .. ':convs:recent', ts, id)
if status ~= 'waiting' then redis.call('ZADD', p .. ':convs:status:' .. status, ts, id) end
if text ~= '' then
  local s = (redis.call('GET', search_key) or '') .. '\\n' .. string.lower(text)
  if #s > cap then
    local start = #s - cap + 1
    -- never start inside a UTF-8 character
    while start <= #s do
      local b = string.byte(s, start)
      if b < 128 or b >= 192 then break end
      start = start + 1
    end
    s = string.sub(s, start)
  end
  redis.call('SET', search_key, s)
end
return {status, reopened}
"""

# Moves a conversation from one status to another if the rules allow it.
# KEYS: conv hash.  ARGV: prefix, id, allowed statuses (comma list), caller,
#   owner rule ('any' | 'mine': an agent-owned conversation must be the caller's),
#   new status, new owner, ts, idle cutoff ('' or a time the last activity must be before),
#   create ('1': a missing conversation is created, for the handoff action)
_TRANSITION = """
local key = KEYS[1]
local p, id, allowed, caller, rule, new_status, new_owner, ts, idle, create =
  ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9], ARGV[10]
local status = redis.call('HGET', key, 'status')
if not status then
  if create ~= '1' then return {'missing', '', ''} end
  status = 'bot'
  redis.call('HSET', key, 'status', 'bot', 'assigned_to', '', 'created_at', ts, 'last_at', ts)
  redis.call('ZADD', p .. ':convs:recent', ts, id)
end
local owner = redis.call('HGET', key, 'assigned_to') or ''
if not string.find(',' .. allowed .. ',', ',' .. status .. ',', 1, true) then return {'status', status, owner} end
if rule == 'mine' and status == 'agent' and owner ~= caller then return {'owner', status, owner} end
if rule == 'free' and status == 'agent' and owner ~= '' and owner ~= caller then return {'owner', status, owner} end
if idle ~= '' and tonumber(redis.call('HGET', key, 'last_at') or '0') >= tonumber(idle) then
  return {'active', status, owner}
end
redis.call('ZREM', p .. ':convs:status:' .. status, id)
redis.call('HSET', key, 'status', new_status, 'assigned_to', new_owner)
if new_status == 'waiting' then
  if status ~= 'waiting' then redis.call('HSET', key, 'waiting_since', ts) end
  redis.call('ZADD', p .. ':convs:status:waiting', redis.call('HGET', key, 'waiting_since'), id)
else
  redis.call('HDEL', key, 'waiting_since')
  redis.call('ZADD', p .. ':convs:status:' .. new_status, redis.call('HGET', key, 'last_at') or ts, id)
end
return {'ok', status, owner}
"""


class ConversationNotFound(LookupError):
    pass


class TransitionRefused(RuntimeError):
    """The conversation is not in a state that allows the change; ``reason`` says why."""

    def __init__(self, reason: str, status: str, owner: str) -> None:
        super().__init__(f"{reason}: status {status}, assigned to {owner or 'nobody'}")
        self.reason, self.status, self.owner = reason, status, owner


@dataclass(frozen=True)
class Conversation:
    """One row of the index, as the console API shows it."""

    id: str
    channel: str
    status: str
    assigned_to: Optional[str]
    last_at: float
    last_text: str
    flags: Tuple[str, ...] = ()
    tags: Tuple[str, ...] = ()
    reviewed: bool = False
    waiting_since: Optional[float] = None
    customer_at: Optional[float] = None
    pushed: int = 0
    after_hours: bool = False
    note_ticket: str = ""
    ticket_question: str = ""

    @classmethod
    def from_hash(cls, conversation_id: str, fields: Dict[str, str]) -> "Conversation":
        try:
            tags = tuple(json.loads(fields.get("tags") or "[]"))
        except ValueError:
            tags = ()
        return cls(
            id=conversation_id,
            channel=fields.get("channel") or "",
            status=fields.get("status") or "bot",
            assigned_to=fields.get("assigned_to") or None,
            last_at=_float(fields.get("last_at")) or 0.0,
            last_text=fields.get("last_text") or "",
            flags=tuple(flag for flag in FLAGS if fields.get(f"flag_{flag}")),
            tags=tags,
            reviewed=fields.get("reviewed") == "1",
            waiting_since=_float(fields.get("waiting_since")),
            customer_at=_float(fields.get("customer_at")),
            pushed=int(fields.get("pushed") or 0),
            after_hours=fields.get("after_hours") == "1",
            note_ticket=fields.get("note_ticket") or "",
            ticket_question=fields.get("ticket_question") or "",
        )

    def item(self) -> Dict[str, Any]:
        """The conversation item of the console API (``console-api.md``)."""
        return {
            "id": self.id,
            "channel": self.channel,
            "status": self.status,
            "assigned_to": self.assigned_to,
            "last_message_at": iso_time(self.last_at),
            "last_text": self.last_text,
            "flags": list(self.flags),
            "tags": list(self.tags),
            "reviewed": self.reviewed,
            "waiting_since": iso_time(self.waiting_since) if self.waiting_since else None,
        }


def iso_time(unix_time: Optional[float]) -> Optional[str]:
    if unix_time is None:
        return None
    return datetime.fromtimestamp(unix_time, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _float(value: Optional[str]) -> Optional[float]:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Page:
    conversations: List[Conversation]
    next_cursor: Optional[str]


class ConversationIndex:
    """The index and the console's event channel (key schema: module docstring)."""

    def __init__(self, client: redis.asyncio.Redis, key_prefix: str, clock=time.time) -> None:
        self._redis = client
        self.prefix = key_prefix
        self._clock = clock
        self._record = client.register_script(_RECORD)
        self._transition = client.register_script(_TRANSITION)

    def now(self) -> float:
        """The index's clock: times it records and windows measured from them agree."""
        return self._clock()

    # ---- keys

    def key(self, conversation_id: str) -> str:
        return f"{self.prefix}:conv:{conversation_id}"

    def _set(self, kind: str, value: str = "") -> str:
        return f"{self.prefix}:convs:{kind}" + (f":{value}" if value else "")

    @property
    def events_channel(self) -> str:
        return f"{self.prefix}:console:events"

    # ---- writing as conversations happen

    async def record(self, conversation_id: str, role: str, text: str, channel: str = "",
                     flags: Iterable[str] = (), at: Optional[float] = None) -> Tuple[str, bool]:
        """Records one customer or bot message; returns the status after it and whether it reopened."""
        at = self._clock() if at is None else at
        status, reopened = await self._record(
            keys=[self.key(conversation_id), self.key(conversation_id) + ":search"],
            args=[self.prefix, conversation_id, role, channel or "", repr(at), (text or "")[:500],
                  SEARCH_TEXT_BYTES, *[flag for flag in flags if flag in FLAGS]],
        )
        return status, bool(reopened)

    async def _move(self, conversation_id: str, allowed: Sequence[str], new_status: str, *,
                    caller: str = "", rule: str = "any", new_owner: str = "", idle_before: Optional[float] = None,
                    create: bool = False) -> Tuple[str, str]:
        outcome, status, owner = await self._transition(
            keys=[self.key(conversation_id)],
            args=[self.prefix, conversation_id, ",".join(allowed), caller, rule, new_status, new_owner,
                  repr(self._clock()), "" if idle_before is None else repr(idle_before), "1" if create else ""],
        )
        if outcome == "missing":
            raise ConversationNotFound(conversation_id)
        if outcome != "ok":
            raise TransitionRefused(outcome, status, owner)
        return status, owner

    async def request_agent(self, conversation_id: str, reason: str, channel: str = "",
                            after_hours: bool = False) -> Tuple[str, int]:
        """The customer asked for a person (转人工): queue them unless an agent already has them.

        Returns the status before and the place in the queue (0 when an agent owns it).
        """
        try:
            before, _ = await self._move(conversation_id, ("bot", "closed", "waiting"), "waiting", create=True)
        except TransitionRefused as refused:  # an agent already owns it
            return refused.status, 0
        fields = {"reason": reason[:200], "flag_handoff": 1, "after_hours": 1 if after_hours else 0}
        if before != "waiting":
            fields["note_ticket"] = ""
        if channel:
            fields["channel"] = channel
        await self._redis.hset(self.key(conversation_id), mapping=fields)
        return before, await self.queue_position(conversation_id)

    async def queue_position(self, conversation_id: str) -> int:
        rank = await self._redis.zrank(self._set("status", "waiting"), conversation_id)
        return 0 if rank is None else rank + 1

    async def cancel_waiting(self, conversation_id: str) -> bool:
        """The customer changed their mind (算了): back to the bot.  False if no longer waiting."""
        try:
            await self._move(conversation_id, ("waiting",), "bot")
        except (TransitionRefused, ConversationNotFound):
            return False
        return True

    async def take_over(self, conversation_id: str, agent: str) -> str:
        """The agent owns the conversation; raises TransitionRefused if another agent does."""
        before, _ = await self._move(conversation_id, ("bot", "waiting", "agent"), "agent",
                                     caller=agent, rule="free", new_owner=agent)
        return before

    async def hand_back(self, conversation_id: str, agent: str, idle_before: Optional[float] = None) -> str:
        rule = "any" if idle_before is not None else "mine"
        before, _ = await self._move(conversation_id, ("agent",), "bot", caller=agent, rule=rule,
                                     idle_before=idle_before)
        return before

    async def close(self, conversation_id: str, agent: str) -> str:
        before, _ = await self._move(conversation_id, ("bot", "waiting", "agent"), "closed", caller=agent,
                                     rule="mine")
        return before

    async def note_pushed(self, conversation_id: str) -> None:
        """One more message sent to the customer outside a reply (WeChat counts them)."""
        await self._redis.hincrby(self.key(conversation_id), "pushed", 1)

    async def set_fields(self, conversation_id: str, **fields: Any) -> None:
        await self._redis.hset(self.key(conversation_id), mapping={k: v for k, v in fields.items()})

    async def set_tags(self, conversation_id: str, tags: Sequence[str]) -> None:
        await self._redis.hset(self.key(conversation_id), "tags", json.dumps(list(tags), ensure_ascii=False))

    # ---- customer messages for agents to check (the NLU inbox)

    async def flag_for_review(self, conversation_id: str, message_id: str, text: str, intent: Optional[str],
                              confidence: Optional[float], at: float) -> None:
        member = f"{conversation_id}\x1f{message_id}"
        item = {"conversation_id": conversation_id, "message_id": message_id, "text": text[:500],
                "intent": intent, "confidence": confidence, "at": iso_time(at)}
        queue, items = f"{self.prefix}:nlu:review", f"{self.prefix}:nlu:review:items"
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.zadd(queue, {member: at})
            pipe.hset(items, member, json.dumps(item, ensure_ascii=False))
            pipe.zrange(queue, 0, -REVIEW_QUEUE_KEPT - 1)
            pipe.zremrangebyrank(queue, 0, -REVIEW_QUEUE_KEPT - 1)
            *_, dropped, _ = await pipe.execute()
        if dropped:
            await self._redis.hdel(items, *dropped)

    async def review_queue(self, limit: int = 100) -> List[Dict[str, Any]]:
        """The newest messages to check first."""
        members = await self._redis.zrevrange(f"{self.prefix}:nlu:review", 0, limit - 1)
        if not members:
            return []
        raw = await self._redis.hmget(f"{self.prefix}:nlu:review:items", members)
        return [json.loads(item) for item in raw if item]

    async def done_reviewing(self, conversation_id: str, message_id: str) -> None:
        member = f"{conversation_id}\x1f{message_id}"
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.zrem(f"{self.prefix}:nlu:review", member)
            pipe.hdel(f"{self.prefix}:nlu:review:items", member)
            await pipe.execute()

    # ---- the console's own log of a conversation

    async def append_log(self, conversation_id: str, entry: Dict[str, Any]) -> Dict[str, Any]:
        """Adds ``entry`` to the console's log, its text masked (an agent's message left whole for the customer)."""
        entry = {"at": self._clock(), **entry}
        if isinstance(entry.get("text"), str):
            entry["text"] = mask_text(entry["text"])
        key = self.key(conversation_id) + ":log"
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.rpush(key, json.dumps(entry, ensure_ascii=False))
            pipe.ltrim(key, -LOG_ENTRIES_KEPT, -1)
            if entry.get("role") in ("agent", "bot"):
                pipe.hset(self.key(conversation_id), mapping={"last_at": entry["at"],
                                                               "last_text": str(entry.get("text", ""))[:500]})
            await pipe.execute()
        return entry

    async def log(self, conversation_id: str) -> List[Dict[str, Any]]:
        entries = []
        for raw in await self._redis.lrange(self.key(conversation_id) + ":log", 0, -1):
            try:
                entries.append(json.loads(raw))
            except ValueError:
                continue
        return entries

    # ---- reading

    @property
    def client(self) -> redis.asyncio.Redis:
        return self._redis

    async def tracker_json(self, conversation_id: str) -> Optional[str]:
        """The conversation's Rasa tracker as stored by bot.store.rasa_stores (Rasa's key naming)."""
        return await self._redis.get(f"{self.prefix}:tracker:{conversation_id}")

    async def get(self, conversation_id: str) -> Optional[Conversation]:
        fields = await self._redis.hgetall(self.key(conversation_id))
        return Conversation.from_hash(conversation_id, fields) if fields else None

    async def status_of(self, conversation_id: str) -> Optional[str]:
        return await self._redis.hget(self.key(conversation_id), "status")

    async def page(self, status: Optional[str] = None, channel: Optional[str] = None, query: Optional[str] = None,
                   limit: int = 50, cursor: Optional[str] = None, scan_budget: int = 5000) -> Page:
        """Newest activity first (the waiting queue oldest first), filtered, ``limit`` at most.

        A cursor is ``<score>:<id>`` of the last conversation given.  With a text
        query, at most ``scan_budget`` conversations are read per page, so a rare
        word costs a bounded time: the page may then hold fewer than ``limit``
        conversations and still have a ``next_cursor``.
        """
        ascending = status == "waiting"
        source = (self._set("status", status) if status else
                  self._set("channel", channel) if channel else self._set("recent"))
        after = _parse_cursor(cursor)
        needle = (query or "").strip().lower()
        found: List[Conversation] = []
        scanned = 0
        batch = max(limit * 2, 100) if (needle or (status and channel)) else limit + 1
        last_position: Optional[Tuple[float, str]] = after
        while True:
            rows = await self._range(source, ascending, last_position, batch)
            if not rows:
                return Page(found, None)
            ids = [member for member, _ in rows]
            async with self._redis.pipeline(transaction=False) as pipe:
                for conversation_id in ids:
                    pipe.hgetall(self.key(conversation_id))
                if needle:
                    for conversation_id in ids:
                        pipe.get(self.key(conversation_id) + ":search")
                results = await pipe.execute()
            hashes, texts = results[:len(ids)], results[len(ids):]
            for index, (member, score) in enumerate(rows):
                scanned += 1
                last_position = (score, member)
                fields = hashes[index]
                if not fields:
                    continue
                conversation = Conversation.from_hash(member, fields)
                if status and conversation.status != status:
                    continue
                if channel and conversation.channel != channel:
                    continue
                if needle and needle not in (texts[index] or ""):
                    continue
                found.append(conversation)
                if len(found) == limit:
                    more = index + 1 < len(rows) or len(rows) == batch
                    return Page(found, _cursor(score, member) if more else None)
            if len(rows) < batch:
                return Page(found, None)
            if needle and scanned >= scan_budget:
                return Page(found, _cursor(*last_position))

    async def _range(self, key: str, ascending: bool, after: Optional[Tuple[float, str]],
                     count: int) -> List[Tuple[str, float]]:
        """Up to ``count`` members strictly after ``after`` in the set's order (ties by member)."""
        if after is None:
            if ascending:
                return await self._redis.zrange(key, 0, count - 1, withscores=True)
            return await self._redis.zrevrange(key, 0, count - 1, withscores=True)
        score, member = after
        rows: List[Tuple[str, float]] = []
        offset = 0
        while len(rows) < count:
            if ascending:
                chunk = await self._redis.zrangebyscore(key, score, "+inf", start=offset, num=count, withscores=True)
            else:
                chunk = await self._redis.zrevrangebyscore(key, score, "-inf", start=offset, num=count,
                                                           withscores=True)
            if not chunk:
                break
            offset += len(chunk)
            for name, value in chunk:
                if value == score and (name <= member if ascending else name >= member):
                    continue
                rows.append((name, value))
            if len(chunk) < count:
                break
        return rows[:count]

    async def stale_agent_conversations(self, idle_before: float, limit: int = 100) -> List[str]:
        """Agent-owned conversations with no activity since ``idle_before`` (for the idle return)."""
        return await self._redis.zrangebyscore(self._set("status", "agent"), "-inf", f"({idle_before!r}",
                                               start=0, num=limit)

    async def touch(self, conversation_id: str, at: Optional[float] = None) -> None:
        """Activity by an agent: keeps an agent-owned conversation from the idle return."""
        at = self._clock() if at is None else at
        status = await self._redis.hget(self.key(conversation_id), "status")
        if status:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.hset(self.key(conversation_id), "last_at", at)
                pipe.zadd(self._set("recent"), {conversation_id: at})
                if status != "waiting":
                    pipe.zadd(self._set("status", status), {conversation_id: at})
                await pipe.execute()

    # ---- events for the console's stream

    async def publish(self, event: str, conversation_id: str) -> None:
        conversation = await self.get(conversation_id)
        if conversation is not None:
            await self._redis.publish(self.events_channel,
                                      json.dumps({"event": event, "data": conversation.item()}, ensure_ascii=False))

    async def forget(self, conversation_id: str) -> None:
        """Removes the conversation from every set and its messages from the NLU review queue (erasure)."""
        conversation = await self.get(conversation_id)
        queue, items = f"{self.prefix}:nlu:review", f"{self.prefix}:nlu:review:items"
        in_review = [member for member in await self._redis.hkeys(items)
                     if member.startswith(conversation_id + "\x1f")]
        async with self._redis.pipeline(transaction=True) as pipe:
            if in_review:
                pipe.zrem(queue, *in_review)
                pipe.hdel(items, *in_review)
            pipe.zrem(self._set("recent"), conversation_id)
            for status in STATUSES:
                pipe.zrem(self._set("status", status), conversation_id)
            if conversation and conversation.channel:
                pipe.zrem(self._set("channel", conversation.channel), conversation_id)
            pipe.delete(self.key(conversation_id), self.key(conversation_id) + ":search",
                        self.key(conversation_id) + ":log")
            await pipe.execute()


def _cursor(score: float, member: str) -> str:
    return f"{score!r}:{member}"


def cursor_score(text: str) -> float:
    """A page cursor's score (a time); ValueError for one no page gave out (nan, inf: Redis refuses them)."""
    score = float(text)
    if not math.isfinite(score):
        raise ValueError(f"cursor score {text!r} is not a finite number")
    return score


def _parse_cursor(cursor: Optional[str]) -> Optional[Tuple[float, str]]:
    if not cursor:
        return None
    score, _, member = cursor.partition(":")
    try:
        return cursor_score(score), member
    except ValueError:
        raise ValueError("cursor is not one this API gave out") from None
