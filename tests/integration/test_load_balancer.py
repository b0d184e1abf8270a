"""HAProxy (deploy/haproxy/haproxy.cfg, unchanged) in front of two rasa servers and two action servers.

The configuration is run as shipped; only its addresses come from the
environment: the session's rasa server and a second one, the session's action
server and a second one, free loopback ports for HAProxy's own listeners.
The second rasa server calls its actions through HAProxy.

* REST turns alternate between the servers (round robin), and a
  conversation's conditions survive the switch (state is in Redis).
* Widget sessions over socket.io long-polling, without cookies (a widget on
  another origin sends none), keep every request on the server that opened
  the session: HAProxy learns engine.io's sid from the open packet.
* When one rasa server is stopped (SIGTERM) or crashes (SIGKILL) mid-run,
  only requests it was processing may fail; new turns are answered by the
  other one, and a conversation whose turn was lost goes on once the crashed
  server's lock on it has expired.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, List, Optional, Tuple

import aiohttp
import pytest
import requests
import socketio

from bot.runtime.embedded_redis import free_port
from bot.store.ticket_locks import DEFAULT_LEASE_SECONDS
from tests.integration.conftest import RasaHandle
from tests.integration.processes import action_server
from tests.integration.test_conversation import cards, say, texts
from tests.integration.test_widget_socketio import Chat
from tests.support.haproxy import LoadBalancer, current_user_env, haproxy_binary, stick_table

RASA_SERVERS = [("rasa", "rasa1"), ("rasa", "rasa2")]
ACTION_SERVERS = [("actions", "actions1"), ("actions", "actions2")]


@pytest.fixture(scope="session", autouse=True)
def haproxy_path() -> str:
    """Before any server starts: without HAProxy (no root or apt to install it) the module is skipped."""
    binary, reason = haproxy_binary()
    if binary is None:
        pytest.skip(f"haproxy unavailable: {reason}")
    return binary


@dataclass
class Front:
    """What a client sees: the load balancer's URL (``say`` and ``Chat`` only need ``url``)."""

    url: str


@pytest.fixture(scope="module")
def second_actions(server_env, log_dir):
    port = free_port()
    server = action_server(port, server_env, log_dir).start()
    yield f"127.0.0.1:{port}"
    server.stop()


@pytest.fixture(scope="module")
def lb_ports() -> dict:
    return {"public": free_port(), "actions": free_port()}


@pytest.fixture(scope="module")
def second_rasa(trained_model, server_env, lb_ports, log_dir, rasa):
    """A second rasa server whose actions go through HAProxy (stopped and crashed by the last tests of this module)."""
    actions_via_lb = f"http://127.0.0.1:{lb_ports['actions']}/webhook"
    env = {**server_env, "ACTION_SERVER_URL": actions_via_lb}
    handle = RasaHandle(trained_model, env, log_dir)
    handle.env = env  # what a restart starts it with
    yield handle
    handle.stop()


@pytest.fixture(scope="module")
def lb(haproxy_path, rasa, second_rasa, actions, second_actions, lb_ports, log_dir, tmp_path_factory):
    directory = tmp_path_factory.mktemp("haproxy")
    env = {
        "RASA_1": f"127.0.0.1:{rasa.port}",
        "RASA_2": f"127.0.0.1:{second_rasa.port}",
        "ACTIONS_1": re.match(r"http://([^/]+)/", actions).group(1),
        "ACTIONS_2": second_actions,
        "SHOPBOT_LB_BIND": f"127.0.0.1:{lb_ports['public']}",
        "SHOPBOT_LB_ACTIONS_BIND": f"127.0.0.1:{lb_ports['actions']}",
        "SHOPBOT_LB_STATS_SOCKET": str(directory / "admin.sock"),
        **current_user_env(),
    }
    balancer = LoadBalancer(haproxy_path, env, directory / "admin.sock", log_dir / f"haproxy-{lb_ports['public']}.log")
    balancer.start(servers=RASA_SERVERS + ACTION_SERVERS)
    balancer.url = f"http://127.0.0.1:{lb_ports['public']}"
    yield balancer
    balancer.stop()


def served_by(lb: LoadBalancer, before: dict) -> str:
    """The rasa server that took the one request sent since ``before``."""
    after = lb.requests_served("rasa")
    grown = [server for server in after if after[server] > before.get(server, 0)]
    assert len(grown) == 1, (before, after)
    return grown[0]


