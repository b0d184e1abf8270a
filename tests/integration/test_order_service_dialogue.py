"""After-sales through the real bot: what it reports as done is what the order system confirmed.

Customers write natural text on the REST channel with a shop-signed token.
Against the demo order system (a real process) a request is carried out and
reported with the order system's own numbers; against an order system that
refuses, fails or is slow, the customer is told so plainly and a ticket is
filed; tickets are then worked in the console and every change reaches the
customer.
"""

from __future__ import annotations

import asyncio
import uuid

import pytest
import redis.asyncio
import requests

from bot.orders.demo_service.book import DemoOrderBook
from bot.runtime.embedded_redis import free_port
from bot.service.tickets import TicketStore
from tests.integration.conftest import CONSOLE_ACCOUNTS, KEY_PREFIX, RasaHandle
from tests.integration.processes import action_server
from tests.integration.test_customer_identity import joined, say, token_for
from tests.support.console_client import ConsoleClient
from tests.support.faulty_order_system import ORDER_ID, FaultyOrderSystem


def run(coroutine):
    return asyncio.run(coroutine)


async def _with_redis(url, work):
    client = redis.asyncio.Redis.from_url(url, decode_responses=True)
    try:
        return await work(client)
    finally:
        await client.close()


@pytest.fixture
def shopper(customer_with_orders):
    """A customer of the demo order system with six orders, and a fresh chat window."""
    customer, orders = customer_with_orders
    return customer, f"window-{uuid.uuid4().hex[:6]}", orders


def order_now(redis_server, customer, order_id):
    return run(_with_redis(redis_server.url, lambda c: DemoOrderBook(c, KEY_PREFIX).order_of(customer, order_id)))


def tickets_of_chat(redis_server, window):
    return run(_with_redis(redis_server.url, lambda c: TicketStore(c, KEY_PREFIX).of_conversation(window)))


def in_state(orders, state):
    return next(order for order in orders if order.state == state)


def test_a_cancelled_order_is_reported_with_the_order_systems_refund_number(rasa, redis_server, shopper):
    customer, window, orders = shopper
    paid = in_state(orders, "待发货")
    reply = joined(say(rasa, window, f"帮我取消订单 {paid.id}，拍错了", token_for(customer)))
    assert order_now(redis_server, customer, paid.id).state == "退款中"
    assert "退款单号 RF" in reply and "原路退回" in reply
    again = joined(say(rasa, window, f"取消订单 {paid.id}", token_for(customer)))
    assert "正在退款中" in again and "不需要再取消" in again  # the policy reads the order system's state


def test_part_of_an_order_to_cancel_leaves_the_order_whole_and_a_person_takes_the_items_off(
        rasa, redis_server, shopper):
    customer, window, orders = shopper
    paid = in_state(orders, "待发货")
    assert len(paid.items) > 1  # the demo's unshipped order holds several items
    brand = paid.items[0].title.split()[0]
    reply = joined(say(rasa, window, f"帮我取消订单{paid.id}里的{brand} 其他的照常发", token_for(customer)))
    assert order_now(redis_server, customer, paid.id).state == "待发货"  # never the whole order for part of it
    assert "整单取消" in reply and "退款单号" not in reply
    filed = [ticket for ticket in tickets_of_chat(redis_server, window) if ticket.kind == "cancel"]
    assert filed and filed[0].order_id == paid.id and filed[0].id in reply


def test_where_an_order_is_asked_by_its_state_is_answered_for_that_order_and_a_change_asks_which(rasa, shopper):
    customer, window, orders = shopper
    shipped = in_state(orders, "已发货")
    status = joined(say(rasa, window, "已经发货的那单到哪了", token_for(customer)))
    assert shipped.id in status and shipped.tracking_number in status
    cancel = joined(say(rasa, f"window-{uuid.uuid4().hex[:6]}", "没发货的那单帮我取消了吧", token_for(customer)))
    assert "请告诉我订单号" in cancel and "退款单号" not in cancel  # a change is made only on an order chosen


def test_a_parcel_asked_after_an_unpaid_order_is_the_one_on_its_way(rasa, shopper):
    customer, window, orders = shopper
    unpaid, shipped = in_state(orders, "待付款"), in_state(orders, "已发货")
    first = joined(say(rasa, window, f"订单{unpaid.id}还没付 先不急", token_for(customer)))
    assert unpaid.id in first
    parcel = joined(say(rasa, window, "那我的快递到哪了", token_for(customer)))
    assert shipped.id in parcel and shipped.tracking_number in parcel  # an unpaid order has no parcel


