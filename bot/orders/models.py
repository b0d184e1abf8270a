"""What the bot knows of an order (订单): its items, state, dates and logistics (物流).

These are the shapes of the order-system API (docs/order-system.md) as Python
values; :meth:`Order.from_dict` is strict, so a malformed answer of a shop's
order system is refused at the edge instead of surfacing as a crash later.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any, Mapping, Optional

ORDER_STATES = ("待付款", "待发货", "已发货", "已签收", "退款中")
CANCELLED = "已取消"  # terminal; not a state demo orders start in
ALL_ORDER_STATES = ORDER_STATES + (CANCELLED,)
AFTER_SALES_KINDS = ("return_refund", "exchange")


class MalformedOrder(ValueError):
    """An order (or request) that does not have the documented shape."""


@dataclass(frozen=True)
class OrderItem:
    """One line of an order (订单商品): the product, its price per piece and the variant bought."""

    product_id: str
    title: str
    price: float
    quantity: int
    color: Optional[str] = None
    size: Optional[str] = None
    # the catalog's leaf category (品类) when the order system knows it: 夏威夷果 is a snack though no
    # category word is in its title, so 零食到哪了 finds it
    category: Optional[str] = None

    @property
    def variant(self) -> str:
        return "/".join(part for part in (self.color, self.size) if part)


@dataclass(frozen=True)
class Order:
    """An order with its state, items, dates (unix seconds) and logistics."""

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
            raise MalformedOrder(f"order state must be one of {', '.join(ALL_ORDER_STATES)}, got {self.state!r}")
        object.__setattr__(self, "items", tuple(
            item if isinstance(item, OrderItem) else OrderItem(**item) for item in self.items))
        object.__setattr__(self, "tracking_events", tuple(
            (float(ts), str(text)) for ts, text in self.tracking_events))

    def to_dict(self) -> dict[str, Any]:
        fields = asdict(self)
        fields["items"] = [asdict(item) for item in self.items]
        fields["tracking_events"] = [list(event) for event in self.tracking_events]
        return fields

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_dict(cls, fields: Any) -> "Order":
        """The order of an API answer; MalformedOrder for anything that is not one."""
        if not isinstance(fields, Mapping):
            raise MalformedOrder(f"an order must be a JSON object, got {type(fields).__name__}")
        try:
            values = {name: fields[name] for name in cls.__dataclass_fields__ if name in fields}
            for name in ("id", "customer_id", "state"):
                if not isinstance(values.get(name), str) or not values[name]:
                    raise MalformedOrder(f"an order needs a non-empty string {name!r}")
            values["total"] = float(values["total"])
            values["created_at"] = float(values["created_at"])
            values["items"] = tuple(OrderItem(**item) for item in values.get("items") or ())
            values["tracking_events"] = tuple(tuple(event) for event in values.get("tracking_events") or ())
            return cls(**values)
        except MalformedOrder:
            raise
        except (KeyError, TypeError, ValueError, OverflowError) as error:
            raise MalformedOrder(f"not an order: {error}") from error

    @classmethod
    def from_json(cls, text: str) -> "Order":
        return cls.from_dict(json.loads(text))

    def summary(self) -> str:
        """The items in a few words: ``标题（黑色/42）×1`` or ``标题 等 3 件商品``."""
        if not self.items:
            return "（无商品）"
        first = self.items[0]
        text = first.title + (f"（{first.variant}）" if first.variant else "")
        pieces = sum(item.quantity for item in self.items)
        return f"{text} ×{first.quantity}" if len(self.items) == 1 else f"{text} 等 {pieces} 件商品"


@dataclass(frozen=True)
class Confirmation:
    """What the order system confirmed it did: the order as it is now and its reference number.

    ``reference`` is the order system's number for the request (退款单号 or
    售后单号); ``refund_amount`` is set when money goes back to the customer.
    """

    order: Order
    reference: str = ""
    refund_amount: Optional[float] = None

    @classmethod
    def from_dict(cls, fields: Any) -> "Confirmation":
        if not isinstance(fields, Mapping):
            raise MalformedOrder("a confirmation must be a JSON object")
        request = fields.get("request") or {}
        if not isinstance(request, Mapping):
            raise MalformedOrder("'request' must be a JSON object")
        refund = request.get("refund_amount")
        try:
            return cls(Order.from_dict(fields.get("order")), str(request.get("id") or ""),
                       float(refund) if refund is not None else None)
        except (TypeError, ValueError, OverflowError) as error:
            raise MalformedOrder(f"not a confirmation: {error}") from error

    def to_dict(self) -> dict[str, Any]:
        return {"order": self.order.to_dict(),
                "request": {"id": self.reference, "refund_amount": self.refund_amount}}
