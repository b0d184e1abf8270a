"""Catalog changes and which subscriptions they concern, without Redis."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from bot.alerts.changes import catalog_changes, product_from_state, state_of
from bot.alerts.matching import notices_for
from bot.alerts.subscriptions import Subscription
from bot.catalog.model import Product, variant_key
from bot.settings import ServiceHours

SHOES = Product(id="SKU1", title="耐克 Pegasus 40 跑步鞋", category="跑步鞋", brand="耐克", price=629.0,
                colors=("黑色", "白色"), sizes=("41", "42"), stock=3, rating=4.8, sales=10, tags=(), description="",
                variant_stock={variant_key("黑色", "42"): 3, variant_key("白色", "42"): 0})


def sub(kind: str, **fields) -> Subscription:
    return Subscription("AL1", "chat-1", "rest", "", kind, **fields)


def test_changes_price_drops_restocks_and_new_products():
    cheaper = replace(SHOES, price=499.0)
    white_back = replace(SHOES, variant_stock={variant_key("黑色", "42"): 3, variant_key("白色", "42"): 5})
    new = replace(SHOES, id="SKU2", title="耐克 新款")
    assert [c.kind for c in catalog_changes({"SKU1": SHOES}, [cheaper])] == ["price_drop"]
    assert [c.kind for c in catalog_changes({"SKU1": SHOES}, [white_back])] == ["restock"]
    assert [c.kind for c in catalog_changes({"SKU1": SHOES}, [SHOES, new])] == ["new"]
    assert catalog_changes({"SKU1": SHOES}, [replace(SHOES, price=699.0)]) == []  # dearer: nothing
    assert catalog_changes({"SKU1": SHOES}, [SHOES]) == []
    assert product_from_state("SKU1", state_of(SHOES)).in_stock("白色", "42") is False


def test_a_price_drop_for_any_drop_and_for_a_target_price():
    change = catalog_changes({"SKU1": SHOES}, [replace(SHOES, price=559.0)])[0]
    anyway = notices_for(change, [sub("price_drop", product_id="SKU1", last_price=629.0)])
    assert len(anyway) == 1 and not anyway[0].done and anyway[0].told_price == 559.0
    assert "¥629 → ¥559" in anyway[0].text and anyway[0].card["products"][0]["id"] == "SKU1"
    assert notices_for(change, [sub("price_drop", product_id="SKU1", target_price=500.0)]) == []
    reached = notices_for(change, [sub("price_drop", product_id="SKU1", target_price=560.0)])
    assert len(reached) == 1 and reached[0].done
    # told of 559 already: the same price again is no news; another product is not concerned
    assert notices_for(change, [sub("price_drop", product_id="SKU1", last_price=559.0)]) == []
    assert notices_for(change, [sub("price_drop", product_id="SKU9")]) == []
    assert notices_for(change, [sub("price_drop", product_id="SKU1", status="cancelled")]) == []


def test_a_restock_of_the_variant_asked_for():
    white_back = replace(SHOES, variant_stock={variant_key("黑色", "42"): 3, variant_key("白色", "42"): 5})
    change = catalog_changes({"SKU1": SHOES}, [white_back])[0]
    wanted = notices_for(change, [sub("restock", product_id="SKU1", color="白色", size="42")])
    assert len(wanted) == 1 and wanted[0].done and "白色/42" in wanted[0].text
    # black 42 was never out of stock: its subscriber hears nothing
    assert notices_for(change, [sub("restock", product_id="SKU1", color="黑色", size="42")]) == []


def test_new_arrivals_by_category_or_brand():
    change = catalog_changes({}, [replace(SHOES, id="SKU2", title="耐克 新款跑鞋")])[0]
    assert len(notices_for(change, [sub("new_arrival", category="跑步鞋")])) == 1
    assert len(notices_for(change, [sub("new_arrival", brand="耐克")])) == 1
    assert notices_for(change, [sub("new_arrival", brand="阿迪达斯")]) == []
    assert notices_for(change, [sub("new_arrival", category="跑步鞋", brand="阿迪达斯")]) == []


def test_alert_hours_are_the_complement_of_quiet_hours():
    hours = ServiceHours.alert_hours({})
    assert (hours.opens_minute, hours.closes_minute, hours.quiet_text) == (8 * 60, 22 * 60, "22:00–8:00")
    always = ServiceHours.alert_hours({"ALERT_QUIET_HOURS": "off"})
    assert all(always.is_open(t) for t in range(0, 86400, 900))
    night = datetime(2026, 12, 2, 7, 0, tzinfo=timezone(timedelta(hours=8))).timestamp()
    assert hours.next_open(night) == night + 3600 and hours.next_open(night + 7200) == night + 7200
