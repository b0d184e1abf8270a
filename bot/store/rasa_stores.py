"""Rasa's Redis tracker and lock stores, configured from the environment.

``endpoints.yml`` names these classes.  They differ from Rasa's own in two ways:

* the connection comes from :class:`bot.settings.RedisSettings` (``REDIS_URL``
  or ``REDIS_HOST``/``PORT``/``DB``/``PASSWORD``), with typed values: Rasa's
  ``${VAR}`` substitution in YAML yields strings, and ``record_exp: "3600"``
  or ``use_ssl: "false"`` would be wrong there;
* a turn that meets Redis down waits for it (``REDIS_OUTAGE_WAIT_SECONDS``, 5)
  and then fails with :class:`StoreUnavailable`, which the channels answer with
  a polite 稍后再试: Rasa's wrapper would otherwise answer from an empty tracker
  and keep the turn in memory only (bot/runtime/patches/store_outages_fail_the_turn.py lets it through);
* the tracker store talks to Redis through ``redis.asyncio``: Rasa's version
  makes blocking calls inside the server's event loop on every turn;
* it keeps the trackers it saved last (:class:`RecentTrackers`) and hands one
  back when Redis still holds exactly what was saved, instead of decoding
  every event of the conversation again on every turn;
* it encodes each event to JSON once (:func:`serialise_events`): the same
  text as Rasa's, without encoding the whole conversation again on every turn;
* personal data is masked before anything is written (bot/language/masking.py): the
  turn's events are masked in place, so Redis, the event broker, the console
  and the next turn all see 139****5678; the originals are sealed with the
  shop's privacy key for a supervisor's logged unmasking.  The bot's replies
  left for the channel before the save, so the customer saw them whole;
* after each save it records the turn's customer and bot messages in the
  conversation index (:mod:`bot.store.conversations`), which the agents'
  console reads, and puts a customer's message in a conversation an agent
  owns on the console's event stream.  An index that cannot be written is
  logged and never fails the turn.

Keys: ``<prefix>:tracker:<sender_id>``; the lock store's in bot/store/ticket_locks.py.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import OrderedDict
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Dict, Iterable, List, NamedTuple, Optional, Text, Union

from rasa.core.brokers.broker import EventBroker
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore
from rasa.core.tracker_store import RedisTrackerStore as RasaRedisTrackerStore
from rasa.shared.core.constants import ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import (
    DialogueStateTracker,
    get_trackers_for_conversation_sessions,
)
from rasa.utils.endpoints import EndpointConfig

from bot.analytics.turns import TurnLog, person_of, turn_time
from bot.identity import METADATA_KEY as IDENTITY_KEY
from bot.identity import identity_in_metadata
from bot.language.masking import mask_data, mask_text
from bot.settings import RedisSettings
from bot.store.conversations import ConversationIndex
from bot.store.privacy_records import PrivacyRecords
from bot.store.redis_client import async_client, outage_wait_seconds, patiently
from bot.store.sealing import default_sealer
from bot.store.ticket_locks import LockLost, TicketLocks

logger = logging.getLogger(__name__)

TRACKERS_KEPT = 256
# Below this intent confidence a customer message is flagged for review (the
# FallbackClassifier's threshold is 0.4; between the two the bot answered, unsure).
LOW_CONFIDENCE = 0.6


def _digest(serialised: Union[str, bytes]) -> bytes:
    if isinstance(serialised, str):
        serialised = serialised.encode()
    return hashlib.blake2b(serialised, digest_size=16).digest()


class _Saved:
    """A tracker as it was saved: its stored JSON's digest and its events then."""

    __slots__ = ("tracker", "digest", "whole", "event_count", "last_event", "domain")

    def __init__(self, tracker: DialogueStateTracker, digest: bytes, whole: bool, domain: Domain) -> None:
        self.tracker = tracker
        self.digest = digest
        self.whole = whole  # False: Redis also holds earlier sessions, merged in at the save
        self.event_count = len(tracker.events)
        self.last_event: Optional[Event] = tracker.events[-1] if tracker.events else None
        self.domain = domain

    def unchanged(self) -> bool:
        """Nothing was added since the save (a turn that failed before saving adds events)."""
        events = self.tracker.events
        return len(events) == self.event_count and (events[-1] if events else None) is self.last_event

    def continued_by(self, tracker: DialogueStateTracker) -> bool:
        """``tracker`` is this one with this turn's events added, the others untouched."""
        events = tracker.events
        return (tracker is self.tracker and len(events) >= self.event_count
                and (self.event_count == 0 or events[self.event_count - 1] is self.last_event))


