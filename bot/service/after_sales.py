"""Carrying out an after-sales request (售后申请): our policy decides, the order system does, we report.

:class:`AfterSales` is the one place where a customer's request on an order
becomes a result: the policy (policy.py) allows or refuses; an allowed request
goes to the shop's order system, and the reply reports what it confirmed.
When it fails or refuses, the customer is told so plainly and a ticket is
filed for a person (tickets.py), so nothing is left hanging.
"""

from __future__ import annotations

import logging
import re
import time
import unicodedata
from dataclasses import dataclass
from typing import Callable, Optional

from bot.catalog.model import fold
from bot.catalog.vocabulary import category_words, kinds_mentioned, kinds_of_item, leaves_named
from bot.language.negation import KEEPS_PART, is_rejected
from bot.orders.models import Order
from bot.orders.system import OrderSystem, OrderSystemRefused, OrderSystemUnavailable
from bot.service import texts
from bot.service.policy import decide
from bot.service.tickets import TicketStore

logger = logging.getLogger(__name__)

_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")
# Words of an address: a new address names at least two of these (省/市/区 … 号/室).
_ADDRESS_PART = re.compile(r"[省市区县镇乡路街道巷弄号栋幢楼室村]")
_ADDRESS_INTRO = re.compile(r"(?:新地址|收货地址|地址)?(?:改成|改为|换成|换为|改到|寄到|送到|是|为)[:：]?\s*|新地址[:：]?\s*")
_CONTACT_WORDS = re.compile(r"地址|电话|手机|号码|联系方式|收货人")


# 那单都取消 · 全部不要了 · 行吧那整单取消: the whole order, whatever items are named
CANCELS_WHOLE = re.compile(r"(?:整单|整个订单|全部|都)(?:都)?(?:取消|不要了|退了)")
_ALSO = re.compile(r"[也都](?=不要|不想要|别要|取消)")


def cancels_part(order: Order, text: str) -> bool:
    """Whether the customer wants only some items of a several-item order cancelled (the order system cancels
    whole orders): part is kept in words, or some items are named without the order (潘婷那单 names the order)."""
    if len(order.items) < 2 or (CANCELS_WHOLE.search(text or "") and not KEEPS_PART.search(text or "")):
        return False
    kinds = kinds_mentioned(text or "")
    # by its brand (潘婷的不要了) or its kind (羽绒服不想要了 of a shoes-and-jacket order)
    named = [item for item in order.items if (item.title.split() and item.title.split()[0] in (text or ""))
             or kinds & kinds_of_item(item.title, item.category)]
    # 手表羽绒服那个 羽绒服不要了: the order named by both its items, then one of them let go
    refused = [item for item in named if _said_unwanted(item, text)]
    return bool(KEEPS_PART.search(text or "")) or (0 < len(named) < len(order.items) and "单" not in (text or "")) \
        or 0 < len(refused) < len(order.items)


def _said_unwanted(item, text: str) -> bool:
    """Whether a word for ``item`` (its brand, or a category word covering its kinds) is refused where it stands."""
    folded = _ALSO.sub("", fold(text))  # 手表也不要了: refused as the other was
    kinds = kinds_of_item(item.title, item.category)
    words = [word for word in category_words() if word in folded and kinds & set(leaves_named(word))]
    words += [fold(item.title.split()[0])] if item.title.split() and fold(item.title.split()[0]) in folded else []
    return any(is_rejected(folded, found.start(), found.end())
               for word in words for found in re.finditer(re.escape(word), folded))


@dataclass(frozen=True)
class Requester:
    """Who asks: the proven customer, and the chat their answers and ticket updates go to."""

    customer_id: str
    conversation_id: str
    channel: str = ""


def new_contact(text: str) -> tuple[Optional[str], Optional[str]]:
    """The new delivery address and phone a message gives, if any (``地址改成上海市…88号，电话139…``)."""
    normalized = unicodedata.normalize("NFKC", text or "")
    phone_match = _MOBILE.search(normalized) or _LANDLINE.search(normalized)
    phone = phone_match.group() if phone_match else None
    rest = _MOBILE.sub(" ", _LANDLINE.sub(" ", normalized))
    address = None
    for part in re.split(r"[，,；;。\n]|电话|手机", rest):
        intro = list(_ADDRESS_INTRO.finditer(part))
        candidate = part[intro[-1].end():] if intro else part
        candidate = candidate.strip(" ：:。！!～~")
        if len(set(_ADDRESS_PART.findall(candidate))) >= 2 and len(candidate) >= 6:
            address = candidate
            break
    return address, phone


