"""Orders (订单) and after-sales tickets (售后工单) in Redis, and the shop's after-sales policy.

Plain Python, no Rasa: the actions call :class:`OrderStore` for data, :func:`decide`
for what the policy allows, and :func:`describe_status` and the reply helpers
for what to say.  Every reply is Chinese and ready to send.

Key schema (``<p>`` is ``REDIS_KEY_PREFIX``):

``<p>:order:<order_id>``        string: the order as JSON (:meth:`Order.to_json`).
``<p>:orders:<customer>``       sorted set: the customer's order ids, scored by
                                ``created_at`` (newest first with ZREVRANGE).
``<p>:order_seq``               counter (INCR) behind the 5 digits of order ids.
``<p>:ticket:<ticket_id>``      hash: ``id``, ``customer_id``, ``order_id`` (may be
                                empty), ``kind``, ``detail``, ``status``,
                                ``order_state`` (state when filed), ``created_at``.
``<p>:tickets:<customer>``      list of the customer's ticket ids, newest first.
``<p>:tickets``                 list of every ticket id, newest first: the agents' queue.
``<p>:ticket_seq``              counter (INCR) behind the 6 digits of ticket ids.

Demo orders and their customer index expire ``DEMO_ORDER_TTL_SECONDS`` after they
are created, like the conversations they were made for; :meth:`OrderStore.save`
keeps an order's expiry.  Tickets never expire: they are work for people.

Policy (售后规则), constants below:

* 7天无理由退货: return and refund within ``RETURN_WINDOW_DAYS`` × 24 h of ``signed_at``.
* 换货: exchange within ``EXCHANGE_WINDOW_DAYS`` × 24 h of ``signed_at``.
* 待付款: cancel → 已取消; change of info or of colour/size → allowed; nothing to refund.
* 待发货: cancel, return or refund → cancel and refund, state 退款中; change of
  info or of colour/size → allowed before shipping.
* 已发货: nothing can be cancelled or changed any more (the parcel is with the
  courier); the reply explains refusing delivery (拒收) or returning after signing,
  and changing the address through the courier.
* 已签收: return/refund and exchange by the windows above; outside them a polite
  refusal naming the dates and pointing to quality after-sales (质量问题售后) or a person.
* 退款中 / 已取消: nothing more to do; the reply says so.

Allowed requests create a ticket (even cancelling an unpaid order, so that every
request can be traced).  Their ``PolicyDecision.reply`` holds the placeholder
``{ticket_id}``; fill it with :meth:`PolicyDecision.reply_with` (not ``str.format``:
product titles may hold braces), or let :meth:`OrderStore.apply_decision` do all of it.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import json
import random
import re
import time
import unicodedata
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Optional, Sequence

import redis.asyncio
from redis.exceptions import WatchError

ORDER_STATES = ("待付款", "待发货", "已发货", "已签收", "退款中")
CANCELLED = "已取消"  # terminal; not a state demo orders start in
ALL_ORDER_STATES = ORDER_STATES + (CANCELLED,)
TICKET_KINDS = ("return_refund", "exchange", "cancel", "change_info", "complaint", "handoff")
POLICY_KINDS = ("return_refund", "exchange", "cancel", "change_info")
TICKET_STATUS_OPEN = "待处理"
TICKET_ID_PLACEHOLDER = "{ticket_id}"
MAX_TICKET_DETAIL_CHARS = 4000

RETURN_WINDOW_DAYS = 7
EXCHANGE_WINDOW_DAYS = 15
PAYMENT_WINDOW_HOURS = 24  # an unpaid order is closed after this (faq.yml: payment_deadline)
SHIP_WITHIN_HOURS = 48  # promised dispatch time after payment (faq.yml: shipping_dispatch_time)
TRANSIT_DAYS = 3  # typical courier time, for the expected delivery date
REFUND_WORKING_DAYS = "1–3"

DEMO_ORDER_TTL_SECONDS = 30 * 24 * 3600
# The demo shop's customers (the demo page logs one in with a signed token): the
# only customers who get demo orders.  Nobody else's orders are ever invented.
DEMO_CUSTOMERS = {"demo-1001": "王小明", "demo-1002": "李华", "demo-1003": "张敏"}
# Demo 已签收 orders: one inside the 7-day return window, one outside it but
# still inside the 15-day exchange window, so both answers can be tried in a chat.
DEMO_RECENT_SIGNED_DAYS_AGO = 3
DEMO_OLD_SIGNED_DAYS_AGO = 12

DAY = 24 * 3600
CHINA_TIME = timezone(timedelta(hours=8))  # dates in ids and replies; China has no DST

# Order ids customers type: ours (DD + yyyymmdd + 5 digits) or other DD ids, and
# bare 9–20 digit numbers (other systems' order numbers, or ours without "DD").
# Letters or digits right before or after mean the number is part of something
# else (a tracking number such as SF1234567890123, a longer number).
_DD_ORDER_ID = re.compile(r"(?<![A-Za-z0-9])DD\d{6,20}(?![0-9])", re.IGNORECASE)
_NUMERIC_ORDER_ID = re.compile(r"(?<![A-Za-z0-9])\d{9,20}(?![0-9])")
# An 11-digit number starting 13–19 is a mainland mobile number, which customers
# send when changing their phone; taking it for an order id would look up nonsense.
_MOBILE_NUMBER = re.compile(r"^1[3-9]\d{9}$")
_OUR_ORDER_DIGITS = re.compile(r"^20\d{6}\d{5}$")


@dataclass(frozen=True)
class OrderItem:
    """One line of an order (订单商品): the product, its price per piece and the variant bought."""

    product_id: str
    title: str
    price: float
    quantity: int
    color: Optional[str] = None
    size: Optional[str] = None

    @property
    def variant(self) -> str:
        return "/".join(part for part in (self.color, self.size) if part)


@dataclass(frozen=True)
class Order:
    """An order (订单) with its state, items, dates (unix seconds) and logistics (物流)."""

    id: str
    customer_id: str
    state: str
    items: tuple[OrderItem, ...]
    total: float
    created_at: float
    paid_at: Optional[float] = None
    shipped_at: Optional[float] = None
    signed_at: Optional[float] = None
    courier: Optional[str] = None
    tracking_number: Optional[str] = None
    tracking_events: tuple[tuple[float, str], ...] = ()  # (ts, text), newest last
    address: str = ""
    phone: str = ""

    def __post_init__(self) -> None:
        if self.state not in ALL_ORDER_STATES:
            raise ValueError(f"order state must be one of {', '.join(ALL_ORDER_STATES)}, got {self.state!r}")
        object.__setattr__(self, "items", tuple(
            item if isinstance(item, OrderItem) else OrderItem(**item) for item in self.items))
        object.__setattr__(self, "tracking_events", tuple(
            (float(ts), str(text)) for ts, text in self.tracking_events))

    def to_json(self) -> str:
        fields = asdict(self)
        fields["tracking_events"] = [list(event) for event in self.tracking_events]
        return json.dumps(fields, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "Order":
        fields = json.loads(text)
        fields["items"] = tuple(OrderItem(**item) for item in fields.get("items", ()))
        fields["tracking_events"] = tuple(tuple(event) for event in fields.get("tracking_events", ()))
        return cls(**fields)

    def summary(self) -> str:
        """The items in a few words: ``标题（黑色/42）×1`` or ``标题 等 3 件商品``."""
        if not self.items:
            return "（无商品）"
        first = self.items[0]
        text = first.title + (f"（{first.variant}）" if first.variant else "")
        pieces = sum(item.quantity for item in self.items)
        return f"{text} ×{first.quantity}" if len(self.items) == 1 else f"{text} 等 {pieces} 件商品"


@dataclass(frozen=True)
class Ticket:
    """An after-sales ticket (售后工单) that a person handles."""

    id: str
    customer_id: str
    order_id: str
    kind: str
    detail: str
    status: str
    order_state: str
    created_at: float

    def to_hash(self) -> dict[str, str]:
        return {name: str(value) for name, value in asdict(self).items()}

    @classmethod
    def from_hash(cls, fields: dict[str, str]) -> "Ticket":
        values = dict(fields)
        values["created_at"] = float(values.get("created_at", 0))
        return cls(**{name: values.get(name, "") for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class PolicyDecision:
    """What the policy says about a request (申请) on an order.

    ``ticket_kind`` is set exactly when the request is allowed; then ``reply`` holds
    ``{ticket_id}``.  ``new_state`` is the order's state once the request is filed.
    """

    allowed: bool
    reply: str
    ticket_kind: Optional[str] = None
    new_state: Optional[str] = None

    def reply_with(self, ticket_id: str) -> str:
        return self.reply.replace(TICKET_ID_PLACEHOLDER, ticket_id)


@dataclass(frozen=True)
class AppliedDecision:
    """The outcome of :meth:`OrderStore.apply_decision`: the reply to send, the ticket, the order now."""

    reply: str
    ticket: Optional[Ticket]
    order: Order


# ---------------------------------------------------------------- text helpers


def _when(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, CHINA_TIME)


def _day(ts: float) -> str:
    moment = _when(ts)
    return f"{moment.month}月{moment.day}日"


def _minute(ts: float) -> str:
    return f"{_day(ts)} {_when(ts):%H:%M}"


def _money(amount: float) -> str:
    return f"¥{amount:.2f}".replace(".00", "")


def _date_digits(ts: float) -> str:
    return _when(ts).strftime("%Y%m%d")


def find_order_ids(text: str) -> list[str]:
    """Order ids in free text, in order of appearance, without repeats.

    ``DD`` followed by 6–20 digits (any case, full-width too) comes back upper-case;
    bare 9–20 digit numbers come back as written, except mainland mobile numbers
    (11 digits starting 13–19).  Shorter numbers are never order ids: they are
    prices, sizes and quantities far more often.
    """
    normalized = unicodedata.normalize("NFKC", text or "")
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for match in _DD_ORDER_ID.finditer(normalized):
        found.append((match.start(), match.group().upper()))
        taken.append(match.span())
    for match in _NUMERIC_ORDER_ID.finditer(normalized):
        inside_dd = any(start <= match.start() < end for start, end in taken)
        if not inside_dd and not _MOBILE_NUMBER.match(match.group()):
            found.append((match.start(), match.group()))
    ids: list[str] = []
    for _, order_id in sorted(found):
        if order_id not in ids:
            ids.append(order_id)
    return ids


def canonical_order_id(order_id: str) -> str:
    """``dd2026…`` and full-width forms → ``DD2026…``; surrounding spaces dropped."""
    text = unicodedata.normalize("NFKC", order_id or "").strip()
    return "DD" + text[2:] if text[:2].upper() == "DD" else text


def describe_status(order: Order, now: float) -> str:
    """A natural Chinese answer to "where is my order": state, items and what happens next."""
    head = f"订单 {order.id}（{order.summary()}，实付 {_money(order.total)}）"
    if order.state == "待付款":
        deadline = order.created_at + PAYMENT_WINDOW_HOURS * 3600
        if now < deadline:
            return (f"{head}还没有付款哦。请在 {_minute(deadline)} 前完成支付，"
                    f"超时订单会自动取消；付款后 {SHIP_WITHIN_HOURS} 小时内发货。")
        return f"{head}已经超过 {PAYMENT_WINDOW_HOURS} 小时付款时限，订单会自动取消，需要的话可以重新下单。"
    if order.state == "待发货":
        paid = order.paid_at or order.created_at
        promise = paid + SHIP_WITHIN_HOURS * 3600
        if now <= promise:
            return (f"{head}已于 {_minute(paid)} 付款，仓库正在打包，"
                    f"预计 {_minute(promise)} 前发出，发货后我会第一时间告诉您快递单号。")
        return (f"{head}已于 {_minute(paid)} 付款，但超过了 {SHIP_WITHIN_HOURS} 小时还没有发出，非常抱歉😣 "
                "已经帮您催仓库尽快发货；着急的话可以回复\"转人工\"。")
    if order.state == "已发货":
        lines = [f"{head}已于 {_minute(order.shipped_at or now)} 发货，"
                 f"{order.courier or '快递'}运单号 {order.tracking_number or '暂无'}。"]
        latest = list(order.tracking_events[-2:])[::-1]
        if latest:
            lines.append("最新物流：" + "；".join(f"{_minute(ts)} {text}" for ts, text in latest) + "。")
        expected = (order.shipped_at or now) + TRANSIT_DAYS * DAY
        if now < expected:
            lines.append(f"预计 {_day(expected)} 左右送达，请保持电话畅通。")
        else:
            lines.append("包裹已在派送途中，预计很快送达；如果明天还没收到，可以回复\"转人工\"帮您联系快递。")
        return "".join(lines)
    if order.state == "已签收":
        signed = order.signed_at or now
        text = f"{head}已于 {_minute(signed)} 签收"
        return_deadline = signed + RETURN_WINDOW_DAYS * DAY
        exchange_deadline = signed + EXCHANGE_WINDOW_DAYS * DAY
        if now <= return_deadline:
            return text + f"。如果不满意，{_day(return_deadline)} 前都可以申请 7 天无理由退货。"
        if now <= exchange_deadline:
            return text + (f"。7 天无理由退货期已于 {_day(return_deadline)} 结束，"
                           f"尺码颜色不合适的话 {_day(exchange_deadline)} 前还可以换货。")
        return text + "。如果商品有质量问题，可以随时找我申请售后。"
    if order.state == "退款中":
        return (f"{head}正在退款中，款项会原路退回您的付款账户，"
                f"一般 {REFUND_WORKING_DAYS} 个工作日到账，请留意账户通知。")
    return f"{head}已取消，不会再发货；如果已经付款，款项会原路退回。"


def decide(order: Order, kind: str, now: float) -> PolicyDecision:
    """What the after-sales policy allows for ``kind`` on ``order`` at ``now`` (rules: module docstring)."""
    if kind not in POLICY_KINDS:
        raise ValueError(f"kind must be one of {', '.join(POLICY_KINDS)}, got {kind!r}")
    name = f"订单 {order.id}（{order.summary()}）"
    ticket = f"工单号 {TICKET_ID_PLACEHOLDER}"
    state = order.state

    if state == CANCELLED:
        return PolicyDecision(False, f"{name}已经取消了，不需要再处理；如果已付款，款项会原路退回。需要的话可以重新下单哦。")
    if state == "退款中":
        return PolicyDecision(False, (
            f"{name}的退款已经在处理中了，款项会原路退回，一般 {REFUND_WORKING_DAYS} 个工作日到账，"
            "不需要重复申请。到账前有任何问题可以随时找我。"))

    if state == "待付款":
        if kind == "cancel":
            return PolicyDecision(True, (
                f"好的，{name}还没有付款，已经帮您取消了，不会产生任何费用，用过的优惠券会退回账户（{ticket}）。"),
                "cancel", CANCELLED)
        if kind == "change_info":
            return PolicyDecision(True, (
                f"{name}还没有付款，可以修改。已经为您登记修改申请（{ticket}），"
                "请把新的收货地址、电话或要改的内容告诉我，客服会在您付款前改好。"), "change_info")
        if kind == "exchange":
            return PolicyDecision(True, (
                f"{name}还没有付款，不用换货，直接改规格就好。已经为您登记（{ticket}），"
                "请告诉我想换成的颜色或尺码。"), "change_info")
        return PolicyDecision(False, (
            f"{name}还没有付款，不会产生扣款，也就不需要退款啦。"
            "如果不想要了，可以跟我说\"取消订单\"，我帮您取消。"))

    if state == "待发货":
        if kind in ("cancel", "return_refund"):
            return PolicyDecision(True, (
                f"{name}还没有发货，已经为您取消订单并申请退款（{ticket}），"
                f"货款 {_money(order.total)} 会原路退回，一般 {REFUND_WORKING_DAYS} 个工作日到账。"),
                "cancel", "退款中")
        if kind == "change_info":
            return PolicyDecision(True, (
                f"{name}还没有发货，可以修改。已经为您登记修改申请（{ticket}），"
                "请把新的收货地址、电话或要改的内容告诉我，仓库发货前会按新信息处理。"), "change_info")
        return PolicyDecision(True, (
            f"{name}还没有发货，可以直接改颜色或尺码。已经为您登记（{ticket}），"
            "请告诉我想换成哪个规格，有货的话仓库会按新规格发出。"), "change_info")

    if state == "已发货":
        courier = order.courier or "快递"
        waybill = f"{courier}运单号 {order.tracking_number}" if order.tracking_number else courier
        if kind == "change_info":
            return PolicyDecision(False, (
                f"{name}已经发货了（{waybill}），我们这边没法再改订单信息了，抱歉😥 "
                f"要改收货地址或电话，可以拨打{courier}客服电话或在快递 App 里申请改派，报运单号就行。"))
        if kind == "exchange":
            return PolicyDecision(False, (
                f"{name}已经在路上了（{waybill}），暂时还不能换货。"
                f"签收后 {EXCHANGE_WINDOW_DAYS} 天内跟我说一声，就可以申请换颜色或尺码。"))
        return PolicyDecision(False, (
            f"{name}已经发货了（{waybill}），没法直接取消了，抱歉。您可以在快递派送时直接拒收，"
            f"包裹退回仓库后会自动退款；也可以先签收，签收后 {RETURN_WINDOW_DAYS} 天内申请 7 天无理由退货。"))

    # 已签收
    signed = order.signed_at if order.signed_at is not None else now
    days = max(0, int((now - signed) // DAY))
    return_deadline = signed + RETURN_WINDOW_DAYS * DAY
    exchange_deadline = signed + EXCHANGE_WINDOW_DAYS * DAY
    signed_text = f"{name}于 {_day(signed)} 签收" + (f"，到今天已经 {days} 天" if days else "")
    quality_help = ("如果商品有质量问题，不受这个期限限制，可以申请质量问题售后（拍照发给我们即可）；"
                    "也可以回复\"转人工\"，让人工客服帮您看看。")
    if kind == "return_refund":
        if now <= return_deadline:
            return PolicyDecision(True, (
                f"{signed_text}，还在 7 天无理由退货期内（{_minute(return_deadline)} 截止）。"
                f"已经为您提交退货退款申请（{ticket}）。请保持商品和包装完好，审核通过后按退货详情里的地址寄回，"
                "仓库收到后 48 小时内原路退款。"), "return_refund", "退款中")
        exchange_hint = (f"尺码或颜色不合适的话，{_day(exchange_deadline)} 前还可以换货。"
                         if now <= exchange_deadline else "")
        return PolicyDecision(False, (
            f"{signed_text}，已经超过 7 天无理由退货期（{_day(return_deadline)} 截止），"
            f"没法办理无理由退货了，非常抱歉🙏 {exchange_hint}{quality_help}"))
    if kind == "exchange":
        if now <= exchange_deadline:
            return PolicyDecision(True, (
                f"{signed_text}，在 {EXCHANGE_WINDOW_DAYS} 天换货期内（{_day(exchange_deadline)} 截止）。"
                f"已经为您提交换货申请（{ticket}），请告诉我想换的颜色或尺码；"
                "商品请保持完好、吊牌齐全，寄回后我们包邮寄出新货。"), "exchange")
        return PolicyDecision(False, (
            f"{signed_text}，已经超过 {EXCHANGE_WINDOW_DAYS} 天换货期（{_day(exchange_deadline)} 截止），"
            f"没法办理换货了，非常抱歉🙏 {quality_help}"))
    if kind == "cancel":
        if now <= return_deadline:
            return PolicyDecision(False, (
                f"{signed_text}，已经签收的订单没法取消了。不过还在 7 天无理由退货期内"
                f"（{_day(return_deadline)} 截止），跟我说\"我要退货\"就可以帮您申请退货退款。"))
        return PolicyDecision(False, (
            f"{signed_text}，已经签收的订单没法取消，也过了 7 天无理由退货期。{quality_help}"))
    return PolicyDecision(False, (
        f"{signed_text}，订单已经完成，收货信息没法再修改了。"
        "如果是想换商品的颜色或尺码，可以跟我说\"我要换货\"。"))


def ask_for_order_id(orders: Sequence[Order], limit: int = 5) -> str:
    """Asks which order the customer means, listing their newest orders to pick from."""
    if not orders:
        return "请问是哪个订单呢？把订单号发给我就好（在\"我的订单\"里可以看到，以 DD 开头）。"
    lines = [f"· {order.id}  {order.state}  {order.summary()}" for order in orders[:limit]]
    return "请问是哪个订单呢？您最近的订单有：\n" + "\n".join(lines) + "\n直接回复订单号就好。"


def order_not_found_reply(order_id: str, own_orders: Sequence[Order] = ()) -> str:
    """For an id that does not exist or is someone else's: the same words for both,
    so nobody learns that another customer's order number exists."""
    text = (f"抱歉，在您的账户下没有找到订单 {order_id} 😥 "
            "请核对一下订单号是否完整（我们的订单号以 DD 开头，后面是 13 位数字）。")
    if own_orders:
        lines = [f"· {order.id}  {order.state}  {order.summary()}" for order in own_orders[:5]]
        text += "\n您名下最近的订单有：\n" + "\n".join(lines)
    return text