class RecentTrackers:
    """The trackers saved last, by sender, as long as Redis holds exactly what was saved.

    Only trackers of one conversation session are kept, because ``retrieve``
    answers with the last session: a turn's tracker is that session, and the
    earlier sessions stay in Redis only.
    Another rasa server saving the same conversation changes the stored JSON,
    and then its digest no longer matches.
    """

    def __init__(self, kept: int = TRACKERS_KEPT) -> None:
        self._saved: "OrderedDict[str, _Saved]" = OrderedDict()
        self._kept = kept

    def __len__(self) -> int:
        return len(self._saved)

    def remember(self, tracker: DialogueStateTracker, serialised: Union[str, bytes], whole: bool,
                 domain: Domain) -> None:
        self._saved.pop(tracker.sender_id, None)
        if _sessions_in(tracker) > 1:
            return
        self._saved[tracker.sender_id] = _Saved(tracker, _digest(serialised), whole, domain)
        while len(self._saved) > self._kept:
            self._saved.popitem(last=False)

    def saved(self, sender_id: str, stored: Union[str, bytes], domain: Domain) -> Optional[_Saved]:
        """The entry for ``sender_id`` if ``stored`` is what it saved; a stale one is dropped."""
        entry = self._saved.get(sender_id)
        if entry is None:
            return None
        if entry.domain is not domain or entry.digest != _digest(stored):
            del self._saved[sender_id]
            return None
        self._saved.move_to_end(sender_id)
        return entry

    def forget(self, sender_id: str) -> None:
        self._saved.pop(sender_id, None)


_EVENT_JSON = "_shopbot_json"


def serialise_events(sender_id: str, events: Iterable[Event], already_encoded: Iterable[str] = ()) -> str:
    """``json.dumps(Dialogue(sender_id, events).as_dict())``, each event's JSON kept on the event.

    Events are not changed once they are in a tracker, and a tracker kept by
    :class:`RecentTrackers` holds the same event objects turn after turn.
    ``already_encoded`` are events' JSON texts that come first.
    """
    parts = list(already_encoded)
    for event in events:
        encoded = event.__dict__.get(_EVENT_JSON)
        if encoded is None:
            encoded = json.dumps(event.as_dict())
            event.__dict__[_EVENT_JSON] = encoded
        parts.append(encoded)
    return '{"events": [' + ", ".join(parts) + '], "name": ' + json.dumps(sender_id) + "}"


def _sessions_in(tracker: DialogueStateTracker) -> int:
    """How many trackers ``get_trackers_for_conversation_sessions`` would split this one into."""
    starts = [
        index for index, event in enumerate(tracker.events)
        if isinstance(event, ActionExecuted) and event.action_name == ACTION_SESSION_START_NAME
    ]
    return len(starts) + (0 if starts and starts[0] == 0 else 1)


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
        self.recent = RecentTrackers()
        self.index = ConversationIndex(self._redis, settings.key_prefix)
        self.turn_log = TurnLog(self._redis, settings.key_prefix)
        self.privacy = PrivacyRecords(self._redis, settings.key_prefix, default_sealer())
        self.outage_wait = outage_wait_seconds()

    async def save(self, tracker: DialogueStateTracker, timeout: Optional[float] = None) -> None:
        """Saves the turn, waiting out a short Redis outage; StoreUnavailable if it lasts (never an in-memory copy)."""
        await patiently(lambda: self._save_once(tracker, timeout), f"saving {tracker.sender_id}", self.outage_wait)

    async def _retrieve(self, sender_id: Text, fetch_all_sessions: bool) -> Optional[DialogueStateTracker]:
        return await patiently(lambda: self._retrieve_once(sender_id, fetch_all_sessions), f"reading {sender_id}",
                               self.outage_wait)

    async def _save_once(self, tracker: DialogueStateTracker, timeout: Optional[float] = None) -> None:
        expiry = timeout or self.record_exp
        key = self.key_prefix + tracker.sender_id
        stored = await self._redis.get(key)
        serialised: Optional[str] = None
        whole = True  # Redis will hold exactly this tracker's events
        stored_until = None
        saved = self.recent.saved(tracker.sender_id, stored, self.domain) if stored is not None else None
        stored_events: Optional[List[Dict[str, Any]]] = None
        if saved and saved.whole and saved.continued_by(tracker):
            stored_until = saved.last_event.timestamp if saved.last_event else None
        elif stored is not None:
            stored_events = json.loads(stored).get("events") or []
            stored_until = stored_events[-1].get("timestamp") if stored_events else None
        new_events = _events_after(tracker, stored_until)
        originals = mask_events(new_events)
        await self.stream_events(tracker)
        if stored_events is not None and not _continues(tracker, stored_events):
            whole = False
            serialised = _appended(tracker, stored_events)
            if serialised is None:
                prior = self.deserialise_tracker(tracker.sender_id, stored)
                serialised = self.serialise_tracker(self._merge_trackers(prior, tracker))
        if serialised is None:
            serialised = self.serialise_tracker(tracker)
        self.recent.forget(tracker.sender_id)  # in case the write fails
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(key, serialised, ex=int(expiry) if expiry else None)
            self.privacy.keep_originals(pipe, tracker.sender_id, originals, int(expiry) if expiry else None)
            for customer in _customers_in(new_events):
                self.privacy.note_chat(pipe, customer, tracker.sender_id)
            await pipe.execute()
        self.recent.remember(tracker, serialised, whole, self.domain)
        await self._index_turn(tracker, new_events)

    async def _index_turn(self, tracker: DialogueStateTracker, new_events: List[Event]) -> None:
        try:
            await self.turn_log.record(analytics_turns(tracker.sender_id, new_events))
        except Exception:
            logger.exception("the analytics turns of %s were not logged", tracker.sender_id)
        try:
            for entry in index_entries(new_events):
                status, reopened = await self.index.record(tracker.sender_id, entry.role, entry.text,
                                                           entry.channel, entry.flags, entry.at)
                if entry.role == "customer" and status == "agent":
                    await self.index.publish("message", tracker.sender_id)
                if reopened:
                    await self.index.publish("status", tracker.sender_id)
                if {"fallback", "low_confidence"} & set(entry.flags):
                    await self.index.flag_for_review(tracker.sender_id, repr(float(entry.at)), entry.text,
                                                     entry.intent, entry.confidence, entry.at)
        except Exception:
            logger.exception("the conversation index of %s was not updated", tracker.sender_id)

    def serialise_tracker(self, tracker: DialogueStateTracker) -> str:
        return serialise_events(tracker.sender_id, tracker.events)

    async def _retrieve_once(
        self, sender_id: Text, fetch_all_sessions: bool
    ) -> Optional[DialogueStateTracker]:
        stored = await self._redis.get(self.key_prefix + sender_id)
        if stored is None:
            self.recent.forget(sender_id)
            return None
        if not fetch_all_sessions:
            saved = self.recent.saved(sender_id, stored, self.domain)
            if saved is not None and saved.unchanged():
                return saved.tracker
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