def earbuds_under_500(replies) -> bool:
    shown = cards(replies)
    return bool(shown) and all(card["category"] == "蓝牙耳机" and card["price"] <= 500 for card in shown)


def test_rest_conversations_keep_their_conditions_whichever_server_answers(lb):
    front = Front(lb.url)
    actions_before = lb.requests_served("actions")
    for _ in range(3):
        sender = f"lb-{uuid.uuid4().hex[:8]}"
        before = lb.requests_served("rasa")
        assert texts(say(front, sender, "想买蓝牙耳机"))
        first = served_by(lb, before)
        before = lb.requests_served("rasa")
        replies = say(front, sender, "500以内")
        second = served_by(lb, before)
        assert first != second  # round robin: the condition was set on one server, used on the other
        assert earbuds_under_500(replies), texts(replies)
    # the second rasa server's actions went through HAProxy, to both action servers
    actions_after = lb.requests_served("actions")
    assert all(actions_after[server] > actions_before.get(server, 0) for server in ("actions1", "actions2")), \
        (actions_before, actions_after)
    # Rasa sends the action server's token as ?token=: HAProxy's log line leaves the query string out.
    assert "/webhook" in lb.log_tail(200) and "token=" not in Path(lb.log_path).read_text(encoding="utf-8")


def test_channels_and_the_widget_files_are_reachable_through_haproxy(lb):
    assert requests.get(f"{lb.url}/", timeout=10).text.startswith("Hello from Rasa")
    widget = requests.get(f"{lb.url}/shop/widget.js", timeout=10)
    assert widget.status_code == 200 and widget.text
    for channel in ("rest", "wechat", "telegram", "socketio"):
        assert requests.get(f"{lb.url}/webhooks/{channel}/", timeout=10).status_code == 200, channel


class CookielessChat(Chat):
    """The widget's protocol over long-polling, with no cookie jar (like a widget embedded in another origin)."""

    async def connect(self, transports=("polling",)) -> "CookielessChat":
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar())
        self.sio = socketio.AsyncClient(reconnection=False, http_session=self.http)
        self.sio.on("bot_uttered", self.replies.put_nowait)
        self.sio.on("session_confirm", self.confirms.put_nowait)
        return await super().connect(transports)

    @property
    def engineio_sid(self) -> str:
        return self.sio.eio.sid

    async def close(self) -> None:
        try:
            await super().close()
        finally:
            await self.http.close()


def widget_cards(replies: list) -> list:
    return [product for reply in replies if isinstance(reply, dict) and isinstance(reply.get("custom"), dict)
            for product in reply["custom"].get("products", [])]


async def widget_conversation(chat: CookielessChat) -> list:
    await chat.start_session(f"lb-widget-{uuid.uuid4().hex[:8]}")
    assert await chat.message("想买蓝牙耳机") == "ok"
    assert chat.drain()
    assert await chat.message("500以内") == "ok"
    return chat.drain()


async def test_widget_sessions_over_long_polling_stay_on_their_server(lb):
    chats = []
    try:
        for _ in range(4):  # opened one after the other: round robin puts them on both servers
            chats.append(await CookielessChat(lb.url).connect())
        answers = await asyncio.gather(*(widget_conversation(chat) for chat in chats))
        for replies in answers:
            shown = widget_cards(replies)
            assert shown and all(card["category"] == "蓝牙耳机" and card["price"] <= 500 for card in shown), replies
        assert all(chat.sio.connected for chat in chats)  # no request of a session reached the other server
        table = stick_table(lb.socket_path, "socketio_sessions")
        servers = {table[chat.engineio_sid]["gpt0"] for chat in chats}
        assert servers == {"1", "2"}, table
    finally:
        for chat in chats:
            await chat.close()


@dataclass
class Turn:
    sender: str
    started: float
    ended: float
    ok: bool
    detail: str = ""


