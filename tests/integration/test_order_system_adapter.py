"""The HTTP adapter against the demo order system (a real process), and against one that misbehaves.

Contract: what docs/order-system.md promises a shop, checked through
``HttpOrderSystem`` exactly as the action server uses it.  Faults: 500,
malformed JSON, a slow answer, a hang-up, nobody listening; each becomes
``OrderSystemUnavailable`` within the deadline, and repeated failures open the
circuit breaker so later calls fail at once.
"""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest
import requests

from bot.orders.http_adapter import HttpOrderSystem, OrderSystemSettings
from bot.orders.system import OrderSystemRefused, OrderSystemUnavailable
from bot.runtime.embedded_redis import free_port
from tests.integration.conftest import ORDER_SYSTEM_TOKEN, seed_demo_customer
from tests.support.faulty_order_system import FaultyOrderSystem


@pytest.fixture
async def adapter(order_system):
    system = HttpOrderSystem(OrderSystemSettings(order_system, ORDER_SYSTEM_TOKEN))
    yield system
    await system.close()


@pytest.fixture
async def customer(redis_server):
    """A customer the demo order system knows, with six orders."""
    return await seed_demo_customer(redis_server.url)


def in_state(orders, state):
    return next(order for order in orders if order.state == state)


async def test_orders_and_one_order_with_its_logistics(adapter, customer):
    customer_id, seeded = customer
    orders = await adapter.orders_of(customer_id)
    assert [order.id for order in orders] == [order.id for order in seeded]
    shipped = in_state(orders, "已发货")
    again = await adapter.order_of(customer_id, shipped.id)
    assert again == shipped and again.tracking_number and again.tracking_events
    assert (await adapter.order_of(customer_id, shipped.id[2:])).id == shipped.id
    assert await adapter.order_of(customer_id, "DD2099010100001") is None
    assert await adapter.orders_of(f"nobody-{uuid.uuid4().hex[:6]}") == []


async def test_another_customers_order_is_simply_not_there(adapter, customer):
    customer_id, seeded = customer
    stranger = f"other-{uuid.uuid4().hex[:6]}"
    assert await adapter.order_of(stranger, seeded[0].id) is None
    with pytest.raises(OrderSystemRefused):
        await adapter.cancel(stranger, in_state(seeded, "待发货").id, "", f"k-{uuid.uuid4()}")
    assert (await adapter.order_of(customer_id, in_state(seeded, "待发货").id)).state == "待发货"


async def test_changes_are_confirmed_refused_and_idempotent(adapter, customer):
    customer_id, seeded = customer
    paid = in_state(seeded, "待发货")
    key = f"k-{uuid.uuid4()}"
    done = await adapter.cancel(customer_id, paid.id, "拍错了", key)
    assert done.order.state == "退款中" and done.reference.startswith("RF") and done.refund_amount == paid.total
    assert await adapter.cancel(customer_id, paid.id, "拍错了", key) == done  # a retry: the same answer
    with pytest.raises(OrderSystemRefused) as refused:
        await adapter.cancel(customer_id, paid.id, "拍错了", f"k-{uuid.uuid4()}")
    assert "退款中" in refused.value.message
    signed = in_state(seeded, "已签收")
    exchange = await adapter.request_after_sales(customer_id, signed.id, "exchange", "42码小了", f"k-{uuid.uuid4()}")
    assert exchange.reference.startswith("AS") and exchange.order.state == "已签收"
    unpaid = in_state(seeded, "待付款")
    moved = await adapter.change_address(customer_id, unpaid.id, None, "13912345678", f"k-{uuid.uuid4()}")
    assert moved.order.phone == "13912345678" and moved.order.address == unpaid.address


async def test_channel_accounts(adapter, order_system):
    code = requests.post(f"{order_system}/customers/demo-1003/link-codes",
                         headers={"Authorization": f"Bearer {ORDER_SYSTEM_TOKEN}"}, timeout=10).json()["code"]
    account = f"openid-{uuid.uuid4().hex[:8]}"
    assert await adapter.customer_for_account("wechat", account) is None
    assert await adapter.link_account("wechat", account, code) == "demo-1003"
    assert await adapter.customer_for_account("wechat", account) == "demo-1003"
    with pytest.raises(OrderSystemRefused):
        await adapter.link_account("wechat", account, code)


async def test_the_demo_order_system_wants_its_token_and_answers_bad_requests_in_json(order_system, customer):
    customer_id, seeded = customer
    assert requests.get(f"{order_system}/customers/{customer_id}/orders", timeout=10).status_code == 401
    auth = {"Authorization": f"Bearer {ORDER_SYSTEM_TOKEN}"}
    for body in ("not json", "[1, 2]", '{"kind": 5}'):
        answer = requests.post(f"{order_system}/customers/{customer_id}/orders/{seeded[0].id}/after-sales",
                               data=body, headers=auth, timeout=10)
        assert answer.status_code == 400 and answer.json()["error"] == "bad_request"
    wrong = HttpOrderSystem(OrderSystemSettings(order_system, "wrong-token"))
    with pytest.raises(OrderSystemUnavailable):
        await wrong.orders_of(customer_id)
    await wrong.close()


@pytest.mark.parametrize("mode", ["500", "malformed", "slow", "hang-up", "wrong-customer"])
async def test_every_fault_is_unavailable_within_the_deadline(mode):
    server = FaultyOrderSystem(mode, slow_seconds=3).start()
    system = HttpOrderSystem(OrderSystemSettings(server.url, attempt_timeout_seconds=0.5, deadline_seconds=1.5))
    try:
        started = time.monotonic()
        with pytest.raises(OrderSystemUnavailable):
            await system.orders_of("alice")
        assert time.monotonic() - started < 2.5
        if mode in ("500", "hang-up"):
            assert server.calls == 3  # a read is retried twice
    finally:
        await system.close()
        server.stop()


async def test_a_change_without_retries_and_a_refusal_passed_on():
    server = FaultyOrderSystem("refuse").start()
    system = HttpOrderSystem(OrderSystemSettings(server.url))
    try:
        with pytest.raises(OrderSystemRefused) as refused:
            await system.cancel("alice", "DD2026112800001", "", "k1")
        assert refused.value.message == "仓库已经打包出库，无法取消" and server.calls == 1
    finally:
        await system.close()
        server.stop()


async def test_nobody_listening_and_the_circuit_breaker():
    system = HttpOrderSystem(OrderSystemSettings(f"http://127.0.0.1:{free_port()}", deadline_seconds=1,
                                                 breaker_failures=3, breaker_reset_seconds=0.5))
    try:
        for _ in range(3):
            with pytest.raises(OrderSystemUnavailable):
                await system.orders_of("alice")
        assert system.breaker.state == "open"
        started = time.monotonic()
        with pytest.raises(OrderSystemUnavailable, match="circuit open"):
            await system.orders_of("alice")
        assert time.monotonic() - started < 0.05  # no call went out
        await asyncio.sleep(0.6)
        server = FaultyOrderSystem("ok-empty").start()
        system.settings = OrderSystemSettings(server.url)
        try:
            assert await system.orders_of("alice") == []  # the trial call closes it again
            assert system.breaker.state == "closed"
        finally:
            server.stop()
    finally:
        await system.close()
