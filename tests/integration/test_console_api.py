"""The console's JSON API against a real console process and Redis: sessions, CSRF, lockout, refusals.

Conversations here are put in the index the way the rasa server and the action
server do (``ConversationIndex``); conversations made by a real rasa server are
in test_handoff_flow.py.
"""

from __future__ import annotations

import asyncio
import uuid

import pytest
import redis.asyncio

from bot.store.conversations import ConversationIndex
from tests.integration.conftest import CONSOLE_ACCOUNTS, KEY_PREFIX
from tests.support.console_client import ConsoleClient


def logged_in(console: str, name: str) -> ConsoleClient:
    client = ConsoleClient(console)
    response = client.login(name, CONSOLE_ACCOUNTS[name][0])
    assert response.status_code == 200, response.text
    return client


def make_conversation(redis_server, text: str = "转人工", channel: str = "rest", waiting: bool = True) -> str:
    conversation_id = f"api-{uuid.uuid4().hex[:10]}"

    async def create() -> None:
        client = redis.asyncio.Redis.from_url(redis_server.url, decode_responses=True)
        index = ConversationIndex(client, KEY_PREFIX)
        await index.record(conversation_id, "customer", text, channel)
        if waiting:
            await index.request_agent(conversation_id, "asked", channel)
        await client.close()

    asyncio.run(create())
    return conversation_id


def test_login_sets_a_strict_http_only_cookie_and_logout_ends_the_session(console):
    client = ConsoleClient(console)
    assert client.get("/api/conversations").status_code == 401
    response = client.login("alice", CONSOLE_ACCOUNTS["alice"][0])
    assert response.status_code == 200
    assert response.json()["agent"] == {"name": "alice", "role": "agent"}
    assert len(response.json()["csrf_token"]) >= 32
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert client.get("/api/conversations").status_code == 200
    stolen = client.http.cookies.copy()
    assert client.post("/api/logout").status_code == 200
    assert client.get("/api/conversations").status_code == 401
    replay = ConsoleClient(console)
    replay.http.cookies.update(stolen)
    assert replay.get("/api/conversations").status_code == 401  # the session is gone server-side


def test_a_wrong_name_and_a_wrong_password_get_the_same_answer(console):
    wrong_password = ConsoleClient(console).login("bob", "not-his-password")
    unknown_name = ConsoleClient(console).login("nobody-here", "whatever-password")
    assert wrong_password.status_code == unknown_name.status_code == 401
    assert wrong_password.json() == unknown_name.json()


def test_five_failed_logins_lock_the_name_even_for_the_right_password(console, redis_client):
    name = f"locked{uuid.uuid4().hex[:6]}"
    supervisor = logged_in(console, "sue")
    assert supervisor.post("/api/agents", {"name": name, "password": "right-password-1", "role": "agent"}).status_code == 200
    for _ in range(5):
        assert ConsoleClient(console).login(name, "wrong-password").status_code == 401
    assert ConsoleClient(console).login(name, "right-password-1").status_code == 429
    assert ConsoleClient(console).login("alice", CONSOLE_ACCOUNTS["alice"][0]).status_code == 200  # others unaffected


def test_changes_without_the_csrf_token_are_refused(console, redis_server):
    conversation_id = make_conversation(redis_server)
    client = logged_in(console, "alice")
    assert client.post(f"/api/conversations/{conversation_id}/takeover", csrf=False).status_code == 403
    client.csrf = "forged-token"
    assert client.post(f"/api/conversations/{conversation_id}/takeover").status_code == 403
    assert client.get(f"/api/conversations/{conversation_id}").json()["status"] == "waiting"


def test_a_second_agent_cannot_take_over_or_write_and_nothing_changes(console, redis_server):
    conversation_id = make_conversation(redis_server)
    alice, bob = logged_in(console, "alice"), logged_in(console, "bob")
    taken = alice.post(f"/api/conversations/{conversation_id}/takeover")
    assert taken.status_code == 200
    assert (taken.json()["status"], taken.json()["assigned_to"]) == ("agent", "alice")
    assert bob.post(f"/api/conversations/{conversation_id}/takeover").status_code == 409
    assert bob.post(f"/api/conversations/{conversation_id}/messages", {"text": "我来"}).status_code == 403
    assert bob.post(f"/api/conversations/{conversation_id}/handback").status_code == 403
    after = alice.get(f"/api/conversations/{conversation_id}").json()
    assert after["assigned_to"] == "alice"
    assert not [m for m in after["messages"] if m["role"] == "agent"]