def customer(front: Front, stop: threading.Event, turns: List[Turn]) -> None:
    """Conversations of two turns, one after another; after a failed turn the customer starts a new one."""
    while not stop.is_set():
        sender = f"lb-failover-{uuid.uuid4().hex[:8]}"
        for text in ("想买蓝牙耳机", "500以内"):
            started = time.monotonic()
            try:
                response = requests.post(f"{front.url}/webhooks/rest/webhook",
                                         json={"sender": sender, "message": text}, timeout=60)
                ok = response.status_code == 200 and bool(response.json())
                if ok and text == "500以内":
                    ok = earbuds_under_500(response.json())
                turns.append(Turn(sender, started, time.monotonic(), ok, f"{response.status_code} {response.text[:200]}"))
            except requests.RequestException as error:
                ok = False
                turns.append(Turn(sender, started, time.monotonic(), False, repr(error)))
            time.sleep(0.05)
            if not ok:
                break


CUSTOMERS = 3


def while_customers_talk(lb: LoadBalancer, stop_server: Callable[[], None]) -> Tuple[List[Turn], float]:
    """Three customers talk through HAProxy; after 4 s rasa2 is stopped, 15 s later they stop.

    Returns every turn and when rasa2 was gone; checks HAProxy took rasa2 out within 10 s.
    """
    front = Front(lb.url)
    stop = threading.Event()
    turns: List[Turn] = []
    threads = [threading.Thread(target=customer, args=(front, stop, turns)) for _ in range(CUSTOMERS)]
    for thread in threads:
        thread.start()
    down_at: Optional[float] = None
    try:
        time.sleep(4)
        assert sum(turn.ok for turn in turns) > 0
        stop_server()
        gone = time.monotonic()
        while time.monotonic() - gone < 15:
            if down_at is None and lb.stats()[("rasa", "rasa2")]["status"].startswith("DOWN"):
                down_at = time.monotonic()
            time.sleep(0.25)
    finally:
        stop.set()
        for thread in threads:
            thread.join(90)
    assert down_at is not None and down_at - gone < 10, "HAProxy's health check never took rasa2 out"
    return turns, gone


def assert_only_requests_in_flight_failed(lb: LoadBalancer, turns: List[Turn], gone: float) -> List[Turn]:
    failed = [turn for turn in turns if not turn.ok]
    # at most one request per customer, each begun before rasa2 was gone
    assert len(failed) <= CUSTOMERS, [turn.detail for turn in failed]
    assert all(turn.started < gone for turn in failed), [(turn.started - gone, turn.detail) for turn in failed]
    after = [turn for turn in turns if turn.started > gone]
    assert len(after) >= 20 and all(turn.ok for turn in after)
    # HAProxy's log names the server of every failed request: the stopped one.
    answered = [re.search(r"\] \S+ (\S+) \S+ (\d{3}) ", line)
                for line in Path(lb.log_path).read_text(encoding="utf-8", errors="replace").splitlines()
                if "/webhooks/rest/webhook" in line]
    failures = [match.groups() for match in answered if match and match.group(2).startswith("5")]
    assert all(server == "rasa/rasa2" for server, _status in failures), failures
    return failed


def wait_until_up(lb: LoadBalancer, server: Tuple[str, str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not lb.stats()[server]["status"].startswith("UP"):
        assert time.monotonic() < deadline, f"{server} not back in HAProxy"
        time.sleep(0.5)


def test_stopping_a_rasa_server_mid_run_costs_only_its_requests_in_flight(lb, second_rasa):
    # SIGTERM, as a rolling update or a supervisor stopping it does: it finishes what it has begun.
    turns, gone = while_customers_talk(lb, second_rasa.stop)
    assert_only_requests_in_flight_failed(lb, turns, gone)


def test_a_crashed_rasa_server_costs_only_its_requests_in_flight_and_their_chats_go_on(lb, second_rasa):
    second_rasa.restart()  # the test before stopped it
    wait_until_up(lb, ("rasa", "rasa2"))

    def crash() -> None:
        os.killpg(second_rasa.server.process.popen.pid, signal.SIGKILL)
        second_rasa.server.process.popen.wait()

    turns, gone = while_customers_talk(lb, crash)
    failed = assert_only_requests_in_flight_failed(lb, turns, gone)
    for turn in failed:  # the customer writes again: answered once the crashed server's lease has run out
        started = time.monotonic()
        replies = say(Front(lb.url), turn.sender, "500以内")
        # Rasa's lock lifetime (60 s) is not waited for: the dead server stopped renewing a 10 s lease
        assert replies and time.monotonic() - started < DEFAULT_LEASE_SECONDS + 10

