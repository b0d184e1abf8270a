"""The demo shop's customers and their orders: one in each state, seeded by the customer id.

Only the customers of :data:`DEMO_CUSTOMERS` (and those a test seeds on purpose)
have orders; nobody else's are ever invented.
"""

from __future__ import annotations

import functools
import hashlib
import random
from typing import Any, Optional

from bot.orders.models import OrderItem

# The demo shop's customers (its page logs one in with a signed token).
DEMO_CUSTOMERS = {"demo-1001": "王小明", "demo-1002": "李华", "demo-1003": "张敏"}
# Demo 已签收 orders: one inside the 7-day return window, one outside it but
# still inside the 15-day exchange window, so both answers can be tried in a chat.
DEMO_RECENT_SIGNED_DAYS_AGO = 3
DEMO_OLD_SIGNED_DAYS_AGO = 12
DAY = 24 * 3600

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
            category=product.category,
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


