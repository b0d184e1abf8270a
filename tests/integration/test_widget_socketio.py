"""Rasa's socketio protocol against the real rasa server, with a python-socketio client.

What a widget built for Rasa does: session_request → session_confirm, then
user_uttered → bot_uttered.  Bad input gets a polite reply and never stops the
server; a retried message is processed once.  The widget's files are served
under /shop/.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from typing import Any, List, Optional

import pytest
import requests
import socketio

CJK = re.compile(r"[\u4e00-\u9fff]")
REPLY_TIMEOUT = 60


class Chat:
    """One socket.io connection speaking Rasa's protocol."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.sio = socketio.AsyncClient(reconnection=False)
        self.replies: "asyncio.Queue[Any]" = asyncio.Queue()
        self.confirms: "asyncio.Queue[Any]" = asyncio.Queue()
        self.session_id: Optional[str] = None
        self.sio.on("bot_uttered", self.replies.put_nowait)
        self.sio.on("session_confirm", self.confirms.put_nowait)

    # Long-polling: the installed python-engineio's *client* websocket needs aiohttp >= 3.10
    # (aiohttp.ClientWSTimeout) and the project pins 3.9.5.  Browsers use the websocket
    # (tests/integration/test_widget_browser.py); the server side is the same either way.
    async def connect(self, transports=("polling",)) -> "Chat":
        await self.sio.connect(self.url, socketio_path="/socket.io", transports=list(transports),
                               wait_timeout=30)
        return self

    async def start_session(self, session_id: Optional[str] = None) -> str:
        await self.sio.emit("session_request", {"session_id": session_id})
        self.session_id = await asyncio.wait_for(self.confirms.get(), REPLY_TIMEOUT)
        return self.session_id

    async def say(self, data: Any) -> Any:
        """Emits user_uttered and waits for the server's acknowledgement (sent once processing ended)."""
        return await self.sio.call("user_uttered", data, timeout=REPLY_TIMEOUT)

    async def message(self, text: Any, **extra: Any) -> Any:
        return await self.say({"message": text, "session_id": self.session_id, **extra})

    def drain(self) -> List[Any]:
        items = []
        while not self.replies.empty():
            items.append(self.replies.get_nowait())
        return items

    async def close(self) -> None:
        await self.sio.disconnect()


def texts(replies: List[Any]) -> List[str]:
    return [reply["text"] for reply in replies if isinstance(reply, dict) and reply.get("text")]


@pytest.fixture
async def chat(rasa):
    client = await Chat(rasa.url).connect()
    yield client
    await client.close()


def user_turns(rasa, sender: str) -> List[str]:
    response = requests.get(f"{rasa.url}/conversations/{sender}/tracker", params={"token": rasa.token}, timeout=30)
    assert response.status_code == 200, response.text
    return [event.get("text") for event in response.json()["events"] if event["event"] == "user"]


async def test_session_request_is_confirmed_with_a_new_id(chat):
    session_id = await chat.start_session(None)
    assert re.fullmatch(r"[0-9a-f]{32}", session_id)


async def test_session_request_keeps_the_client_s_id(chat):
    wanted = uuid.uuid4().hex
    assert await chat.start_session(wanted) == wanted


async def test_a_session_request_without_data_or_with_junk_still_gets_an_id(chat):
    for junk in (None, "abc", 5, [1, 2], {"session_id": {"x": 1}}):
        await chat.sio.emit("session_request", junk)
        confirmed = await asyncio.wait_for(chat.confirms.get(), REPLY_TIMEOUT)
        assert isinstance(confirmed, str) and confirmed


async def test_user_uttered_gets_a_chinese_bot_uttered_reply(chat):
    await chat.start_session(uuid.uuid4().hex)
    assert await chat.message("你好") == "ok"
    replies = texts(chat.drain())
    assert replies and all(CJK.search(text) for text in replies)


async def test_the_conversation_is_kept_under_the_session_id(rasa, chat):
    session_id = await chat.start_session(f"widget-{uuid.uuid4().hex}")
    await chat.message("你好")
    assert user_turns(rasa, session_id) == ["你好"]


@pytest.mark.parametrize("data", [
    {"message": None},
    {"message": 12345},
    {"message": {"text": "你好"}},
    {"message": ["你好"]},
    {},
    "just a string",
    None,
], ids=["null", "number", "object", "list", "missing", "not-an-object", "no-data"])
async def test_bad_messages_get_a_polite_reply_and_the_next_message_is_answered(chat, data):
    await chat.start_session(uuid.uuid4().hex)
    if isinstance(data, dict):
        data = {**data, "session_id": chat.session_id}
    assert await chat.say(data) == "refused"
    refusal = texts(chat.drain())
    assert len(refusal) == 1 and "抱歉" in refusal[0]
    assert await chat.message("你好") == "ok"
    assert texts(chat.drain())


async def test_a_message_without_a_session_id_is_refused_politely(chat):
    await chat.start_session(uuid.uuid4().hex)
    assert await chat.say({"message": "你好"}) == "refused"
    assert "会话" in texts(chat.drain())[0]


