"""Orders and tickets in a real Redis: demo orders, ownership, tickets, key prefix, applied decisions."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime

import pytest

from bot.service.orders import (
    CHINA_TIME, DAY, DEMO_OLD_SIGNED_DAYS_AGO, DEMO_RECENT_SIGNED_DAYS_AGO, ORDER_STATES, RETURN_WINDOW_DAYS,
    Order, OrderStore, decide,
)

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=CHINA_TIME).timestamp()
ORDER_ID = re.compile(r"^DD\d{8}\d{5}$")
TICKET_ID = re.compile(r"^TK20261128\d{6}$")


@pytest.fixture
def store(private_redis):
    return OrderStore(private_redis, "ordtest", clock=lambda: NOW)


async def test_demo_orders_one_in_each_state_with_realistic_fields(store):
    orders = await store.ensure_demo_orders("alice")
    states = [order.state for order in orders]
    assert set(states) == set(ORDER_STATES)
    assert states.count("已签收") == 2 and len(orders) == 6
    assert [order.created_at for order in orders] == sorted((o.created_at for o in orders), reverse=True)
    for order in orders:
        assert ORDER_ID.match(order.id)
        assert order.id[2:10] == datetime.fromtimestamp(order.created_at, CHINA_TIME).strftime("%Y%m%d")
        assert order.customer_id == "alice" and order.items and order.total > 0 and order.address
        assert order.created_at <= NOW
    by_state = {order.state: order for order in orders}
    assert by_state["待付款"].paid_at is None
    shipped = by_state["已发货"]
    assert shipped.courier and shipped.tracking_number and 3 <= len(shipped.tracking_events) <= 5
    assert shipped.signed_at is None
    assert [ts for ts, _ in shipped.tracking_events] == sorted(ts for ts, _ in shipped.tracking_events)
    signed_ages = sorted((NOW - order.signed_at) / DAY for order in orders if order.state == "已签收")
    assert signed_ages == [DEMO_RECENT_SIGNED_DAYS_AGO, DEMO_OLD_SIGNED_DAYS_AGO]
    recent, old = sorted((o for o in orders if o.state == "已签收"), key=lambda o: -o.signed_at)
    assert decide(recent, "return_refund", NOW).allowed
    assert not decide(old, "return_refund", NOW).allowed and decide(old, "exchange", NOW).allowed
    assert all(item.size and item.color for item in recent.items + old.items)  # so exchange makes sense


async def test_demo_orders_are_idempotent_even_when_called_concurrently(store, private_redis):
    first = await store.ensure_demo_orders("alice")
    again = await store.ensure_demo_orders("alice")
    assert [order.id for order in again] == [order.id for order in first]
    racing = await asyncio.gather(*(store.ensure_demo_orders("bob") for _ in range(6)))
    assert {tuple(order.id for order in orders) for orders in racing} == {tuple(o.id for o in racing[0])}
    assert len(await private_redis.keys("ordtest:order:*")) == 2 * len(first)


async def test_order_ids_are_unique_across_customers(store):
    ids = [order.id for customer in ("c1", "c2", "c3") for order in await store.ensure_demo_orders(customer)]
    assert len(ids) == len(set(ids))


async def test_a_customer_sees_only_their_own_orders(store):
    alice = await store.ensure_demo_orders("alice")
    bob = await store.ensure_demo_orders("bob")
    assert {order.customer_id for order in await store.orders_of("alice")} == {"alice"}
    assert not {order.id for order in alice} & {order.id for order in bob}
    bobs_order = bob[0].id
    assert await store.get(bobs_order) is not None  # it exists ...
    assert await store.find_own_order("alice", bobs_order) is None  # ... but not for alice
    assert (await store.find_own_order("bob", bobs_order)).id == bobs_order
    assert await store.find_own_order("alice", "DD2099010100001") is None
    assert await store.orders_of("nobody") == []


async def test_lookup_forgives_lower_case_and_a_missing_dd(store):
    order = (await store.ensure_demo_orders("alice"))[0]
    assert (await store.get(order.id.lower())).id == order.id
    assert (await store.get(order.id[2:])).id == order.id


async def test_tickets_get_unique_ids_and_are_listed_per_customer_and_globally(store):
    alice_order = (await store.ensure_demo_orders("alice"))[0]
    bob_order = (await store.ensure_demo_orders("bob"))[0]
    first = await store.create_ticket("alice", alice_order.id, "cancel", "不想要了")
    second = await store.create_ticket("bob", bob_order.id, "return_refund", "质量有问题")
    third = await store.create_ticket("alice", None, "handoff", "转人工")
    assert all(TICKET_ID.match(ticket.id) for ticket in (first, second, third))
    assert len({first.id, second.id, third.id}) == 3
    assert [t.id for t in await store.tickets_of("alice")] == [third.id, first.id]  # newest first
    assert [t.id for t in await store.tickets_of("bob")] == [second.id]
    assert [t.id for t in await store.recent_tickets()] == [third.id, second.id, first.id]
    stored = await store.get_ticket(first.id)
    assert stored == first
    assert (stored.kind, stored.order_id, stored.order_state, stored.status) == ("cancel", alice_order.id,
                                                                                 alice_order.state, "待处理")


async def test_tickets_refuse_someone_elses_order_and_unknown_kinds(store):
    bob_order = (await store.ensure_demo_orders("bob"))[0]
    with pytest.raises(ValueError):
        await store.create_ticket("alice", bob_order.id, "cancel", "")
    with pytest.raises(ValueError):
        await store.create_ticket("alice", None, "refund_everything", "")
    assert await store.tickets_of("alice") == []


async def test_every_key_is_under_the_prefix(store, private_redis):
    other = OrderStore(private_redis, "othershop", clock=lambda: NOW)
    await store.ensure_demo_orders("alice")
    await store.create_ticket("alice", None, "complaint", "服务太差了")
    await other.ensure_demo_orders("alice")
    keys = await private_redis.keys("*")
    assert keys and all(key.startswith(("ordtest:", "othershop:")) for key in keys)
    assert set(await private_redis.keys("ordtest:*")) >= {
        "ordtest:orders:alice", "ordtest:tickets:alice", "ordtest:tickets", "ordtest:order_seq", "ordtest:ticket_seq"}
    assert await other.tickets_of("alice") == []
    assert all(o.customer_id == "alice" for o in await other.orders_of("alice"))


async def test_demo_orders_expire_but_tickets_do_not(store, private_redis):
    order = (await store.ensure_demo_orders("alice"))[0]
    ticket = await store.create_ticket("alice", order.id, "change_info", "改地址")
    assert 0 < await private_redis.ttl(store.order_key(order.id))
    assert 0 < await private_redis.ttl(store.customer_orders_key("alice"))
    assert await private_redis.ttl(f"ordtest:ticket:{ticket.id}") == -1


async def test_applying_a_decision_files_a_ticket_and_changes_the_state(store, private_redis):
    orders = await store.ensure_demo_orders("alice")
    awaiting_shipment = next(order for order in orders if order.state == "待发货")
    ttl_before = await private_redis.ttl(store.order_key(awaiting_shipment.id))
    applied = await store.apply_decision("alice", awaiting_shipment, decide(awaiting_shipment, "cancel", NOW),
                                         "拍错了不要了")
    assert applied.ticket is not None and applied.ticket.id in applied.reply and "{ticket_id}" not in applied.reply
    assert applied.order.state == "退款中"
    assert (await store.get(awaiting_shipment.id)).state == "退款中"
    assert 0 < await private_redis.ttl(store.order_key(awaiting_shipment.id)) <= ttl_before  # expiry kept
    assert "退款已经在处理中" in decide(applied.order, "cancel", NOW).reply

    unpaid = next(order for order in orders if order.state == "待付款")
    cancelled = await store.apply_decision("alice", unpaid, decide(unpaid, "cancel", NOW))
    assert (await store.get(unpaid.id)).state == "已取消"
    assert [t.kind for t in await store.tickets_of("alice")] == ["cancel", "cancel"]
    assert cancelled.ticket.order_state == "待付款"


async def test_a_refused_decision_changes_nothing(store):
    old_signed = min((o for o in await store.ensure_demo_orders("alice") if o.state == "已签收"),
                     key=lambda o: o.signed_at)
    assert NOW - old_signed.signed_at > RETURN_WINDOW_DAYS * DAY
    applied = await store.apply_decision("alice", old_signed, decide(old_signed, "return_refund", NOW))
    assert applied.ticket is None and (await store.get(old_signed.id)).state == "已签收"
    assert await store.tickets_of("alice") == []


async def test_save_round_trips_an_order(store):
    order = (await store.ensure_demo_orders("alice"))[2]
    assert isinstance(order, Order)
    assert await store.get(order.id) == order


async def test_words_are_added_only_to_the_customers_own_ticket(store):
    ticket = await store.create_ticket("alice", None, "handoff", "发票抬头开错了")
    assert await store.add_to_ticket(ticket.id, "alice", "税号 123")
    assert not await store.add_to_ticket(ticket.id, "mallory", "把退款打给我")
    assert not await store.add_to_ticket("TK-none", "alice", "？")
    assert (await store.get_ticket(ticket.id)).detail == "发票抬头开错了\n税号 123"