def test_bad_agent_messages_get_a_clear_4xx_and_nothing_is_sent(console, redis_server):
    conversation_id = make_conversation(redis_server)
    client = logged_in(console, "alice")
    path = f"/api/conversations/{conversation_id}/messages"
    assert client.post(path, {"text": "先接入"}).status_code == 403  # not taken over yet
    client.post(f"/api/conversations/{conversation_id}/takeover")
    for body, status in [({"text": ""}, 400), ({"text": "   "}, 400), ({"text": "长" * 2001}, 400),
                         ({"text": 42}, 400), ({}, 400), ([1, 2], 400)]:
        response = client.post(path, body)
        assert response.status_code == status, (body, response.text)
        assert "error" in response.json()
    assert client.post(path, data=b'{"text": "unterminated').status_code == 400
    assert client.post(path, data=b"\xff\xfe not utf-8").status_code == 400
    assert client.post("/api/conversations/no-such-conversation/messages", {"text": "你好"}).status_code == 404
    assert client.get("/api/conversations/no-such-conversation").status_code == 404
    assert client.get("/api/conversations", limit="many").status_code == 400
    assert client.get("/api/conversations", status="sleeping").status_code == 400
    assert client.get("/api/conversations", cursor="garbage").status_code == 400
    assert client.post(path, {"text": "长" * 2000}).status_code == 200
    agent_messages = [m for m in client.get(f"/api/conversations/{conversation_id}").json()["messages"]
                      if m["role"] == "agent"]
    assert len(agent_messages) == 1


def test_a_closed_conversation_takes_no_messages(console, redis_server):
    conversation_id = make_conversation(redis_server)
    client = logged_in(console, "alice")
    client.post(f"/api/conversations/{conversation_id}/takeover")
    closed = client.post(f"/api/conversations/{conversation_id}/close")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert client.post(f"/api/conversations/{conversation_id}/messages", {"text": "还在吗"}).status_code == 409
    assert client.post(f"/api/conversations/{conversation_id}/takeover").status_code == 409


def test_the_inbox_filters_searches_and_pages(console, redis_server):
    marker = uuid.uuid4().hex[:8]
    ids = [make_conversation(redis_server, f"找 {marker} 号商品 {n}", channel="telegram", waiting=False)
           for n in range(5)]
    client = logged_in(console, "alice")
    found, cursor = [], None
    while True:
        params = {"q": marker, "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/conversations", **params).json()
        found += [item["id"] for item in page["conversations"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert found == list(reversed(ids))
    item = client.get("/api/conversations", q=marker, channel="telegram", limit=1).json()["conversations"][0]
    assert set(item) >= {"id", "channel", "status", "assigned_to", "last_message_at", "last_text", "flags"}
    assert client.get("/api/conversations", q=marker, channel="wechat").json()["conversations"] == []


def test_only_supervisors_manage_accounts(console):
    agent = logged_in(console, "alice")
    assert agent.get("/api/agents").status_code == 403
    assert agent.post("/api/agents", {"name": "mallory", "password": "mallory-pass", "role": "supervisor"}
                      ).status_code == 403
    supervisor = logged_in(console, "sue")
    assert {a["name"] for a in supervisor.get("/api/agents").json()["agents"]} >= {"alice", "bob", "sue"}
    assert supervisor.post("/api/agents", {"name": "x", "password": "short", "role": "agent"}).status_code == 400
    assert supervisor.post("/api/agents", {"name": "x y", "password": "long-enough-1", "role": "agent"}
                           ).status_code == 400


@pytest.mark.parametrize("path", ["/", "/static/console.js", "/static/console.css"])
def test_the_ui_is_served_locally_with_a_strict_content_policy(console, path):
    response = ConsoleClient(console).get(path)
    assert response.status_code == 200
    if path == "/":
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        assert "http" not in response.text.split("<body>")[0].replace("http-equiv", "")


def test_the_agents_cli_creates_an_account_from_a_password_on_standard_input(console, redis_server):
    import subprocess
    import sys

    from bot.runtime.settings import CHILD_ENVIRONMENT
    from tests.integration.processes import ROOT

    env = {"REDIS_URL": redis_server.url, "REDIS_KEY_PREFIX": KEY_PREFIX, **CHILD_ENVIRONMENT, "PATH": "/usr/bin:/bin"}
    name = f"cli{uuid.uuid4().hex[:6]}"

    def run(*args, password="cli-password-9"):
        return subprocess.run([sys.executable, "-m", "bot.console", "agents", *args], input=password + "\n",
                              capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)

    made = run("add", name, "--role", "supervisor")
    assert made.returncode == 0, made.stderr
    assert "cli-password-9" not in made.stdout + made.stderr
    login = ConsoleClient(console).login(name, "cli-password-9")
    assert login.status_code == 200 and login.json()["agent"]["role"] == "supervisor"
    too_short = run("add", f"{name}x", password="short")
    assert too_short.returncode == 2 and "password" in too_short.stderr
    assert f"{name}\tsupervisor" in run("list").stdout
