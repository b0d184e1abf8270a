"""The socketio widget channel's plain parts: message checks, dedup, custom payloads, static files."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from bot.channels.socketio_widget import (
    NO_SESSION_REPLY, NOT_TEXT_REPLY, STATIC_DIR, TOO_LONG_REPLY, SocketIOWidgetInput,
    WidgetMessage, WidgetMessageError, usable_id, custom_emit_arguments, maybe_await, parse_metadata,
    parse_user_message, session_id_from_request, static_file, static_headers,
)
from bot.catalog.model import load_demo_catalog

ROOT = Path(__file__).resolve().parents[2]


def test_a_normal_message():
    message = parse_user_message({"message": "你好", "session_id": "abc", "message_id": "m1"})
    assert message == WidgetMessage("你好", "abc", "m1", {})


def test_an_empty_message_is_still_a_message():
    assert parse_user_message({"message": "", "session_id": "abc"}).text == ""


@pytest.mark.parametrize("data, reply", [
    (None, NOT_TEXT_REPLY),
    ("你好", NOT_TEXT_REPLY),
    (["你好"], NOT_TEXT_REPLY),
    (42, NOT_TEXT_REPLY),
    ({"session_id": "abc"}, NOT_TEXT_REPLY),
    ({"message": None, "session_id": "abc"}, NOT_TEXT_REPLY),
    ({"message": 12345, "session_id": "abc"}, NOT_TEXT_REPLY),
    ({"message": {"text": "hi"}, "session_id": "abc"}, NOT_TEXT_REPLY),
    ({"message": ["hi"], "session_id": "abc"}, NOT_TEXT_REPLY),
    ({"message": True, "session_id": "abc"}, NOT_TEXT_REPLY),
    ({"message": "x" * 2_001, "session_id": "abc"}, TOO_LONG_REPLY),
    ({"message": "hi"}, NO_SESSION_REPLY),
    ({"message": "hi", "session_id": None}, NO_SESSION_REPLY),
    ({"message": "hi", "session_id": ""}, NO_SESSION_REPLY),
    ({"message": "hi", "session_id": {"id": 1}}, NO_SESSION_REPLY),
    ({"message": "hi", "session_id": "s" * 300}, NO_SESSION_REPLY),
    ({"message": "hi", "session_id": "a\nb"}, NO_SESSION_REPLY),
])
def test_bad_payloads_are_refused_with_a_polite_chinese_reply(data, reply):
    with pytest.raises(WidgetMessageError) as caught:
        parse_user_message(data)
    assert caught.value.reply == reply
    assert re.search(r"[\u4e00-\u9fff]", caught.value.reply)


def test_without_session_persistence_no_session_id_is_needed():
    assert parse_user_message({"message": "hi"}, session_persistence=False).session_id is None


def test_a_numeric_session_id_becomes_text():
    assert parse_user_message({"message": "hi", "session_id": 123}).session_id == "123"


@pytest.mark.parametrize("message_id, expected", [
    ("m-1", "m-1"), (None, None), (5, "5"), ("", None), ("x" * 200, None), (["m"], None), (True, None),
    ("1E-400\ud800", None), ("a\nb", None),
])
def test_message_ids_are_kept_only_when_usable(message_id, expected):
    data = {"message": "hi", "session_id": "s", "message_id": message_id}
    assert parse_user_message(data).message_id == expected


@pytest.mark.parametrize("value, expected", [
    (None, {}),
    ({"shop": "a"}, {"shop": "a"}),
    ('{"shop": "a"}', {"shop": "a"}),
    ("not json", {}),
    ("[1, 2]", {}),
    ([1, 2], {}),
    (7, {}),
])
def test_metadata_is_an_object_or_nothing(value, expected):
    assert parse_metadata(value) == expected


def test_metadata_key_is_configurable():
    message = parse_user_message({"message": "hi", "session_id": "s", "customData": {"lang": "zh"}},
                                 metadata_key="customData")
    assert message.metadata == {"lang": "zh"}


@pytest.mark.parametrize("data", [None, {}, {"session_id": None}, {"session_id": ""}, "abc", 5, [1],
                                  {"session_id": ["x"]}, {"session_id": "x" * 1000}])
def test_a_session_request_without_a_usable_id_gets_a_new_one(data):
    session_id = session_id_from_request(data)
    assert re.fullmatch(r"[0-9a-f]{32}", session_id)


def test_a_session_request_keeps_a_usable_id():
    assert session_id_from_request({"session_id": "  my-session  "}) == "my-session"
    assert usable_id(True) is None


def test_rasa_custom_payloads_that_name_emit_arguments_are_sent_as_rasa_sends_them():
    assert custom_emit_arguments({"data": {"x": 1}}, "room1") == {"data": {"x": 1}, "room": "room1"}
    assert custom_emit_arguments({"data": 1, "room": "r2"}, "room1") == {"data": 1, "room": "r2"}
    assert custom_emit_arguments({"data": 1, "to": "r3"}, "room1") == {"data": 1, "to": "r3"}


def test_our_product_cards_go_under_custom_like_the_rest_channel():
    product = next(iter(load_demo_catalog()))
    cards = {"type": "product_cards", "products": [product.to_card("很合适")], "relaxed": ["budget"]}
    assert custom_emit_arguments(cards, "room1") == {"data": {"custom": cards}, "room": "room1"}


def test_maybe_await_takes_plain_values_and_coroutines():
    async def coroutine():
        return 2

    async def both():
        return await maybe_await(1), await maybe_await(coroutine())

    assert asyncio.run(both()) == (1, 2)


def test_the_channel_keeps_rasa_s_name_and_settings():
    channel = SocketIOWidgetInput.from_credentials(
        {"user_message_evt": "user_uttered", "bot_message_evt": "bot_uttered", "session_persistence": True})
    assert channel.name() == "socketio" and channel.url_prefix() == "socketio"
    assert channel.session_persistence and channel.user_message_evt == "user_uttered"


# ----------------------------------------------------------------- static files

@pytest.mark.parametrize("name", ["index.html", "widget.js", "widget.css", "socket.io.min.js", "shop.css",
                                  "images/phones.svg"])
def test_the_widget_files_are_served(name):
    assert static_file(name) == STATIC_DIR / name


@pytest.mark.parametrize("name", ["", "../socketio_widget.py", "images/../../rest.py", "/etc/passwd",
                                  "images//phones.svg", ".hidden.js", "images\\phones.svg", "nope.js",
                                  "images/phones.svg\x00.js", "..", "images/..", "socket.io-client.LICENSE"])
def test_nothing_else_is_served(name):
    assert static_file(name) is None


def test_the_page_gets_a_content_security_policy_and_images_are_cached():
    assert "script-src 'self'" in static_headers(STATIC_DIR / "index.html")["Content-Security-Policy"]
    assert "max-age" in static_headers(STATIC_DIR / "images" / "phones.svg")["Cache-Control"]
    assert static_headers(STATIC_DIR / "widget.js")["Cache-Control"] == "no-cache"


def test_every_demo_catalog_image_exists():
    catalog_file = ROOT / "bot" / "catalog" / "data" / "demo_catalog.jsonl"
    images = set(re.findall(r'"image": "/shop/([^"]+)"', catalog_file.read_text("utf-8")))
    assert len(images) == 20
    for image in images:
        path = static_file(image)
        assert path is not None, image
        svg = path.read_text("utf-8")
        assert svg.startswith("<svg") and "<script" not in svg and "href=\"http" not in svg


def test_the_socket_io_client_is_vendored_with_its_license():
    head = (STATIC_DIR / "socket.io.min.js").read_text("utf-8")[:200]
    assert "Socket.IO v4." in head and "MIT License" in head
    assert "MIT" in (STATIC_DIR / "socket.io-client.LICENSE.txt").read_text("utf-8")


def test_the_page_and_widget_use_no_cdn():
    cdn = re.compile(r"jsdelivr|unpkg|cdnjs|googleapis|gstatic|bootcdn|staticfile|cloudflare|//cdn\.", re.I)
    for name in ("index.html", "widget.js", "widget.css", "shop.css"):
        text = (STATIC_DIR / name).read_text("utf-8")
        assert not cdn.search(text), name
        assert "@import" not in text and "url(http" not in text, name
    assert not re.search(r"(src|href)=\"(https?:)?//", (STATIC_DIR / "index.html").read_text("utf-8"))


def test_the_widget_never_puts_message_data_into_html():
    source = (STATIC_DIR / "widget.js").read_text("utf-8")
    assert "innerHTML" not in source and "insertAdjacentHTML" not in source and "document.write" not in source
    assert "outerHTML" not in source and "eval(" not in source


class FakeServer:
    def __init__(self):
        self.emitted = []

    async def emit(self, event, data=None, **kwargs):
        self.emitted.append((event, data, kwargs))


def test_the_output_channel_sends_product_cards_and_rasa_style_custom_payloads():
    from bot.channels.socketio_widget import SocketIOWidgetOutput

    sio = FakeServer()
    output = SocketIOWidgetOutput(sio, "bot_uttered")
    cards = {"type": "product_cards", "products": [next(iter(load_demo_catalog())).to_card("好")]}

    async def send():
        await output.send_response("s1", {"text": "为您推荐：", "custom": cards})
        await output.send_custom_json("s1", {"data": {"hello": 1}})

    asyncio.run(send())
    assert sio.emitted == [
        ("bot_uttered", {"text": "为您推荐："}, {"room": "s1"}),
        ("bot_uttered", {"custom": cards}, {"room": "s1"}),
        ("bot_uttered", {"hello": 1}, {"room": "s1"}),
    ]


def test_metadata_too_large_is_dropped_not_carried():
    assert parse_metadata({"blob": "x" * 5000}) == {}
    assert parse_metadata('{"blob": "' + "x" * 5000 + '"}') == {}
    assert parse_metadata("[" * 5000) == {}
    assert parse_metadata({"customData": {"token": "t"}}) == {"customData": {"token": "t"}}


def test_a_lone_surrogate_in_a_widget_message_is_mended_and_its_metadata_dropped():
    message = parse_user_message({"message": "耳机\ud83d", "session_id": "s", "metadata": {"a": "\ud800"}})
    assert message.text == "耳机\ufffd" and "a" not in message.metadata