def test_a_return_and_an_address_change_are_carried_out_by_the_order_system(rasa, redis_server, shopper):
    customer, window, orders = shopper
    signed = max((o for o in orders if o.state == "已签收"), key=lambda o: o.signed_at)
    reply = joined(say(rasa, window, f"订单{signed.id}我要退货，不喜欢", token_for(customer)))
    assert "售后单号 AS" in reply and order_now(redis_server, customer, signed.id).state == "退款中"
    unpaid = in_state(orders, "待付款")
    moved = joined(say(rasa, window, f"订单{unpaid.id}的地址改成北京市朝阳区望京街道阜通东大街6号院2号楼1503",
                       token_for(customer)))
    assert order_now(redis_server, customer, unpaid.id).address == "北京市朝阳区望京街道阜通东大街6号院2号楼1503"
    assert "改好了" in moved and "望京" in moved


def test_a_change_only_a_person_can_make_becomes_a_ticket_worked_in_the_console(rasa, console, redis_server,
                                                                                 shopper):
    customer, window, orders = shopper
    waiting = in_state(orders, "待发货")
    reply = joined(say(rasa, window, f"订单{waiting.id}能换个颜色吗，想要白色", token_for(customer)))
    filed = tickets_of_chat(redis_server, window)
    assert len(filed) == 1 and filed[0].id in reply and filed[0].customer_id == customer
    assert filed[0].order_id == waiting.id and filed[0].status == "open"
    ticket_id = filed[0].id

    agent = ConsoleClient(console)
    assert agent.login("alice", CONSOLE_ACCOUNTS["alice"][0]).status_code == 200
    listed = agent.get("/api/tickets", status="open").json()["tickets"]
    assert ticket_id in [ticket["id"] for ticket in listed]
    taken = agent.post(f"/api/tickets/{ticket_id}/assign", {}).json()
    assert taken["ticket"]["status"] == "in_progress" and taken["ticket"]["assignee"] == "alice"
    asked = agent.post(f"/api/tickets/{ticket_id}/update",
                       {"status": "waiting_customer", "message": "白色只剩M码了，可以吗？"}).json()
    assert asked["ticket"]["status"] == "waiting_customer"
    answered = joined(say(rasa, window, "可以的M码就行", token_for(customer)))
    # REST cannot be called: the notices kept so far come before the answer to the customer's next message
    assert "现在是“处理中”" in answered and "白色只剩M码了，可以吗？" in answered
    assert f"已经把您的回复补充到工单 {ticket_id}" in answered
    back = agent.get(f"/api/tickets/{ticket_id}").json()
    assert back["status"] == "in_progress" and back["detail"].endswith("可以的M码就行")
    other = ConsoleClient(console)
    other.login("bob", CONSOLE_ACCOUNTS["bob"][0])
    assert other.post(f"/api/tickets/{ticket_id}/update", {"status": "resolved"}).status_code == 403
    assert agent.post(f"/api/tickets/{ticket_id}/update", {"status": "lost"}).status_code == 400
    done = agent.post(f"/api/tickets/{ticket_id}/update",
                      {"status": "resolved", "message": "已经帮您改成白色，明天发货"}).json()
    assert done["ticket"]["status"] == "resolved"
    assert agent.post(f"/api/tickets/{ticket_id}/update", {"status": "waiting_customer"}).status_code == 400

    answer = joined(say(rasa, window, "我的工单怎么样了", token_for(customer)))
    assert f"【工单 {ticket_id} 更新】" in answer
    assert "已经帮您改成白色，明天发货" in answer and "已解决" in answer
    assert answer.rindex("已解决") > answer.index("已经帮您改成白色")  # the overview comes last
    history = agent.get(f"/api/tickets/{ticket_id}").json()["history"]
    assert [entry.get("status") for entry in history if entry.get("status")] == [
        "open", "in_progress", "waiting_customer", "in_progress", "resolved"]
    assert agent.get("/api/tickets/TK-none").status_code == 404


@pytest.fixture(scope="module")
def faulty():
    server = FaultyOrderSystem("changes-refused", slow_seconds=3).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def bot_with_a_faulty_order_system(trained_model, server_env, log_dir, faulty):
    """A rasa server and action server whose order system is the faulty one."""
    env = {**server_env, "ORDER_SYSTEM_URL": faulty.url, "ORDER_SYSTEM_TIMEOUT_SECONDS": "0.5",
           "ORDER_SYSTEM_DEADLINE_SECONDS": "1.5"}
    port = free_port()
    actions = action_server(port, env, log_dir).start()
    handle = RasaHandle(trained_model, {**env, "ACTION_SERVER_URL": f"http://127.0.0.1:{port}/webhook"}, log_dir)
    yield handle
    handle.stop()
    actions.stop()


