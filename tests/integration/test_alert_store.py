"""Alert subscriptions in a real Redis."""

from __future__ import annotations

import pytest

from bot.store.alerts import AlertStore


async def test_a_subscription_is_appended_to_the_shops_alert_stream(private_redis):
    alerts = AlertStore(private_redis, "shop")
    await alerts.subscribe("u1", "restock", "P001", "跑步鞋", "到货了告诉我")
    await alerts.subscribe("u2", "price_drop", None, "口红", "降价提醒我" * 200)
    entries = await private_redis.xrange("shop:alerts")
    assert [fields["customer"] for _, fields in entries] == ["u1", "u2"]
    first, second = entries[0][1], entries[1][1]
    assert (first["kind"], first["product"], first["category"]) == ("restock", "P001", "跑步鞋")
    assert second["product"] == "" and len(second["text"]) == 500


async def test_an_unknown_alert_kind_is_refused_and_nothing_is_written(private_redis):
    with pytest.raises(ValueError, match="restock"):
        await AlertStore(private_redis, "shop").subscribe("u1", "whenever", None, None, "")
    assert await private_redis.exists("shop:alerts") == 0

