"""The demo order system's data in a real Redis: demo orders, ownership, the shop's rules, idempotency, links."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime

import pytest

from bot.orders.demo_service.book import DemoOrderBook, NotFound, Refusal
from bot.orders.demo_service.seed import DEMO_OLD_SIGNED_DAYS_AGO, DEMO_RECENT_SIGNED_DAYS_AGO
from bot.orders.models import ORDER_STATES
from bot.service.formatting import CHINA_TIME, DAY
from bot.service.policy import decide

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=CHINA_TIME).timestamp()
ORDER_ID = re.compile(r"^DD\d{8}\d{5}$")


@pytest.fixture
def book(private_redis):
    return DemoOrderBook(private_redis, "ordtest", clock=lambda: NOW)


def in_state(orders, state):
    return next(order for order in orders if order.state == state)


async def test_demo_orders_one_in_each_state_with_realistic_fields(book):
    orders = await book.ensure_demo_orders("alice")
    states = [order.state for order in orders]
    assert set(states) == set(ORDER_STATES)
    assert states.count("已签收") == 2 and len(orders) == 6
    assert [order.created_at for order in orders] == sorted((o.created_at for o in orders), reverse=True)
    for order in orders:
        assert ORDER_ID.match(order.id)
        assert order.id[2:10] == datetime.fromtimestamp(order.created_at, CHINA_TIME).strftime("%Y%m%d")
        assert order.customer_id == "alice" and order.items and order.total > 0 and order.address
        assert order.created_at <= NOW
    shipped = in_state(orders, "已发货")
    assert shipped.courier and shipped.tracking_number and 3 <= len(shipped.tracking_events) <= 5
    assert in_state(orders, "待付款").paid_at is None
    signed_ages = sorted((NOW - order.signed_at) / DAY for order in orders if order.state == "已签收")
    assert signed_ages == [DEMO_RECENT_SIGNED_DAYS_AGO, DEMO_OLD_SIGNED_DAYS_AGO]
    recent, old = sorted((o for o in orders if o.state == "已签收"), key=lambda o: -o.signed_at)
    assert decide(recent, "return_refund", NOW).allowed
    assert not decide(old, "return_refund", NOW).allowed and decide(old, "exchange", NOW).allowed


async def test_demo_orders_are_seeded_once_even_when_asked_concurrently(book, private_redis):
    first = await book.ensure_demo_orders("alice")
    assert [o.id for o in await book.ensure_demo_orders("alice")] == [o.id for o in first]
    racing = await asyncio.gather(*(book.ensure_demo_orders("bob") for _ in range(6)))
    assert {tuple(order.id for order in orders) for orders in racing} == {tuple(o.id for o in racing[0])}
    assert len(await private_redis.keys("ordtest:ordersys:order:*")) == 2 * len(first)


async def test_nobody_but_the_demo_customers_has_orders(book):
    assert await book.orders_of("someone-new") == []
    assert len(await book.orders_of("demo-1001")) == 6  # the demo shop's customers are seeded on sight
    assert await book.orders_of("someone-new") == []


async def test_a_demo_customer_finds_an_order_in_each_state_after_a_chat_changed_one(book):
    first = await book.orders_of("demo-1002")
    waiting, signed = in_state(first, "待发货"), in_state(first, "已签收")
    await book.cancel("demo-1002", waiting.id, "不想要了", "k-cancel")
    await book.request_after_sales("demo-1002", signed.id, "return_refund", "不合适", "k-return")
    again = await book.orders_of("demo-1002")
    by_id = {order.id: order for order in again}
    assert by_id[waiting.id].state == "退款中" and by_id[signed.id].state == "退款中"  # the changed ones stay
    fresh = [order for order in again if order.id not in {o.id for o in first}]
    assert sorted(order.state for order in fresh) == ["已签收", "待发货"]
    # the same purchases again: a chat that names the returned jacket finds one to return
    assert sorted((order.state, order.items) for order in fresh) == [("已签收", signed.items), ("待发货", waiting.items)]
    assert [o.id for o in await book.orders_of("demo-1002")] == [o.id for o in again]  # refilled once


async def test_chat_after_chat_leaves_only_the_newest_changed_copy_of_each_purchase(book):
    planned = len(await book.orders_of("demo-1003"))
    changed_ids = []
    for chat in range(4):
        waiting = in_state(await book.orders_of("demo-1003"), "待发货")
        await book.cancel("demo-1003", waiting.id, "不想要了", f"k-chat-{chat}")
        changed_ids.append(waiting.id)
    orders = await book.orders_of("demo-1003")
    ids = {order.id for order in orders}
    # the last chat's cancelled order is still there for it; the three before are gone, as is any pile
    assert changed_ids[-1] in ids and not ids & set(changed_ids[:-1])
    # the demo set itself, refilled, and that one changed copy: nothing piles up
    assert len(orders) == planned + 1 and len(await book.orders_of("demo-1003")) == planned + 1
    assert {order.state for order in orders} >= set(ORDER_STATES)


async def test_a_customer_sees_only_their_own_orders(book):
    alice = await book.ensure_demo_orders("alice")
    bob = await book.ensure_demo_orders("bob")
    assert not {order.id for order in alice} & {order.id for order in bob}
    assert await book.order_of("alice", bob[0].id) is None
    assert (await book.order_of("bob", bob[0].id)).id == bob[0].id
    assert (await book.order_of("bob", bob[0].id.lower())).id == bob[0].id
    assert (await book.order_of("bob", bob[0].id[2:])).id == bob[0].id  # customers drop the "DD"
    with pytest.raises(NotFound):
        await book.cancel("alice", bob[0].id, "", "k1")
    assert (await book.order_of("bob", bob[0].id)).state == bob[0].state


async def test_cancelling_follows_the_shops_rules_and_happens_once_per_key(book):
    orders = await book.ensure_demo_orders("alice")
    paid = in_state(orders, "待发货")
    done = await book.cancel("alice", paid.id, "拍错了", "key-1")
    assert done.order.state == "退款中" and done.refund_amount == paid.total and done.reference.startswith("RF")
    again = await book.cancel("alice", paid.id, "拍错了", "key-1")
    assert again == done  # the same answer, nothing done twice
    with pytest.raises(Refusal) as refused:
        await book.cancel("alice", paid.id, "拍错了", "key-2")
    assert refused.value.code == "not_allowed" and "退款中" in refused.value.message
    unpaid = in_state(orders, "待付款")
    assert (await book.cancel("alice", unpaid.id, "", "key-3")).order.state == "已取消"
    with pytest.raises(Refusal):
        await book.cancel("alice", in_state(orders, "已发货").id, "", "key-4")


async def test_after_sales_and_address_changes(book):
    orders = await book.ensure_demo_orders("alice")
    signed = in_state(orders, "已签收")
    returned = await book.request_after_sales("alice", signed.id, "return_refund", "不喜欢", "r1")
    assert returned.order.state == "退款中" and returned.reference.startswith("AS")
    with pytest.raises(Refusal):
        await book.request_after_sales("alice", in_state(orders, "待发货").id, "exchange", "", "r2")
    waiting = in_state(orders, "待发货")
    moved = await book.change_address("alice", waiting.id, "北京市朝阳区望京街道 6 号", None, "a1")
    assert moved.order.address == "北京市朝阳区望京街道 6 号" and moved.order.phone == waiting.phone
    assert (await book.order_of("alice", waiting.id)).address == "北京市朝阳区望京街道 6 号"
    with pytest.raises(Refusal):
        await book.change_address("alice", in_state(orders, "已发货").id, "上海", None, "a2")


async def test_concurrent_requests_with_one_key_change_the_order_once(book):
    paid = in_state(await book.ensure_demo_orders("alice"), "待发货")
    answers = await asyncio.gather(*(book.cancel("alice", paid.id, "", "same-key") for _ in range(5)))
    assert len({answer.reference for answer in answers}) == 1


async def test_channel_accounts_link_with_a_one_time_code(book):
    code = await book.new_link_code("demo-1002")
    assert re.fullmatch(r"\d{6}", code)
    assert await book.customer_for_account("wechat", "openid-1") is None
    assert await book.link_account("wechat", "openid-1", code) == "demo-1002"
    assert await book.customer_for_account("wechat", "openid-1") == "demo-1002"
    with pytest.raises(Refusal):
        await book.link_account("telegram", "42", code)  # used up
    assert await book.customer_for_account("telegram", "42") is None


async def test_every_key_is_under_the_prefix_and_demo_orders_expire(book, private_redis):
    await book.ensure_demo_orders("alice")
    keys = await private_redis.keys("*")
    assert keys and all(key.startswith("ordtest:ordersys:") for key in keys)
    assert 0 < await private_redis.ttl("ordtest:ordersys:orders:alice")