def log_in_first_reply() -> str:
    """For a guest (no proven identity) asking about orders: never anyone's orders."""
    return ("查询订单、退换货需要先确认您的身份：请在店铺网站登录后再问我（微信、Telegram 需要先绑定店铺账号）。"
            "不登录也可以继续让我推荐商品、回答发货和售后规则的问题。")


def no_orders_reply() -> str:
    return "您的账户下还没有订单哦。如果是在别的账号下的单，请用下单的账号来咨询，我才能帮您查询。"


# ---------------------------------------------------------------- the store


class OrderStore:
    """Orders and tickets of customers in Redis (key schema: module docstring)."""

    def __init__(self, redis: redis.asyncio.Redis, key_prefix: str,
                 clock: Callable[[], float] = time.time) -> None:
        self._redis = redis
        self._prefix = key_prefix
        self._clock = clock

    def _key(self, *parts: str) -> str:
        return ":".join((self._prefix, *parts))

    def order_key(self, order_id: str) -> str:
        return self._key("order", order_id)

    def customer_orders_key(self, customer_id: str) -> str:
        return self._key("orders", customer_id)

    @property
    def tickets_key(self) -> str:
        return self._key("tickets")

    # ---- orders

    async def get(self, order_id: str) -> Optional[Order]:
        """The order, whoever owns it (check ``customer_id``, or use :meth:`find_own_order`)."""
        order_id = canonical_order_id(order_id)
        if not order_id:
            return None
        raw = await self._redis.get(self.order_key(order_id))
        if raw is None and _OUR_ORDER_DIGITS.match(order_id):
            # Customers often copy our id without its "DD".
            raw = await self._redis.get(self.order_key("DD" + order_id))
        return Order.from_json(_text(raw)) if raw is not None else None

    async def find_own_order(self, customer_id: str, order_id: str) -> Optional[Order]:
        """The order if it exists and belongs to ``customer_id``; None otherwise (reply: order_not_found_reply)."""
        order = await self.get(order_id)
        return order if order is not None and order.customer_id == customer_id else None

    async def orders_of(self, customer_id: str) -> list[Order]:
        """The customer's orders, newest first."""
        ids = await self._redis.zrevrange(self.customer_orders_key(customer_id), 0, -1)
        if not ids:
            return []
        raws = await self._redis.mget([self.order_key(_text(order_id)) for order_id in ids])
        orders = [Order.from_json(_text(raw)) for raw in raws if raw is not None]
        # The index is ours, but an order's owner is the order's own field.
        return [order for order in orders if order.customer_id == customer_id]

    async def save(self, order: Order) -> None:
        """Writes the order and indexes it under its customer; an expiring (demo) order keeps its expiry."""
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(self.order_key(order.id), order.to_json(), keepttl=True)
            pipe.zadd(self.customer_orders_key(order.customer_id), {order.id: order.created_at})
            await pipe.execute()

    async def new_order_id(self, created_at: float) -> str:
        sequence = await self._redis.incr(self._key("order_seq"))
        return f"DD{_date_digits(created_at)}{sequence % 100_000:05d}"

    async def orders_for(self, customer_id: str) -> list[Order]:
        """The customer's orders; the demo shop's customers (DEMO_CUSTOMERS) get their demo set first."""
        if customer_id in DEMO_CUSTOMERS:
            return await self.ensure_demo_orders(customer_id)
        return await self.orders_of(customer_id)

    async def ensure_demo_orders(self, customer_id: str) -> list[Order]:
        """The customer's orders, after creating the demo set if they have none (idempotent).

        The demo set: one order in each of ORDER_STATES plus a second 已签收 order signed
        ``DEMO_OLD_SIGNED_DAYS_AGO`` days ago (outside 7天无理由, inside the exchange
        window); the first 已签收 one was signed ``DEMO_RECENT_SIGNED_DAYS_AGO`` days ago.
        Concurrent calls for one customer create one set: the write is a transaction
        watched on the customer's index.
        """
        index_key = self.customer_orders_key(customer_id)
        for _ in range(5):
            async with self._redis.pipeline(transaction=True) as pipe:
                await pipe.watch(index_key)
                if await pipe.zcard(index_key):
                    await pipe.unwatch()
                    break
                orders = await self._demo_orders(customer_id)
                pipe.multi()
                for order in orders:
                    pipe.set(self.order_key(order.id), order.to_json(), ex=DEMO_ORDER_TTL_SECONDS)
                pipe.zadd(index_key, {order.id: order.created_at for order in orders})
                pipe.expire(index_key, DEMO_ORDER_TTL_SECONDS)
                try:
                    await pipe.execute()
                    break
                except WatchError:
                    continue  # another call seeded this customer meanwhile: read theirs
        return await self.orders_of(customer_id)

    async def _demo_orders(self, customer_id: str) -> list[Order]:
        now = self._clock()
        await asyncio.to_thread(demo_products)  # the first call reads a file: not on the event loop
        plans = demo_order_plans(customer_id, now)
        orders = []
        for plan in plans:
            order_id = await self.new_order_id(plan["created_at"])
            orders.append(Order(id=order_id, customer_id=customer_id, **plan))
        return orders

    # ---- tickets

    async def create_ticket(self, customer_id: str, order_id: Optional[str], kind: str, detail: str) -> Ticket:
        """Files a ticket for people to handle; ``order_id`` may be empty (complaint, handoff).

        Raises ValueError for an unknown kind, or an order that is not the customer's:
        a ticket must never point agents at someone else's order.
        """
        if kind not in TICKET_KINDS:
            raise ValueError(f"ticket kind must be one of {', '.join(TICKET_KINDS)}, got {kind!r}")
        order_state = ""
        if order_id:
            order = await self.find_own_order(customer_id, order_id)
            if order is None:
                raise ValueError(f"order {order_id!r} is not an order of customer {customer_id!r}")
            order_id, order_state = order.id, order.state
        now = self._clock()
        while True:
            sequence = await self._redis.incr(self._key("ticket_seq"))
            ticket_id = f"TK{_date_digits(now)}{sequence % 1_000_000:06d}"
            # The 6 digits wrap after a million tickets; never overwrite an older one.
            if await self._redis.hsetnx(self._key("ticket", ticket_id), "id", ticket_id):
                break
        ticket = Ticket(ticket_id, customer_id, order_id or "", kind, (detail or "")[:1000],
                        TICKET_STATUS_OPEN, order_state, now)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._key("ticket", ticket_id), mapping=ticket.to_hash())
            pipe.lpush(self._key("tickets", customer_id), ticket_id)
            pipe.lpush(self.tickets_key, ticket_id)
            await pipe.execute()
        return ticket

    async def add_to_ticket(self, ticket_id: str, customer_id: str, text: str) -> bool:
        """Appends the customer's further words to their own ticket (留言补充); False if it is not theirs."""
        key = self._key("ticket", ticket_id)
        async with self._redis.pipeline(transaction=True) as pipe:
            await pipe.watch(key)
            owner, detail = await pipe.hmget(key, "customer_id", "detail")
            if _text(owner or "") != customer_id:
                await pipe.unwatch()
                return False
            pipe.multi()
            pipe.hset(key, "detail", (_text(detail or "") + "\n" + (text or "")[:1000])[-MAX_TICKET_DETAIL_CHARS:])
            await pipe.execute()
        return True

    async def get_ticket(self, ticket_id: str) -> Optional[Ticket]:
        fields = await self._redis.hgetall(self._key("ticket", ticket_id))
        return Ticket.from_hash({_text(k): _text(v) for k, v in fields.items()}) if fields else None

    async def tickets_of(self, customer_id: str) -> list[Ticket]:
        """The customer's tickets, newest first."""
        return await self._tickets(await self._redis.lrange(self._key("tickets", customer_id), 0, -1))

    async def recent_tickets(self, count: int = 100) -> list[Ticket]:
        """Every customer's tickets, newest first: what agents work through."""
        return await self._tickets(await self._redis.lrange(self.tickets_key, 0, count - 1))

    async def _tickets(self, ids: Sequence[Any]) -> list[Ticket]:
        if not ids:
            return []
        async with self._redis.pipeline(transaction=False) as pipe:
            for ticket_id in ids:
                pipe.hgetall(self._key("ticket", _text(ticket_id)))
            rows = await pipe.execute()
        return [Ticket.from_hash({_text(k): _text(v) for k, v in row.items()}) for row in rows if row]

    # ---- decisions

    async def apply_decision(self, customer_id: str, order: Order, decision: PolicyDecision,
                             detail: str = "") -> AppliedDecision:
        """Files the ticket and changes the order's state as ``decision`` says; returns the reply to send.

        A refused decision changes nothing.  Rasa handles one message of a conversation
        at a time, so the order cannot change between :func:`decide` and this call
        from the same chat.
        """
        if not decision.allowed or decision.ticket_kind is None:
            return AppliedDecision(decision.reply, None, order)
        ticket = await self.create_ticket(customer_id, order.id, decision.ticket_kind, detail)
        if decision.new_state and decision.new_state != order.state:
            order = replace(order, state=decision.new_state)
            await self.save(order)
        return AppliedDecision(decision.reply_with(ticket.id), ticket, order)