def _events_after(tracker: DialogueStateTracker, stored_until: Optional[float]) -> List[Event]:
    """This turn's events: those after the last one Redis holds."""
    new_events = []
    for event in reversed(tracker.events):
        if stored_until is not None and event.timestamp <= stored_until:
            break
        new_events.append(event)
    new_events.reverse()
    return new_events


# Metadata a client sends that is a credential, not something to keep (customer-identity.md: the token).
_CREDENTIALS = ("token", "access_token", "authorization")


def _without_credentials(metadata: Any) -> Any:
    """Metadata as kept: no credentials, and the name the shop's token gave masked like any name (王**)."""
    if isinstance(metadata, dict):
        kept = {key: _without_credentials(value) for key, value in metadata.items()
                if str(key).lower() not in _CREDENTIALS}
        identity = kept.get(IDENTITY_KEY)
        if isinstance(identity, dict) and isinstance(identity.get("name"), str) and identity["name"]:
            name = identity["name"]
            kept[IDENTITY_KEY] = {**identity, "name": name[:1] + "*" * (len(name) - 1)}
        return kept
    return metadata


def mask_events(events: Iterable[Event]) -> Dict[str, str]:
    """Masks the personal data in ``events`` in place; the original texts that changed, by message time.

    Runs before an event is first encoded (serialise_events keeps each event's JSON),
    so nothing unmasked is ever written.
    """
    originals: Dict[str, str] = {}
    for event in events:
        if getattr(event, "metadata", None):  # every event may carry the message's metadata
            event.metadata = mask_data(_without_credentials(event.metadata))
        if isinstance(event, UserUttered):
            original = event.text
            event.text = mask_text(original) if original else original
            event.entities = mask_data(event.entities)
            event.parse_data = {**mask_data({k: v for k, v in event.parse_data.items() if k != "metadata"}),
                                "metadata": event.metadata}
            if original and event.text != original:
                originals[repr(event.timestamp)] = original
        elif isinstance(event, BotUttered):
            original = event.text
            event.text = mask_text(original) if original else original
            event.data = mask_data(event.data)
            if original and event.text != original:
                originals[repr(event.timestamp)] = original
        elif isinstance(event, SlotSet) and isinstance(event.value, (str, list, dict)):
            # order_id too: the NLU takes a bank card number for an order number (our ids, DD…, never match)
            event.value = mask_data(_without_credentials(event.value))  # session_started_metadata holds metadata
    return originals


def _customers_in(events: Iterable[Event]) -> List[str]:
    customers = []
    for event in events:
        if isinstance(event, UserUttered):
            identity = identity_in_metadata(event.metadata)
            if identity and identity.customer_id not in customers:
                customers.append(identity.customer_id)
    return customers