@pytest.mark.parametrize("mode, words", [
    ("changes-refused", ["没有接受", "仓库已经打包出库，无法取消"]),
    ("changes-500", ["没有办理成功", "订单没有任何变化"]),
    ("changes-slow", ["没有办理成功"]),
])
def test_a_refusing_or_failing_order_system_gets_an_honest_reply_and_a_ticket(
        bot_with_a_faulty_order_system, faulty, redis_server, mode, words):
    faulty.mode = mode
    window = f"window-{uuid.uuid4().hex[:6]}"
    customer = f"cust-{uuid.uuid4().hex[:6]}"
    answer = say(bot_with_a_faulty_order_system, window, f"帮我取消订单{ORDER_ID}", token_for(customer))
    reply = joined(answer)
    assert all(word in reply for word in words), reply
    assert "已经为您取消" not in reply and "退款单号" not in reply
    filed = tickets_of_chat(redis_server, window)
    assert len(filed) == 1 and filed[0].id in reply and filed[0].kind == "cancel" and filed[0].order_id == ORDER_ID


@pytest.mark.parametrize("mode", ["500", "malformed", "slow", "wrong-customer"])
def test_orders_that_cannot_be_read_are_said_so_and_a_person_follows_up(
        bot_with_a_faulty_order_system, faulty, redis_server, mode):
    faulty.mode = mode
    window = f"window-{uuid.uuid4().hex[:6]}"
    reply = joined(say(bot_with_a_faulty_order_system, window, "我的订单到哪了", token_for("cust-x")))
    assert "暂时查不到" in reply and "someone-else" not in reply
    filed = tickets_of_chat(redis_server, window)
    assert filed and filed[0].id in reply and filed[0].kind == "status"
    # the bot is still fine afterwards
    assert requests.get(f"{bot_with_a_faulty_order_system.url}/", timeout=10).status_code == 200


def test_products_and_an_order_asked_in_one_message_are_both_answered(rasa, shopper):
    customer, window, orders = shopper
    both = say(rasa, window, "我上周买的东西发货了吗？顺便想看看蓝牙耳机", token_for(customer))
    assert both.status_code == 200
    shown = [card for reply in both.json() if reply.get("custom")
             for card in reply["custom"].get("products", [])]
    assert shown and all(card["category"] == "蓝牙耳机" for card in shown)
    listed = [button["payload"] for reply in both.json() for button in reply.get("buttons", [])]
    # the order the words point to (上周买的) is told, or the orders are listed to pick; either way they are offered
    assert ("请告诉我订单号" in joined(both) or "不是这一单的话" in joined(both)) and listed \
        and set(listed) <= {o.id for o in orders}
    status = joined(say(rasa, window, listed[0], token_for(customer)))
    assert listed[0] in status  # the order picked is the one reported
    guest = joined(say(rasa, f"guest-{uuid.uuid4().hex[:6]}", "想买双跑鞋，另外我的快递到哪了"))
    assert "登录" in guest


def test_one_size_for_another_of_a_delivered_item_files_its_exchange(rasa, redis_server, shopper):
    """羽绒服 XXL换XL: the delivered order holding that kind is the one exchanged, with no order number said (the
    choice between a delivered order and one still to ship holding the same kind: test_orders_policy.py)."""
    customer, window, orders = shopper
    delivered = [order for order in orders if order.state == "已签收"]
    item, order = next((item, order) for order in delivered for item in order.items if item.size and not any(
        other.category == item.category for kept in delivered if kept is not order for other in kept.items))
    other = "XL" if item.size != "XL" else "L"
    if item.size.isdigit():
        other = str(int(item.size) - 1)
    reply = joined(say(rasa, window, f"{item.category} {item.size}换{other}", token_for(customer)))
    assert order.id in reply and "换货" in reply, reply
    assert "为你挑了" not in reply  # no search for another one


def test_more_words_on_a_change_only_a_person_makes_join_its_ticket(rasa, redis_server, shopper):
    """订单…能改个颜色吗 → 要黑色的: one ticket for the person, holding both, not a second one."""
    customer, window, orders = shopper
    paid = in_state(orders, "待发货")
    first = joined(say(rasa, window, f"订单{paid.id}能改个颜色吗", token_for(customer)))
    assert "工单 TK" in first, first
    again = joined(say(rasa, window, "要黑色的", token_for(customer)))
    changes = [ticket for ticket in tickets_of_chat(redis_server, window) if ticket.order_id == paid.id]
    assert len(changes) == 1 and changes[0].id in again and "补充" in again, again
    assert "黑色" in changes[0].detail
