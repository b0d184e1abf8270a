"""转人工 end to end: a customer on the REST channel of a real rasa server, agents on a real console.

The customer writes natural text (never ``/intent`` triggers); the agent uses
the console's JSON API and its event stream.  REST clients cannot be called,
so what an agent or the console says reaches them with their next request.
"""

from __future__ import annotations

import time
import uuid

import requests

from bot.handoff import texts as handoff_texts
from bot.runtime.embedded_redis import free_port
from tests.integration.conftest import CONSOLE_ACCOUNTS, console_env
from tests.integration.processes import console_server
from tests.support.console_client import ConsoleClient, EventStream


def say(rasa, sender: str, text: str) -> list:
    response = requests.post(f"{rasa.url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                             timeout=60)
    assert response.status_code == 200, response.text
    return [reply["text"] for reply in response.json() if "text" in reply]


def agent(console: str, name: str = "alice") -> ConsoleClient:
    client = ConsoleClient(console)
    assert client.login(name, CONSOLE_ACCOUNTS[name][0]).status_code == 200
    return client


def wait_for(predicate, timeout: float = 10.0, about=None):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout} s" + (f": {vars(about)}" if about else ""))
        time.sleep(0.05)


def test_handoff_queue_takeover_agent_reply_and_handback(rasa, console):
    customer = f"handoff-{uuid.uuid4().hex[:8]}"
    alice = agent(console)
    stream = EventStream(alice)
    try:
        say(rasa, customer, "你好")
        asked = " ".join(say(rasa, customer, "帮我转人工客服"))
        assert "转接人工客服" in asked and "您是下一位" in asked or "前面还有" in asked
        handoff_event = wait_for(lambda: stream.of("handoff", customer), timeout=5, about=stream)[0]
        assert handoff_event["status"] == "waiting" and handoff_event["channel"] == "rest"
        waiting = alice.get("/api/conversations", status="waiting", limit=200).json()["conversations"]
        assert customer in [item["id"] for item in waiting]

        still = say(rasa, customer, "有人吗")
        assert len(still) == 1 and "正在排队" in still[0]

        taken = alice.post(f"/api/conversations/{customer}/takeover")
        assert taken.status_code == 200 and taken.json()["status"] == "agent"
        first_words = say(rasa, customer, "我上周买的耳机左耳没声音")
        assert first_words == [handoff_texts.agent_joined("alice")]  # the notice; the bot stays silent
        message_event = wait_for(lambda: stream.of("message", customer), timeout=5)[0]
        assert message_event["last_text"] == "我上周买的耳机左耳没声音"

        sent = alice.post(f"/api/conversations/{customer}/messages", {"text": "您好，我是alice，麻烦发一下订单号"})
        assert sent.status_code == 200
        assert sent.json()["delivered"] is False and "下一次请求" in sent.json()["detail"]
        assert say(rasa, customer, "好的稍等") == ["您好，我是alice，麻烦发一下订单号"]

        transcript = alice.get(f"/api/conversations/{customer}").json()
        roles = [message["role"] for message in transcript["messages"]]
        assert roles.count("agent") == 1 and "bot" in roles
        customer_turns = [m for m in transcript["messages"] if m["role"] == "customer"]
        assert customer_turns[1]["intent"]["name"] == "request_human"
        assert customer_turns[-1]["text"] == "好的稍等" and customer_turns[-1]["actions"] == []
        assert all(0 <= (m["intent"]["confidence"] or 0) <= 1 and len(m["intents"]) <= 3 for m in customer_turns)

        back = alice.post(f"/api/conversations/{customer}/handback")
        assert back.status_code == 200 and back.json()["status"] == "bot"
        answer = say(rasa, customer, "推荐一款降噪蓝牙耳机")
        assert answer[0] == handoff_texts.HANDED_BACK
        assert len(answer) >= 2  # and the bot answers the message itself
        assert wait_for(lambda: stream.of("status", customer))
    finally:
        stream.close()


def test_a_waiting_customer_who_changes_their_mind_is_served_by_the_bot(rasa, console):
    customer = f"mind-{uuid.uuid4().hex[:8]}"
    say(rasa, customer, "我要找人工")
    alice = agent(console)
    assert alice.get(f"/api/conversations/{customer}").json()["status"] == "waiting"
    answer = say(rasa, customer, "算了我自己看看，推荐个蓝牙耳机")
    assert answer[0] == handoff_texts.CANCELLED
    assert len(answer) >= 2 and "正在排队" not in " ".join(answer)
    assert alice.get(f"/api/conversations/{customer}").json()["status"] == "bot"
    assert customer not in [c["id"] for c in alice.get("/api/conversations", status="waiting", limit=200
                                                      ).json()["conversations"]]


def test_an_idle_agent_conversation_returns_to_the_bot_and_the_customer_is_told(rasa, redis_server, log_dir,
                                                                                 tmp_path):
    port = free_port()
    server = console_server(port, console_env(redis_server, port, tmp_path, idle_seconds=2), log_dir).start()
    try:
        url = f"http://127.0.0.1:{port}"
        customer = f"idle-{uuid.uuid4().hex[:8]}"
        say(rasa, customer, "转人工")
        bob = agent(url, "bob")
        assert bob.post(f"/api/conversations/{customer}/takeover").status_code == 200
        wait_for(lambda: bob.get(f"/api/conversations/{customer}").json()["status"] == "bot", timeout=15)
        replies = say(rasa, customer, "人呢")
        assert replies[:2] == [handoff_texts.agent_joined("bob"), handoff_texts.IDLE_RETURNED]
        assert len(replies) >= 3  # the bot answers again
    finally:
        server.stop()


def test_customer_text_with_markup_is_kept_as_text(rasa, console):
    customer = f"markup-{uuid.uuid4().hex[:8]}"
    hostile = '<script>alert(1)</script><img src=x onerror="alert(2)">转人工'
    say(rasa, customer, hostile)
    conversation = agent(console).get(f"/api/conversations/{customer}").json()
    assert conversation["messages"][0]["text"] == hostile
