"""Two rasa servers on one Redis: the console's state and its messages do not care which one a customer hits.

The second rasa server shares the session's Redis, action server and model.
A widget customer connected to the second server gets the agent's message
(published once, emitted by the server holding the socket, never twice); a
REST customer whose requests alternate between the servers is silent to the
bot on both while an agent owns the conversation, and gets a kept message
exactly once from whichever server answers next.
"""

from __future__ import annotations

import asyncio
import uuid

import pytest
import requests

from bot.handoff import texts as handoff_texts
from tests.integration.conftest import CONSOLE_ACCOUNTS, RasaHandle
from tests.integration.test_widget_socketio import Chat, texts
from tests.support.console_client import ConsoleClient


@pytest.fixture(scope="module")
def second_rasa(trained_model, server_env, actions, log_dir, rasa):
    handle = RasaHandle(trained_model, {**server_env, "ACTION_SERVER_URL": actions}, log_dir)
    yield handle
    handle.stop()


def say(server, sender: str, text: str) -> list:
    response = requests.post(f"{server.url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                             timeout=60)
    assert response.status_code == 200, response.text
    return [reply["text"] for reply in response.json() if "text" in reply]


def agent(console: str) -> ConsoleClient:
    client = ConsoleClient(console)
    assert client.login("alice", CONSOLE_ACCOUNTS["alice"][0]).status_code == 200
    return client


async def replies_within(chat: Chat, seconds: float) -> list:
    await asyncio.sleep(seconds)
    return texts(chat.drain())


async def test_an_agent_message_reaches_a_widget_on_the_other_rasa_server_once(rasa, second_rasa, console):
    chat = await Chat(second_rasa.url).connect()
    try:
        session_id = await chat.start_session()
        assert await chat.message("我要转人工客服") == "ok"
        assert any("转接人工客服" in text for text in texts(chat.drain()))
        alice = agent(console)
        assert alice.post(f"/api/conversations/{session_id}/takeover").status_code == 200
        sent = alice.post(f"/api/conversations/{session_id}/messages", {"text": "您好，我在第二台服务器也能找到您"})
        assert sent.json()["delivered"] is True
        received = await replies_within(chat, 1.0)
        assert received.count("您好，我在第二台服务器也能找到您") == 1
        assert handoff_texts.agent_joined("alice") in received
    finally:
        await chat.close()


def test_a_rest_customer_alternating_between_servers_is_served_by_the_agent_alone(rasa, second_rasa, console):
    customer = f"replica-{uuid.uuid4().hex[:8]}"
    assert "转接人工客服" in " ".join(say(rasa, customer, "转人工"))
    alice = agent(console)
    alice.post(f"/api/conversations/{customer}/takeover")
    assert say(second_rasa, customer, "我在吗") == [handoff_texts.agent_joined("alice")]
    assert say(rasa, customer, "我的包裹丢了") == []
    alice.post(f"/api/conversations/{customer}/messages", {"text": "我来帮您查"})
    assert say(second_rasa, customer, "好") == ["我来帮您查"]
    assert say(rasa, customer, "谢谢") == []
    customer_texts = [m["text"] for m in alice.get(f"/api/conversations/{customer}").json()["messages"]
                      if m["role"] == "customer"]
    assert customer_texts == ["转人工", "我在吗", "我的包裹丢了", "好", "谢谢"]