class IndexEntry(NamedTuple):
    role: str  # customer | bot
    text: str
    channel: str
    flags: List[str]
    at: float
    intent: Optional[str] = None
    confidence: Optional[float] = None


def analytics_turns(sender_id: str, events: Iterable[Event]) -> List[Dict[str, Any]]:
    """The customer turns among ``events`` as the analytics log them (bot/analytics/turns.py)."""
    turns = []
    events = list(events)
    handed_over = any(isinstance(event, ActionExecuted) and event.action_name == "action_handoff" for event in events)
    for event in events:
        if isinstance(event, UserUttered):
            intent = event.intent or {}
            channel = event.input_channel or ""
            turns.append({
                "person": person_of(event.metadata, channel, sender_id), "conversation": sender_id,
                "channel": channel, "intent": intent.get("name") or "",
                "confidence": intent.get("confidence"), "fallback": int(intent.get("name") == "nlu_fallback"),
                "handoff": int(handed_over or intent.get("name") == "request_human"),
                "ts": repr(turn_time(event.metadata, event.timestamp)),
            })
    return turns


def index_entries(events: Iterable[Event]) -> List[IndexEntry]:
    """The customer and bot messages among ``events``, with the flags agents filter by."""
    entries = []
    for event in events:
        if isinstance(event, UserUttered):
            intent = event.intent or {}
            name, confidence = intent.get("name"), intent.get("confidence")
            flags = []
            if name == "nlu_fallback":
                flags.append("fallback")
            elif name and (confidence or 0) < LOW_CONFIDENCE:
                flags.append("low_confidence")
            if name == "complain":
                flags.append("complaint")
            entries.append(IndexEntry("customer", event.text or "", event.input_channel or "", flags,
                                      event.timestamp, name, confidence))
        elif isinstance(event, BotUttered):
            text = event.text or ""
            if not text and (event.data or {}).get("custom"):
                text = "[商品卡片]"
            entries.append(IndexEntry("bot", text, "", [], event.timestamp))
    return entries


def _appended(tracker: DialogueStateTracker, stored_events: List[Dict[str, Any]]) -> Optional[str]:
    """The stored events plus the tracker's events after them, if the tracker continues them; else None.

    ``retrieve`` hands Rasa the last conversation session only, so at the save
    the stored JSON holds events the tracker lacks (earlier sessions, and the
    ``session_started_metadata`` slot Rasa sets just before a session starts
    when the message has metadata, as WeChat's and Telegram's do).  Rasa's
    ``_merge_trackers`` compares events by ``as_dict()``, and a customer message
    read back from JSON differs from the one in memory: it was appended a
    second time (every WeChat conversation showed its second message twice).
    Events follow each other in time, so the tracker's events after the last
    stored one are exactly the new ones.
    """
    if not stored_events:
        return None
    last = stored_events[-1].get("timestamp")
    events = list(tracker.events)  # a deque: no slices
    position = next((i for i in range(len(events) - 1, -1, -1) if events[i].timestamp == last), None)
    if position is None:
        return None  # not a continuation (another server saved more, or a revert): Rasa's merge decides
    return serialise_events(tracker.sender_id, events[position + 1:],
                            already_encoded=[json.dumps(event) for event in stored_events])


def _continues(tracker: DialogueStateTracker, events: List[Dict[str, Any]]) -> bool:
    """Whether ``tracker`` holds every stored event: then it replaces them as it is.

    Rasa merges the stored tracker into the one being saved, which only matters
    when the stored one has earlier conversation sessions that ``retrieve`` left
    out.  Deserialising every stored event to find out took a tenth of a turn's
    CPU (profiled), so the common case, the same events plus this turn's, is
    recognised from the stored JSON: its event count and last timestamp.
    """
    if not events:
        return True
    if len(events) > len(tracker.events):
        return False
    return tracker.events[len(events) - 1].timestamp == events[-1].get("timestamp")


class RedisLockStore(LockStore):
    """Per-conversation locks in Redis, atomic across rasa servers (bot/store/ticket_locks.py).

    Rasa calls ``lock()`` only (the agent, the processor, the HTTP API); Rasa's
    read-modify-write ticket methods are not used.  The lock is async, like the
    tracker store: no blocking Redis call inside the server's event loop.
    """

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
        self.tickets = TicketLocks(async_client(settings), settings.key_prefix, outage_wait=outage_wait_seconds())
        super().__init__()

    @asynccontextmanager
    async def lock(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = 1) -> AsyncIterator[TicketLock]:
        try:
            async with self.tickets.held(conversation_id, lock_lifetime):
                yield TicketLock(conversation_id)
        except LockLost as error:
            raise LockError(str(error)) from error