async def test_a_too_long_message_is_refused_and_nothing_is_stored(rasa, chat):
    session_id = await chat.start_session(f"widget-{uuid.uuid4().hex}")
    assert await chat.message("买" * 2_001) == "refused"
    assert "太长" in texts(chat.drain())[0]
    assert await chat.message("你好") == "ok"
    assert user_turns(rasa, session_id) == ["你好"]


async def test_a_message_bigger_than_the_transport_allows_drops_only_that_connection(rasa):
    big = Chat(rasa.url)
    await big.connect()
    await big.start_session(uuid.uuid4().hex)
    await big.sio.emit("user_uttered", {"message": "大" * 400_000, "session_id": big.session_id})
    for _ in range(100):
        if not big.sio.connected:
            break
        await asyncio.sleep(0.1)
    assert not big.sio.connected, "the server kept a connection that sent a 2.4 MB frame"
    other = await Chat(rasa.url).connect()
    try:
        await other.start_session(uuid.uuid4().hex)
        assert await other.message("你好") == "ok"
        assert texts(other.drain())
    finally:
        await other.close()


async def test_a_retried_message_is_processed_once(rasa, chat):
    session_id = await chat.start_session(f"widget-{uuid.uuid4().hex}")
    packet = {"message": "你好", "session_id": session_id, "message_id": uuid.uuid4().hex}
    first, second = await asyncio.gather(chat.say(packet), chat.say(packet))
    assert sorted([first, second]) == ["duplicate", "ok"]
    assert await chat.say(packet) == "duplicate"
    assert user_turns(rasa, session_id) == ["你好"]


async def test_a_message_overtaking_its_session_request_still_gets_the_reply(chat):
    # After a reconnect, socket.io may resend a queued message before session_request arrives.
    assert await chat.say({"message": "你好", "session_id": uuid.uuid4().hex}) == "ok"
    assert texts(chat.drain())


async def test_every_tab_of_a_session_gets_the_replies(rasa, chat):
    session_id = await chat.start_session(uuid.uuid4().hex)
    other_tab = await Chat(rasa.url).connect()
    try:
        await other_tab.start_session(session_id)
        await chat.message("你好")
        reply = await asyncio.wait_for(other_tab.replies.get(), REPLY_TIMEOUT)
        assert reply.get("text")
    finally:
        await other_tab.close()


@pytest.mark.skipif(not hasattr(__import__("aiohttp"), "ClientWSTimeout"),
                    reason="python-engineio's websocket client needs aiohttp >= 3.10; the browser test covers websockets")
async def test_websocket_clients_work_too(rasa):
    polling = await Chat(rasa.url).connect(transports=("websocket",))
    try:
        await polling.start_session(uuid.uuid4().hex)
        assert await polling.message("你好") == "ok"
        assert texts(polling.drain())
    finally:
        await polling.close()


async def test_rasa_webchat_style_client_without_acknowledgements(chat):
    # Rasa Webchat emits without an ack and sends customData; replies arrive all the same.
    await chat.start_session(uuid.uuid4().hex)
    await chat.sio.emit("user_uttered", {"message": "你好", "customData": {"language": "zh"},
                                         "session_id": chat.session_id})
    reply = await asyncio.wait_for(chat.replies.get(), REPLY_TIMEOUT)
    assert CJK.search(reply["text"])


# ----------------------------------------------------------------- HTTP: widget files, REST still there

@pytest.mark.parametrize("path, content_type, needle", [
    ("/shop/", "text/html", 'id="shopbot-widget"'),
    ("/shop/widget.js", "javascript", "session_request"),
    ("/shop/widget.css", "text/css", ".sbw-root"),
    ("/shop/socket.io.min.js", "javascript", "Socket.IO v4"),
    ("/shop/images/running-shoes.svg", "image/svg+xml", "跑步鞋"),
])
def test_the_widget_files_are_served_by_the_rasa_server(rasa, path, content_type, needle):
    response = requests.get(rasa.url + path, timeout=30)
    assert response.status_code == 200
    assert content_type in response.headers["Content-Type"]
    assert needle in response.text
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_shop_without_slash_is_the_page_too(rasa):
    response = requests.get(rasa.url + "/shop", timeout=30, allow_redirects=False)
    assert response.status_code == 200 and 'id="shopbot-widget"' in response.text


@pytest.mark.parametrize("path", ["/shop/../credentials.yml", "/shop/%2e%2e/credentials.yml", "/shop/nope.js",
                                  "/shop/images/../../socketio_widget.py", "/shop/..%2fsocketio_widget.py"])
def test_nothing_outside_the_widget_folder_is_served(rasa, path):
    response = requests.get(rasa.url + path, timeout=30)
    assert response.status_code == 404
    assert "user_message_evt" not in response.text and "import" not in response.text


def test_the_socketio_channel_keeps_rasa_s_routes_and_rest_still_works(rasa):
    assert requests.get(f"{rasa.url}/webhooks/socketio/", timeout=30).json() == {"status": "ok"}
    response = requests.post(f"{rasa.url}/webhooks/rest/webhook",
                             json={"sender": f"rest-{uuid.uuid4().hex[:8]}", "message": "你好"}, timeout=60)
    assert response.status_code == 200 and response.json()
