"""Who may see which orders (customer-identity.md), through a real rasa server, action server and Redis.

Customers write natural text.  A customer's orders are put in place the way
the shop's order system holds them (the demo order system's book, seeded for
the test's own customer); the customer proves who they are with a token signed by
the shop, on REST in ``Authorization: Bearer`` and in the widget in
``customData.token``.
"""

from __future__ import annotations

import time
import uuid

import jwt
import pytest
import requests

from bot.channels.texts import LOGIN_AGAIN_REPLY
from bot.identity import METADATA_KEY, sign_customer_token, verify_customer_token
from bot.service.texts import log_in_first_reply
from tests.integration.conftest import CUSTOMER_TOKEN_SECRET
from tests.integration.test_widget_socketio import Chat, texts

ASK = "我的订单到哪了"


def say(rasa, sender: str, text: str, token=None, metadata=None) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = {"sender": sender, "message": text, **({"metadata": metadata} if metadata else {})}
    return requests.post(f"{rasa.url}/webhooks/rest/webhook", json=body, headers=headers, timeout=60)


def joined(response: requests.Response) -> str:
    assert response.status_code == 200, response.text
    return "\n".join(reply.get("text", "") for reply in response.json())


def buttons(response: requests.Response) -> list:
    return [button["payload"] for reply in response.json() for button in reply.get("buttons", [])]


def token_for(customer: str, **claims) -> str:
    return sign_customer_token(customer, CUSTOMER_TOKEN_SECRET, **claims)


def test_a_guest_asking_for_orders_is_asked_to_log_in_and_sees_none(rasa, customer_with_orders):
    customer, orders = customer_with_orders
    # the chat window is even named like the customer: a sender id proves nothing
    answer = say(rasa, customer, ASK)
    assert joined(answer) == log_in_first_reply() and buttons(answer) == []
    by_number = joined(say(rasa, customer, f"订单 {orders[0].id} 到哪了"))
    assert orders[0].id not in by_number and "地址" not in by_number


def test_a_proven_customer_sees_their_own_orders_and_never_anothers(rasa, customer_with_orders):
    customer, orders = customer_with_orders
    window = f"window-{uuid.uuid4().hex[:6]}"
    answer = say(rasa, window, ASK, token_for(customer))
    # the one parcel under way is told, or the orders are listed to pick; either way only their own are offered
    assert ("订单号" in joined(answer) or "不是这一单的话" in joined(answer)) \
        and set(buttons(answer)) <= {order.id for order in orders} and buttons(answer)
    status = joined(say(rasa, window, orders[0].id, token_for(customer)))
    assert orders[0].state in status or orders[0].id in status
    stranger = f"other-{uuid.uuid4().hex[:6]}"
    foreign = joined(say(rasa, f"window-{uuid.uuid4().hex[:6]}", f"订单 {orders[0].id} 到哪了", token_for(stranger)))
    assert "没有找到订单" in foreign and "地址" not in foreign and orders[1].id not in foreign


def test_nobody_gets_invented_orders(rasa):
    newcomer = f"new-{uuid.uuid4().hex[:8]}"
    answer = say(rasa, f"window-{uuid.uuid4().hex[:6]}", ASK, token_for(newcomer))
    assert "还没有订单" in joined(answer) and buttons(answer) == []


@pytest.mark.parametrize("token, reason", [
    (lambda: token_for("demo-1001", now=time.time() - 7200), "expired"),
    (lambda: sign_customer_token("demo-1001", "not-the-shops-secret-0123456789"), "signature"),
    (lambda: jwt.encode({"sub": "demo-1001", "exp": int(time.time()) + 600}, CUSTOMER_TOKEN_SECRET,
                        algorithm="HS384"), "HS256"),
    (lambda: jwt.encode({"exp": int(time.time()) + 600}, CUSTOMER_TOKEN_SECRET, algorithm="HS256"), "sub"),
    (lambda: "eyJhbGciOiJub25lIn0.eyJzdWIiOiJkZW1vLTEwMDEifQ.", "HS256"),  # alg: none
    (lambda: "garbage", "not valid"),
])
def test_a_token_that_fails_verification_is_a_401_and_nothing_is_processed(rasa, token, reason):
    window = f"window-{uuid.uuid4().hex[:6]}"
    answer = say(rasa, window, ASK, token())
    assert answer.status_code == 401 and reason in answer.text
    events = requests.get(f"{rasa.url}/conversations/{window}/tracker", params={"token": rasa.token},
                          timeout=30).json()["events"]
    assert not [event for event in events if event["event"] == "user"]


def test_an_identity_written_into_the_metadata_by_the_client_counts_for_nothing(rasa, customer_with_orders):
    customer, orders = customer_with_orders
    answer = say(rasa, f"window-{uuid.uuid4().hex[:6]}", ASK, metadata={METADATA_KEY: {"id": customer}})
    assert joined(answer) == log_in_first_reply()


async def test_the_widget_carries_the_token_in_custom_data(rasa, customer_with_orders):
    customer, orders = customer_with_orders
    chat = await Chat(rasa.url).connect()
    try:
        await chat.start_session()
        assert await chat.message(ASK, customData={"token": token_for(customer)}) == "ok"
        replies = chat.drain()
        assert {b["payload"] for r in replies for b in r.get("quick_replies", []) + r.get("buttons", [])} \
            <= {order.id for order in orders}
        assert any("订单号" in text or "不是这一单的话" in text for text in texts(replies))
        assert await chat.message(ASK, customData={"token": "forged.token.value"}) == "refused"
        assert texts(chat.drain()) == [LOGIN_AGAIN_REPLY]
        assert await chat.message(ASK) == "ok"
        assert texts(chat.drain()) == [log_in_first_reply()]
    finally:
        await chat.close()


def test_the_demo_shop_logs_in_only_its_demo_customers(rasa):
    answer = requests.get(f"{rasa.url}/shop/demo-login", params={"customer": "demo-1001"}, timeout=30)
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    assert verify_customer_token(answer.json()["token"], CUSTOMER_TOKEN_SECRET).customer_id == "demo-1001"
    for customer in ("someone", "", "demo-9999"):
        assert requests.get(f"{rasa.url}/shop/demo-login", params={"customer": customer}, timeout=30
                            ).status_code == 404
