"""What every action shares: the customer's id, the newest entities, and one client per service
(recommender, Redis stores, the shop's order system)."""

from __future__ import annotations

import functools
import re
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker

from bot.catalog.model import BrandVocabulary
from bot.catalog.vocabulary import adds_nothing_to, category_words, shipped_brands
from bot.dialogue.conditions import is_a_condition, refused_elsewhere, size_said_again
from bot.dialogue.recommender_client import RecommenderClient
from actions.slots import SHOWN_PRODUCTS, UNDERSTOOD_INTENT
from bot.identity import identity_in_metadata
from bot.language.negation import REJECTED
from bot.orders.http_adapter import HttpOrderSystem, OrderSystemSettings
from bot.service.after_sales import AfterSales
from bot.service.tickets import TicketStore
from bot.settings import RedisSettings, ServiceHours
from bot.alerts.subscriptions import Subscriptions
from bot.store.conversations import ConversationIndex
from bot.store.customer_memory import CustomerMemory
from bot.store.privacy_records import PrivacyRecords
from bot.store.redis_client import async_client
from bot.store.sealing import default_sealer


def sender_of(tracker: Tracker) -> str:
    """The chat window (conversation) — not the customer: see :func:`customer_of`."""
    return tracker.sender_id or "anonymous"


def customer_of(tracker: Tracker) -> Optional[str]:
    """The shop's customer id the channel proved for this message (customer-identity.md); None: a guest."""
    identity = identity_in_metadata(tracker.latest_message.get("metadata"))
    return identity.customer_id if identity else None


def latest_entities(tracker: Tracker) -> Dict[str, str]:
    """Entities of the newest message, the last one of each type winning (``要白色…算了黑色``).

    Conditions the customer refused (``蓝色不要了``, marked ``rejected``) are left out.
    """
    found: Dict[str, str] = {}
    text = tracker.latest_message.get("text") or ""
    refused = rejected_entities(tracker)
    for entity in tracker.latest_message.get("entities") or []:
        value = entity.get("value")
        if isinstance(value, str) and value.strip() and not _refused(entity, text) \
                and refused.get(entity.get("entity")) != value \
                and is_a_condition(entity, text):  # 一起 · 十来天前 · 小米14
            name = entity.get("entity")
            if name == "product_category" and found.get(name) \
                    and adds_nothing_to(value.strip(), found[name], text[:entity.get("start") or 0]):
                continue  # 他家牛仔裤也看下 男装的 · 奶粉 不是那种盒装牛奶: the kind named, not the word beside it
            if name == "product_category" and refused_elsewhere(text, value.strip(), category_words()):
                continue  # 女票护肤品都用专柜的 … 护肤的别推: refused where it is said again
            found[name] = value.strip()
    again = size_said_again(text, tracker.get_slot("size"))
    if again:  # 腰围27 → 28也行: a size, though the NLU read a price
        found.pop("budget", None)
        found["size"] = again
    return found


def rejected_entities(tracker: Tracker) -> Dict[str, str]:
    """Conditions the newest message refuses (``不要耐克的`` → ``{"brand": "耐克"}``); a value both said and
    refused (匡威撞鞋太多了 除了匡威都行) is refused."""
    text = tracker.latest_message.get("text") or ""
    return {entity.get("entity"): entity.get("value") for entity in tracker.latest_message.get("entities") or []
            if _refused(entity, text)}


# 耐克也算了 · 松鼠家的吃腻了 · (换个牌子看看) 欧莱雅用过了: a brand let go by the words after it, which the NLU's
# refusal reading misses (用过了 only as the message's end: 兰蔻用过了 挺好的 praises it).
_BRAND_LET_GO_AFTER = re.compile(r"\s*(?:家的?|的)?\s*(?:也|就|还是)?(?:算了|拉倒|免了|pass)|\s*(?:家的?|的)?\s*[吃用穿喝]腻了"
                                 r"|\s*(?:家的?|的)?\s*(?:已经)?用过了?[了啊呀～~。!！\s]*$", re.IGNORECASE)


def _refused(entity: Dict[str, Any], text: str) -> bool:
    if entity.get(REJECTED):
        return True
    end = entity.get("end")
    return entity.get("entity") == "brand" and isinstance(end, int) and bool(_BRAND_LET_GO_AFTER.match(text, end))


