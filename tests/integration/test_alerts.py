"""Alerts in a real Redis: subscriptions, catalog changes once-only, the schedule, and delivery by channel.

Delivery goes through the real outbound layer to the fake WeChat and
Telegram APIs of tests/support/ (real HTTP servers), and to the outbox kept
for REST and for WeChat outside its 48-hour window.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from bot.alerts.catalog_watch import CatalogWatch
from bot.alerts.schedule import AlertSchedule
from bot.alerts.subscriptions import Subscriptions
from bot.alerts.worker import AlertWorker
from bot.catalog.model import Product, variant_key
from bot.channels.outbound import Outbound, Outbox, PushCredentials
from bot.settings import ServiceHours
from bot.store.conversations import ConversationIndex
from tests.support.fake_telegram_api import TELEGRAM_TEST_ENV, FakeTelegramApi
from tests.support.fake_wechat_api import WECHAT_TEST_ENV, FakeWeChatApi

CHINA = timezone(timedelta(hours=8))
NOON = datetime(2026, 12, 2, 12, 0, tzinfo=CHINA).timestamp()
HOURS = ServiceHours.alert_hours({})
SHOES = Product(id="SKU1", title="耐克 Pegasus 40 跑步鞋", category="跑步鞋", brand="耐克", price=629.0,
                colors=("黑色", "白色"), sizes=("42",), stock=3, rating=4.8, sales=10, tags=(), description="",
                variant_stock={variant_key("黑色", "42"): 3, variant_key("白色", "42"): 0})
BAG = Product(id="SKU2", title="小米 双肩包", category="双肩包", brand="小米", price=99.0, colors=("灰色",), sizes=(),
              stock=10, rating=4.6, sales=5, tags=(), description="")


@pytest.fixture
def clock():
    return {"now": NOON}


@pytest.fixture
def parts(private_redis, clock):
    tick = lambda: clock["now"]  # noqa: E731
    return (Subscriptions(private_redis, "al", tick), CatalogWatch(private_redis, "al", HOURS, tick),
            AlertSchedule(private_redis, "al", tick))


async def test_subscriptions_are_kept_once_listed_and_cancelled(parts):
    subs, _, _ = parts
    first, new = await subs.subscribe("chat-1", "price_drop", product_id="SKU1", title="跑鞋", current_price=629.0)
    again, new_again = await subs.subscribe("chat-1", "price_drop", product_id="SKU1", title="跑鞋")
    assert new and not new_again and again.id == first.id
    await subs.subscribe("chat-1", "new_arrival", category="跑步鞋")
    assert [s.kind for s in await subs.of_conversation("chat-1")] == ["price_drop", "new_arrival"]
    assert [s.kind for s in await subs.cancel("chat-1", "price_drop")] == ["price_drop"]
    assert [s.kind for s in await subs.of_conversation("chat-1")] == ["new_arrival"]
    assert await subs.for_product("SKU1") == []
    with pytest.raises(ValueError):
        await subs.subscribe("chat-1", "price_drop")  # which product?


async def test_a_catalog_change_queues_each_alert_once(parts, clock):
    subs, watch, schedule = parts
    assert (await watch.observe([SHOES, BAG])).baseline  # the first catalog is only remembered
    await subs.subscribe("chat-1", "price_drop", product_id="SKU1", title=SHOES.title, current_price=629.0)
    await subs.subscribe("chat-2", "restock", product_id="SKU1", title=SHOES.title, color="白色", size="42")
    await subs.subscribe("chat-3", "new_arrival", brand="耐克")
    changed = [replace(SHOES, price=499.0, variant_stock={variant_key("黑色", "42"): 3, variant_key("白色", "42"): 2}),
               BAG, replace(SHOES, id="SKU3", title="耐克 新款")]
    report = await watch.observe(changed)
    assert (report.changes, report.queued) == (3, 3)
    assert (await watch.observe(changed)).queued == 0  # the same catalog again: nothing new
    assert await schedule.pending() == 3
    restock = (await subs.for_product("SKU1"))
    assert [s.kind for s in restock] == ["price_drop"]  # the restock alert is done once queued
    assert (await subs.of_conversation("chat-1"))[0].last_price == 499.0
    assert (await watch.observe([replace(c, price=c.price) for c in changed[:1]] + changed[1:])).queued == 0


@pytest.fixture
def apis():
    telegram = FakeTelegramApi(port=int(TELEGRAM_TEST_ENV["TELEGRAM_API_BASE"].rsplit(":", 1)[1])).start()
    wechat = FakeWeChatApi(WECHAT_TEST_ENV["WECHAT_APP_ID"], WECHAT_TEST_ENV["WECHAT_APP_SECRET"],
                           port=int(WECHAT_TEST_ENV["WECHAT_API_BASE"].rsplit(":", 1)[1])).start()
    yield telegram, wechat
    telegram.stop()
    wechat.stop()


@pytest.fixture
async def worker(private_redis, parts, clock, apis):
    subs, _, schedule = parts
    index = ConversationIndex(private_redis, "al", lambda: clock["now"])
    outbound = Outbound(index, Outbox(private_redis, "al"), PushCredentials.from_env({**TELEGRAM_TEST_ENV,
                                                                                      **WECHAT_TEST_ENV}),
                        widget_wait_seconds=0.2)
    yield AlertWorker(schedule, subs, outbound, HOURS, daily_cap=2, clock=lambda: clock["now"]), index
    await outbound.close()


async def _price_drop_for(parts, conversations, price=499.0):
    subs, watch, _ = parts
    await watch.observe([SHOES])
    for conversation in conversations:
        await subs.subscribe(conversation, "price_drop", product_id="SKU1", title=SHOES.title, current_price=629.0)
    return await watch.observe([replace(SHOES, price=price)])


async def test_delivery_by_channel(parts, worker, apis, private_redis, clock):
    alert_worker, index = worker
    telegram, wechat = apis
    for conversation, channel in (("777001", "telegram"), ("oWechatUser1", "wechat"), ("rest-1", "rest"),
                                  ("777002", "telegram"), ("oWechatUser2", "wechat")):
        # WeChat's window is measured on the index's clock: this customer wrote 49 hours ago
        await index.record(conversation, "customer", "你好", channel,
                           at=clock["now"] - (49 * 3600 if conversation == "oWechatUser2" else 60))
    telegram.blocked.add("777002")
    assert (await _price_drop_for(parts, ["777001", "oWechatUser1", "rest-1", "777002", "oWechatUser2"])).queued == 5
    assert await alert_worker.deliver_due() == 4
    assert [call["params"]["text"] for call in telegram.calls_of("sendMessage", "777001")][0].startswith("【降价提醒】")
    assert len(wechat.messages_to("oWechatUser1")) == 1
    assert wechat.messages_to("oWechatUser2") == []  # outside the 48-hour window: kept for the next visit
    outbox = Outbox(private_redis, "al")
    kept = await outbox.take("oWechatUser2")
    assert len(kept) == 1 and kept[0]["text"].startswith("【降价提醒】")
    rest = await outbox.take("rest-1")
    assert rest[0]["card"]["products"][0]["id"] == "SKU1"
    subs = parts[0]
    assert await subs.of_conversation("777002") == []  # blocked the bot: nothing more is sent
    assert await alert_worker.deliver_due() == 0 and await parts[2].pending() == 0


async def test_quiet_hours_and_the_daily_cap(parts, worker, apis, clock):
    alert_worker, index = worker
    telegram, _ = apis
    await index.record("778001", "customer", "你好", "telegram")
    clock["now"] = datetime(2026, 12, 2, 23, 0, tzinfo=CHINA).timestamp()
    await _price_drop_for(parts, ["778001"], 599.0)
    assert await alert_worker.deliver_due() == 0 and telegram.calls_of("sendMessage", "778001") == []
    clock["now"] = datetime(2026, 12, 3, 8, 0, 1, tzinfo=CHINA).timestamp()  # the morning after
    assert await alert_worker.deliver_due() == 1
    subs, watch, _ = parts
    for price in (589.0, 579.0):  # two more drops the same day: the cap (2) holds the second one back
        await watch.observe([replace(SHOES, price=price)])
        await alert_worker.deliver_due()
    assert len(telegram.calls_of("sendMessage", "778001")) == 2
    clock["now"] = datetime(2026, 12, 4, 8, 0, 1, tzinfo=CHINA).timestamp()
    assert await alert_worker.deliver_due() == 1 and len(telegram.calls_of("sendMessage", "778001")) == 3


async def test_an_alert_cancelled_before_it_is_sent_is_dropped(parts, worker, apis, clock):
    alert_worker, index = worker
    telegram, _ = apis
    await index.record("779001", "customer", "你好", "telegram")
    await _price_drop_for(parts, ["779001"])
    await parts[0].cancel("779001")
    assert await alert_worker.deliver_due() == 0 and telegram.calls_of("sendMessage", "779001") == []


async def test_a_worker_that_died_mid_delivery_loses_nothing(parts, worker, clock):
    alert_worker, index = worker
    await index.record("rest-2", "customer", "你好", "rest")
    await _price_drop_for(parts, ["rest-2"])
    schedule = parts[2]
    leased = await schedule.lease_due()
    assert len(leased) == 1 and await schedule.lease_due() == []  # leased: no second worker gets it
    clock["now"] += 61  # the lease ran out (the worker died)
    assert await alert_worker.deliver_due() == 1