@dataclass(frozen=True)
class Outcome:
    """What the customer is told, and whether the order system took a return or an exchange (售后单): more
    words on that request then go to a person with it, never as a second request."""

    reply: str
    filed: bool = False


class AfterSales:
    def __init__(self, orders: OrderSystem, tickets: TicketStore, clock: Callable[[], float] = time.time) -> None:
        self.orders = orders
        self.tickets = tickets
        self._clock = clock

    async def carry_out(self, who: Requester, order: Order, kind: str, text: str, key: str) -> Outcome:
        """The reply to ``kind`` (return_refund, exchange, cancel, change_info) on the customer's ``order``.

        ``key`` identifies this one request (the message it came in), so a retried call
        is carried out once by the order system.
        """
        reply = await self._carried_out(who, order, kind, text, key)
        return reply if isinstance(reply, Outcome) else Outcome(reply)

    async def add_to_request(self, who: Requester, order: Order, kind: str, text: str) -> str:
        """More words on the return or exchange this conversation already asked of ``order`` (换黑色XL ·
        一起买的那件T恤也换L): a ticket for the person who handles it, not a second request."""
        ticket_id = await self._file(who, order, kind, f"{text}\n[补充：本次对话已提交过{texts.KIND_LABELS[kind]}申请]")
        return texts.added_to_request(kind, order.id, ticket_id)

    async def _carried_out(self, who: Requester, order: Order, kind: str, text: str, key: str) -> "str | Outcome":
        decision = decide(order, kind, self._clock())
        if not decision.allowed:
            return decision.reply
        operation = decision.operation
        address, phone = new_contact(text) if operation == "change_info" else (None, None)
        try:
            if operation == "cancel" and cancels_part(order, text):
                # never the whole order for part of it: a person takes the items off
                ticket_id = await self._file(who, order, "cancel", f"{text}\n[只取消部分商品：整单未取消]")
                return texts.part_cancel_passed(order, ticket_id) if ticket_id else texts.not_done(kind, None)
            if operation == "cancel":
                done = await self.orders.cancel(who.customer_id, order.id, text, key)
            elif operation in ("return_refund", "exchange"):
                done = await self.orders.request_after_sales(who.customer_id, order.id, operation, text, key)
            elif operation == "change_info" and (address or phone):
                done = await self.orders.change_address(who.customer_id, order.id, address, phone, key)
            elif operation == "change_info" and _CONTACT_WORDS.search(text or ""):
                return texts.ask_new_contact(decision)
            else:  # colour, size, delivery day: a person changes it
                ticket_id = await self._file(who, order, "change_spec" if operation == "change_spec" else kind, text)
                if ticket_id is None:
                    return texts.not_done(kind, None)
                return texts.passed_to_person(decision, ticket_id)
        except OrderSystemRefused as refusal:
            logger.info("order system refused %s on %s: %s", operation, order.id, refusal)
            return texts.not_done(kind, await self._file(who, order, kind, f"{text}\n[订单系统拒绝] {refusal.message}"),
                                  refusal.message)
        except OrderSystemUnavailable as error:
            logger.warning("order system unavailable for %s on %s: %s", operation, order.id, error)
            return texts.not_done(kind, await self._file(who, order, kind, f"{text}\n[订单系统无响应] {error}"))
        return Outcome(texts.confirmed(decision, done), filed=operation in ("return_refund", "exchange"))

    async def lookup_failed(self, who: Requester, text: str, error: Exception) -> str:
        """The customer's orders could not be read: say so, and leave a ticket so a person answers."""
        logger.warning("order system unavailable for a lookup: %s", error)
        return texts.lookup_failed(await self._file(who, None, "status", f"{text}\n[订单系统无响应] {error}"))

    async def _file(self, who: Requester, order: Optional[Order], kind: str, detail: str) -> Optional[str]:
        try:
            ticket = await self.tickets.create(
                who.conversation_id, kind, detail, customer_id=who.customer_id, channel=who.channel,
                order_id=order.id if order else "", order_state=order.state if order else "")
        except Exception as error:  # Redis down too: the reply must not promise a ticket
            logger.error("ticket not filed: %s", error)
            return None
        return ticket.id


__all__ = ["AfterSales", "Outcome", "Requester", "new_contact"]