def slot_before_message(tracker: Tracker, name: str) -> Any:
    """The slot's value before the customer's latest message filled it (詹姆斯 read as a brand over 耐克)."""
    seen_message = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen_message = True
        elif seen_message and event.get("event") == "slot" and event.get("name") == name:
            return event.get("value")
    return None


def previous_user_text(tracker: Tracker) -> str:
    """The customer's message before the newest one in the tracker the action server was sent."""
    said = [event.get("text") or "" for event in tracker.events if event.get("event") == "user"]
    return said[-2] if len(said) >= 2 else ""


def user_texts_since_cards(tracker: Tracker, limit: int = 6) -> List[str]:
    """The customer's messages before the newest one, since the last product cards (newest first, at most
    ``limit``): what was said of the order talked about since."""
    said: List[str] = []
    for event in reversed(tracker.events):
        if event.get("event") == "slot" and event.get("name") == SHOWN_PRODUCTS and event.get("value"):
            break
        if event.get("event") == "user":
            said.append(event.get("text") or "")
    return said[1:limit + 1]


def last_bot_text(tracker: Tracker) -> str:
    """What the bot said last before the customer's newest message (its last text), or ""."""
    for event in reversed(tracker.events):
        if event.get("event") == "bot" and event.get("text"):
            return str(event["text"])
    return ""


def relaxed_on_screen(tracker: Tracker) -> List[str]:
    """The conditions the newest product cards loosened (``relaxed`` of their payload), if any."""
    for event in reversed(tracker.events):
        if event.get("event") == "session_started":
            break
        custom = (event.get("data") or {}).get("custom") if event.get("event") == "bot" else None
        if isinstance(custom, dict) and custom.get("type") == "product_cards":
            return [str(name) for name in custom.get("relaxed") or []]
    return []


def understood_intent(tracker: Tracker) -> Optional[str]:
    """What the newest message means in this conversation (UnderstandingPolicy), else the NLU's intent."""
    return tracker.get_slot(UNDERSTOOD_INTENT) or tracker.latest_message.get("intent", {}).get("name")


@functools.lru_cache(maxsize=1)
def recommender() -> RecommenderClient:
    return RecommenderClient()


def brands() -> BrandVocabulary:
    """The brands of brands.yml and their aliases (跟nike的比 names a brand, not a model)."""
    return shipped_brands()


@functools.lru_cache(maxsize=1)
def redis_settings() -> RedisSettings:
    return RedisSettings.from_env()


@functools.lru_cache(maxsize=1)
def redis_connection():
    return async_client(redis_settings())


@functools.lru_cache(maxsize=1)
def conversations() -> ConversationIndex:
    return ConversationIndex(redis_connection(), redis_settings().key_prefix)


@functools.lru_cache(maxsize=1)
def service_hours() -> ServiceHours:
    return ServiceHours.from_env()


@functools.lru_cache(maxsize=1)
def subscriptions() -> Subscriptions:
    return Subscriptions(redis_connection(), redis_settings().key_prefix)


@functools.lru_cache(maxsize=1)
def alert_hours() -> ServiceHours:
    """When alerts may be sent (outside ``ALERT_QUIET_HOURS``)."""
    return ServiceHours.alert_hours()


@functools.lru_cache(maxsize=1)
def tickets() -> TicketStore:
    return TicketStore(redis_connection(), redis_settings().key_prefix)


@functools.lru_cache(maxsize=1)
def order_system() -> HttpOrderSystem:
    """The shop's order system at ``ORDER_SYSTEM_URL`` (the run command starts the demo one when unset)."""
    return HttpOrderSystem(OrderSystemSettings.from_env())


@functools.lru_cache(maxsize=1)
def after_sales() -> AfterSales:
    return AfterSales(order_system(), tickets())


@functools.lru_cache(maxsize=1)
def customer_memory() -> CustomerMemory:
    return CustomerMemory(redis_connection(), redis_settings().key_prefix)


@functools.lru_cache(maxsize=1)
def privacy_records() -> PrivacyRecords:
    """Sealed values a flow needs whole (a new address given before the order was chosen)."""
    return PrivacyRecords(redis_connection(), redis_settings().key_prefix, default_sealer())
