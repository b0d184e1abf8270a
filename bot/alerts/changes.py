"""What changed between two states of the catalog: price drops, restocks, new products.

Pure functions over :class:`~bot.catalog.model.Product`.  The state the
alerts last saw is kept in Redis as :func:`state_of` dictionaries (a few
fields per product), so the comparison survives restarts and works whether the
new catalog came through ``POST /admin/catalog`` or the importer at start-up.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterable, Mapping, Optional

from bot.catalog.model import Product

STATE_FIELDS = ("title", "category", "brand", "price", "colors", "sizes", "stock", "variant_stock", "image")


def state_of(product: Product) -> str:
    """The few fields alerts compare, as one JSON text."""
    fields = product.to_dict()
    return json.dumps({name: fields[name] for name in STATE_FIELDS}, ensure_ascii=False, sort_keys=True)


def product_from_state(product_id: str, state: str) -> Product:
    fields = json.loads(state)
    return Product(id=product_id, title=fields["title"], category=fields["category"], brand=fields["brand"],
                   price=fields["price"], colors=fields["colors"], sizes=fields["sizes"], stock=fields["stock"],
                   rating=0.0, sales=0, tags=(), description="", image=fields.get("image", ""),
                   variant_stock=fields.get("variant_stock") or {})


@dataclass(frozen=True)
class Change:
    """``kind``: price_drop (``before`` had a higher price), restock (``before`` lacked stock), new."""

    kind: str
    product: Product
    before: Optional[Product] = None


def catalog_changes(before: Mapping[str, Product], after: Iterable[Product]) -> list[Change]:
    """Every price drop, restock and new product from ``before`` to ``after`` (order of ``after``)."""
    changes = []
    for product in after:
        old = before.get(product.id)
        if old is None:
            changes.append(Change("new", product))
            continue
        if product.price < old.price:
            changes.append(Change("price_drop", product, old))
        if _restocked_somewhere(old, product):
            changes.append(Change("restock", product, old))
    return changes


def _restocked_somewhere(old: Product, new: Product) -> bool:
    if new.in_stock() and not old.in_stock():
        return True
    for key, count in new.variant_stock.items():
        if count > 0 and old.variant_stock.get(key, 0) <= 0:
            return True
    return False
