"""Which subscriptions a catalog change concerns, and the notice (text and card) each gets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

from bot.alerts import texts
from bot.alerts.changes import Change
from bot.alerts.subscriptions import Subscription
from bot.catalog.model import Product

PRICE_EPSILON = 0.005


@dataclass(frozen=True)
class Notice:
    """One alert for one subscription; ``key`` makes it once-only (the same change never twice)."""

    subscription: Subscription
    key: str
    text: str
    card: dict
    told_price: Optional[float] = None  # price_drop: the price the customer now knows
    done: bool = False  # the subscription ends once this is sent


def _card(product: Product, reason: str) -> dict:
    return {"type": "product_cards", "products": [product.to_card(reason)]}


def notices_for(change: Change, subscriptions: Iterable[Subscription]) -> list[Notice]:
    product = change.product
    found = []
    for sub in subscriptions:
        if sub.status != "active":
            continue
        if change.kind == "price_drop" and sub.kind == "price_drop" and sub.product_id == product.id:
            baseline = sub.last_price if sub.last_price is not None else change.before.price
            if product.price < baseline - PRICE_EPSILON and (
                    sub.target_price is None or product.price <= sub.target_price + PRICE_EPSILON):
                found.append(Notice(sub, f"price:{product.price:.2f}",
                                    texts.price_dropped(product.title, change.before.price, product.price),
                                    _card(product, f"降价了：原价 ¥{change.before.price:g}"),
                                    told_price=product.price, done=sub.target_price is not None))
        elif change.kind == "restock" and sub.kind == "restock" and sub.product_id == product.id:
            color, size = sub.color or None, sub.size or None
            if product.in_stock(color, size) and not change.before.in_stock(color, size):
                variant = "/".join(part for part in (sub.color, sub.size) if part)
                found.append(Notice(sub, "restock", texts.restocked(product.title, variant),
                                    _card(product, "到货了"), done=True))
        elif change.kind == "new" and sub.kind == "new_arrival" and product.in_stock():
            if (not sub.category or sub.category == product.category) and (not sub.brand or sub.brand == product.brand):
                about = " ".join(part for part in (sub.brand, sub.category) if part)
                found.append(Notice(sub, f"new:{product.id}", texts.new_arrival(product.title, product.price, about),
                                    _card(product, "新品上架")))
    return found