# ---------------------------------------------------------------- demo data

_COURIERS = (("顺丰速运", "SF", 13), ("中通快递", "7", 14), ("圆通速递", "YT", 13), ("韵达快递", "4", 14))
_ADDRESSES = (
    ("上海", "上海市浦东新区张江路 88 号 3 栋 1202 室"),
    ("北京", "北京市朝阳区望京街道阜通东大街 6 号院 2 号楼 1503"),
    ("广州", "广东省广州市天河区天河路 385 号 18 楼"),
    ("杭州", "浙江省杭州市西湖区文三路 478 号 5 幢 602 室"),
    ("成都", "四川省成都市武侯区天府大道北段 1700 号 9 栋 2 单元 801"),
)
_WAREHOUSE_CITY = "杭州"
_COURIER_NAMES = ("王师傅", "李师傅", "张师傅", "刘师傅")


@functools.lru_cache(maxsize=1)
def demo_products() -> tuple:
    """The demo catalog's products in id order (read once per process)."""
    from bot.catalog.model import load_demo_catalog  # the catalog import is heavier than this module

    return tuple(sorted(load_demo_catalog(), key=lambda product: product.id))


def demo_order_plans(customer_id: str, now: float) -> list[dict[str, Any]]:
    """The fields (all but ``id`` and ``customer_id``) of a customer's demo orders, newest first.

    Seeded by the customer id, so a customer always gets the same products,
    and different customers get different ones.
    """
    rng = random.Random(hashlib.sha1(customer_id.encode("utf-8")).digest())
    products = demo_products()
    city, address = rng.choice(_ADDRESSES)
    phone = f"1{rng.choice('3589')}{rng.randrange(10)}****{rng.randrange(10000):04d}"
    minute = 60

    sized = [product for product in products if product.sizes and product.colors]

    def items(count: int, wearable: bool = False) -> tuple[OrderItem, ...]:
        # Signed-for orders get clothes or shoes, so an exchange of colour or size makes sense.
        chosen = rng.sample(sized if wearable else products, count)
        return tuple(OrderItem(
            product_id=product.id, title=product.title, price=product.price,
            quantity=1 if product.price >= 200 else rng.choice((1, 2)),
            color=rng.choice(product.colors) if product.colors else None,
            size=rng.choice(product.sizes) if product.sizes else None,
        ) for product in chosen)

    def total(order_items: tuple[OrderItem, ...]) -> float:
        amount = sum(item.price * item.quantity for item in order_items)
        return round(amount + (0 if amount >= 99 else 8), 2)  # faq.yml: 满 99 包邮, else 8 元

    def logistics(shipped_at: float, signed_at: Optional[float]) -> dict[str, Any]:
        courier, prefix, digits = rng.choice(_COURIERS)
        number = prefix + "".join(str(rng.randrange(10)) for _ in range(digits - len(prefix)))
        events = [
            (shipped_at, f"【{_WAREHOUSE_CITY}市】{courier}已揽收，揽收网点：{_WAREHOUSE_CITY}余杭仓"),
            (shipped_at + 6 * 3600, f"【{_WAREHOUSE_CITY}市】快件已到达 {_WAREHOUSE_CITY}转运中心"),
            (shipped_at + 9 * 3600, f"【{_WAREHOUSE_CITY}市】快件已离开 {_WAREHOUSE_CITY}转运中心，发往 {city}"),
            (shipped_at + 28 * 3600, f"【{city}市】快件已到达 {city}转运中心"),
        ]
        if signed_at is not None:
            courier_name = rng.choice(_COURIER_NAMES)
            events += [
                (signed_at - 3 * 3600, f"【{city}市】快递员 {courier_name} 正在派送，请保持电话畅通"),
                (signed_at, f"【{city}市】已签收，签收人：本人。感谢使用{courier}，期待再次为您服务"),
            ]
        visible = [event for event in events if event[0] <= now]
        return {"courier": courier, "tracking_number": number, "tracking_events": tuple(visible)}

    def order(state: str, created_at: float, count: int, paid: bool = True,
              shipped_at: Optional[float] = None, signed_at: Optional[float] = None) -> dict[str, Any]:
        order_items = items(count, wearable=signed_at is not None)
        plan: dict[str, Any] = {
            "state": state, "items": order_items, "total": total(order_items), "created_at": created_at,
            "paid_at": created_at + 3 * minute if paid else None, "shipped_at": shipped_at,
            "signed_at": signed_at, "address": address, "phone": phone,
        }
        if shipped_at is not None:
            plan.update(logistics(shipped_at, signed_at))
        return plan

    recent_signed = now - DEMO_RECENT_SIGNED_DAYS_AGO * DAY
    old_signed = now - DEMO_OLD_SIGNED_DAYS_AGO * DAY
    return [
        order("待付款", now - 40 * minute, 1, paid=False),
        order("待发货", now - 20 * 3600, 2),
        # shipped a day and a half ago: four events up to the destination city
        order("已发货", now - 2 * DAY, 1, shipped_at=now - 1.5 * DAY),
        # refund of an order paid but not yet shipped (取消并退款)
        order("退款中", now - 4 * DAY, 1),
        order("已签收", recent_signed - 2.5 * DAY, 1, shipped_at=recent_signed - 2 * DAY,
              signed_at=recent_signed),
        order("已签收", old_signed - 3 * DAY, 2, shipped_at=old_signed - 2.5 * DAY, signed_at=old_signed),
    ]


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
