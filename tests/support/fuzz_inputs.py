"""Realistic and hostile inputs for every public endpoint (hypothesis strategies), and how to send them.

Shared by ``bench/fuzz_endpoints.py`` (10,000 inputs per endpoint against the
whole bot from the run command) and ``tests/integration/test_fuzz_sample.py``
(a few dozen per endpoint against the test fixtures).

An example is a plain value (:class:`HttpInput`, :class:`SocketEvent`,
:class:`EngineIOCase`, :class:`WeChatCase`, :class:`ConsoleCase`,
:class:`AdapterCall`); a :class:`Fuzzer` sends it to a running bot and returns
an :class:`Outcome`.  Anything that depends on the clock (WeChat timestamps and
signatures, the console's CSRF token) is filled in when the example is sent, so
examples can be drawn ahead of time.

What counts as a failure (``Outcome.failed``): an HTTP 5xx, no answer within
the time-out, a dropped connection, and for the order-system adapter any
exception other than ``OrderSystemUnavailable`` / ``OrderSystemRefused`` or a
result of the wrong shape.  A 4xx with a reason is the right answer to most of
these inputs.
"""

from __future__ import annotations

import asyncio
import base64
import csv
import functools
import hashlib
import hmac
import io
import itertools
import json
import re
import struct
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Awaitable, Dict, Iterable, List, Optional, Sequence, Tuple, Union
from urllib.parse import quote, urlencode

import aiohttp
from hypothesis import HealthCheck, Phase, given, seed as hypothesis_seed, settings, strategies as st
from hypothesis.strategies import SearchStrategy
from yarl import URL

from bot.channels.texts import APOLOGY, STORE_DOWN_REPLY

HeaderValue = Union[str, bytes]

# ---------------------------------------------------------------------------------------------
# Building blocks: texts, numbers, JSON values, broken bodies, header values
# ---------------------------------------------------------------------------------------------

REALISTIC_TEXTS = (
    "你好", "在吗", "推荐一款跑步鞋，预算600以内", "有没有蓝牙耳机", "想买双运动鞋", "耐克和阿迪达斯哪个好",
    "42码还有货吗", "这个有白色的吗", "三百以内的T恤", "有优惠活动吗", "怎么付款", "包邮吗", "多久发货",
    "我的订单到哪了", "订单 DD2026112800001 到哪了", "能换个尺码吗", "取消订单", "改一下收货地址", "第一款",
    "第二个怎么样", "1", "2", "好的", "谢谢", "再见", "你是机器人吗", "第一款降价了通知我", "hello",
    "can you help me", "🙂", "？？？", "……", "",
)  # no 转人工 / 投诉: the CI sample shares the test session's queue of waiting customers
INJECTIONS = (
    "<script>alert(1)</script>", "{{7*7}}", "${jndi:ldap://127.0.0.1/a}", "'; DROP TABLE orders; --",
    "../../../../etc/passwd", "%s%s%s%n", "\r\nSet-Cookie: x=1", "]]><xml>", "<![CDATA[", "&amp;&#0;&#x0;",
    "$(reboot)", "`id`", "null", "undefined", "None", "true", "[]", "{}", "\\u0000", "\\ud800", "/greet",
    "/restart", '/inform_preference{"budget": "abc"}', '/request_recommendation{"brand": [1, 2]}',
    "/session_start", "/nlu_fallback", "/", "/ ", "/中文意图", '/greet{"a":', "/greet@0.5", "/greet@-1",
    '/greet{"order_id": null}', "\u202eesrever", "a\u0000b", "%00", "%ff", "+", "&", "=", "#", "?", "\\",
)
NUMBER_STRINGS = (
    "0", "-0", "1", "-1", "007", "1e3", "1e309", "-1e309", "1E-400", "nan", "NaN", "-nan", "inf", "-inf",
    "Infinity", "0x1F", "0b11", "1_000", "１２３", "٣", "1.", ".5", "9" * 40, "1" + "0" * 400, "-" + "9" * 500,
    "2147483648", "9223372036854775808", "18446744073709551616", "4.9e-324", " 42 ", "42\x00", "3.14159",
)
CONTROL_CHARS = "".join(chr(c) for c in range(32)) + "\x7f\x80\x85\x9f\u2028\u2029"
ODD_CHARS = ("\u200b\u200c\u200d\u200e\u200f\u202a\u202e\u2066\ufeff\ufffd\ufffe\uffff\u0301\u0488\u3000"
             "\U0001f600\U000e0001\U0010ffff")
EMOJI = ("😂", "👍🏻", "🛍️", "👨‍👩‍👧‍👦", "🇨🇳", "❤️‍🔥", "🏳️‍🌈")
HUGE_NUMBERS = (10 ** 309, -(10 ** 309), 2 ** 64, 2 ** 63, -(2 ** 63) - 1, 2 ** 1024, 10 ** 4000)
INVALID_UTF8 = (b"\xff", b"\xfe", b"\xc3\x28", b"\xa0\xa1", b"\xe2\x28\xa1", b"\xf0\x28\x8c\xbc",
                b"\xed\xa0\x80", b"\xc0\xaf", b"\xf8\x88\x80\x80\x80", b"\x80", b"\xe4\xbd")
ODD_BODIES = (b"", b" ", b"null", b"[]", b"{}", b'""', b"0", b"NaN", b"-Infinity", b"\xef\xbb\xbf{}", b"{",
              b"}", b'{"a":}', b"\x00", b"\xff\xfe{\x00}\x00", b"[" * 1000, b'{"a":1,"a":2}', b"{'a': 'b'}",
              b"1" * 5000, b"true", b'"\\ud800"', b"[1,]", b"/* */{}", b"\n\n", b"1e999999")
COMMON_KEYS = ("sender", "message", "metadata", "text", "id", "type", "customer_id", "session_id", "token",
               "customData", "shopbot_customer", "__proto__", "constructor", "", " ", "中文", "$where")
HEX = "0123456789abcdef"


def mostly(usual: SearchStrategy[Any], *others: SearchStrategy[Any], weight: int = 4) -> SearchStrategy[Any]:
    """``usual`` about ``weight`` times as often as each of ``others``.

    (``st.one_of`` would not do: it draws its branches about evenly and ignores repeated ones.)
    """
    return st.sampled_from((usual,) * weight + others).flatmap(lambda strategy: strategy)


def _piece() -> SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(REALISTIC_TEXTS),
        st.sampled_from(INJECTIONS),
        st.sampled_from(NUMBER_STRINGS),
        st.text(max_size=30),
        st.text(alphabet=CONTROL_CHARS + ODD_CHARS + "".join(EMOJI) + "买鞋耳机订单退货中文ab 12", max_size=30),
        st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=30),
        st.sampled_from(EMOJI),
    )


def _stretch(piece: str, length: int) -> str:
    piece = piece or "长"
    return (piece * (length // len(piece) + 1))[:length]


@functools.lru_cache(maxsize=None)
def texts(max_len: int = 25_000) -> SearchStrategy[str]:
    """Chinese and other text, emoji, control characters, injections, numbers as text; up to ``max_len`` long."""
    piece = _piece()
    choices = [st.lists(piece, min_size=2, max_size=5).map("".join)]
    if max_len > 60:
        choices.append(st.builds(_stretch, piece, st.integers(60, max_len)))
    return mostly(piece, *choices, weight=3).map(lambda text: text[:max_len])


@functools.lru_cache(maxsize=None)
def surrogate_texts() -> SearchStrategy[str]:
    """Text with lone surrogates: only JSON's ``\\ud800`` escapes can carry them to a server."""
    lone = st.text(alphabet=st.characters(categories=["Cs"]), min_size=1, max_size=2)
    return st.builds(lambda a, s, b: a + s + b, _piece(), lone, _piece())


@functools.lru_cache(maxsize=None)
def numbers() -> SearchStrategy[Any]:
    """Numbers as JSON has them and as people send them: huge, non-finite, as text, or not numbers at all."""
    return st.one_of(st.integers(), st.integers(-5, 100), st.floats(), st.sampled_from(HUGE_NUMBERS),
                     st.sampled_from(NUMBER_STRINGS), st.none(), st.booleans())


@functools.lru_cache(maxsize=None)
def json_scalars() -> SearchStrategy[Any]:
    return st.one_of(st.none(), st.booleans(), st.integers(), st.sampled_from(HUGE_NUMBERS), st.floats(),
                     texts(200), surrogate_texts())


@functools.lru_cache(maxsize=None)
def json_keys() -> SearchStrategy[str]:
    return st.one_of(st.sampled_from(COMMON_KEYS), st.text(max_size=10), surrogate_texts())


@functools.lru_cache(maxsize=None)
def json_values(max_leaves: int = 12) -> SearchStrategy[Any]:
    """Any JSON value: wrong types, null, arrays, nested objects, NaN, huge integers, lone surrogates."""
    return st.recursive(json_scalars(), lambda kids: st.lists(kids, max_size=4) | st.dictionaries(
        json_keys(), kids, max_size=4), max_leaves=max_leaves)


def encode_json(value: Any, ensure_ascii: bool = True) -> bytes:
    """JSON as a client would send it (NaN and Infinity included; lone surrogates escaped or raw)."""
    return json.dumps(value, ensure_ascii=ensure_ascii).encode("utf-8", "surrogatepass")


@st.composite
def mangled(draw, documents: SearchStrategy[bytes]) -> bytes:
    """A document broken the ways bodies break: cut short, invalid UTF-8, BOM, UTF-16, trailing junk."""
    raw = draw(documents)
    how = draw(st.sampled_from(("truncate", "invalid_utf8", "bom", "utf16", "trailing", "nul", "quotes",
                                "gbk")))
    if how == "truncate":
        return raw[:draw(st.integers(0, max(0, len(raw) - 1)))]
    if how == "invalid_utf8":
        at = draw(st.integers(0, len(raw)))
        return raw[:at] + draw(st.sampled_from(INVALID_UTF8)) + raw[at:]
    if how == "bom":
        return b"\xef\xbb\xbf" + raw
    if how == "utf16":
        return raw.decode("utf-8", "surrogatepass").encode("utf-16", "surrogatepass")
    if how == "trailing":
        return raw + draw(st.sampled_from((b",", b"}", b" garbage", b"\x00", b"\n{}", b"]", b"\xff")))
    if how == "nul":
        return raw.replace(b'"', b'\x00"', 1)
    if how == "gbk":
        return raw.decode("utf-8", "surrogatepass").encode("gbk", "replace")
    return raw.replace(b'"', b"'")


NEST = "\x00NEST\x00"


@st.composite
def deep_nesting(draw, templates: Sequence[str] = (NEST,), max_depth: int = 30_000) -> bytes:
    """``[[[[…]]]]`` or ``{"a":{"a":…}}`` thousands deep, alone or in a field of an otherwise valid body."""
    depth = draw(st.one_of(st.sampled_from((64, 999, 1000, 1024, 1025, 2000, 5000, 10_000, max_depth)),
                           st.integers(2, max_depth)))
    kind = draw(st.sampled_from(("list", "object", "mixed")))
    if kind == "list":
        nest = "[" * depth + "]" * depth
    elif kind == "object":
        nest = '{"a":' * depth + "1" + "}" * depth
    else:
        nest = '[{"a":' * (depth // 2) + "null" + "}]" * (depth // 2)
    return draw(st.sampled_from(tuple(templates))).replace(NEST, nest).encode()


def json_bodies(shaped: SearchStrategy[Any], deep_templates: Sequence[str] = (NEST,),
                max_depth: int = 30_000) -> SearchStrategy[bytes]:
    """Bodies: mostly JSON of the expected shape, then any JSON, broken JSON, deep nesting, raw bytes."""
    encoded = st.builds(encode_json, shaped, st.booleans())
    return mostly(
        encoded,
        st.builds(encode_json, json_values(), st.booleans()),
        mangled(encoded),
        deep_nesting(tuple(deep_templates), max_depth),
        st.binary(max_size=300),
        st.sampled_from(ODD_BODIES), weight=12,
    )


@functools.lru_cache(maxsize=None)
def header_texts(max_len: int = 300) -> SearchStrategy[str]:
    """Header values an HTTP client can send: printable ASCII, Latin-1, any Unicode (sent as UTF-8), long."""
    printable = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=60)
    latin = st.text(alphabet=st.characters(min_codepoint=0xA0, max_codepoint=0xFF), min_size=1, max_size=20)
    anything = st.text(alphabet=st.characters(exclude_categories=["Cs", "Cc"]), max_size=20)
    long = st.builds(_stretch, printable, st.integers(1000, 9000))
    return mostly(printable, latin, anything, st.sampled_from(INJECTIONS).map(_no_newlines), long,
                  weight=3).map(lambda text: _no_newlines(text)[:max_len])


def _no_newlines(text: str) -> str:
    return text.replace("\r", "").replace("\n", "").replace("\x00", "")


@functools.lru_cache(maxsize=None)
def raw_header_bytes() -> SearchStrategy[bytes]:
    """Header bytes that are not UTF-8 (servers decode them with surrogateescape): sent by the raw client."""
    junk = st.binary(min_size=1, max_size=30).map(lambda b: bytes(c for c in b if c not in b"\r\n\x00") or b"\xff")
    return st.one_of(st.sampled_from(INVALID_UTF8), junk,
                     st.builds(lambda a, b: a.encode() + b, header_texts(30), st.sampled_from(INVALID_UTF8)))


CONTENT_TYPES = (
    "application/json", "application/json; charset=utf-8", "application/json; charset=latin-1",
    "application/json; charset=gbk", "application/json; charset=no-such-charset", "text/plain", "text/xml",
    "application/xml", "application/x-www-form-urlencoded", "multipart/form-data", "multipart/form-data; boundary=x",
    "application/octet-stream", "", "*/*", ";;;", 'application/json; charset="utf-8"', "text/csv",
    "application/x-ndjson", "application/json; charset=utf-16", "text/html; charset=utf-7",
)


@functools.lru_cache(maxsize=None)
def content_types(preferred: Tuple[str, ...] = ("application/json",)) -> SearchStrategy[Optional[HeaderValue]]:
    return mostly(st.sampled_from(preferred), st.none(), st.sampled_from(CONTENT_TYPES), header_texts(80),
                  raw_header_bytes(), weight=10)


EXTRA_HEADER_NAMES = ("X-Forwarded-For", "Origin", "Referer", "User-Agent", "Accept", "Accept-Language",
                      "Accept-Encoding", "Cookie", "X-Requested-With", "X-Real-IP", "Range", "If-None-Match")


@functools.lru_cache(maxsize=None)
def extra_headers() -> SearchStrategy[Tuple[Tuple[str, HeaderValue], ...]]:
    value = st.one_of(header_texts(200), raw_header_bytes())
    return mostly(st.just(()), st.lists(st.tuples(st.sampled_from(EXTRA_HEADER_NAMES), value), min_size=1,
                                        max_size=2).map(tuple), weight=3)


# ---------------------------------------------------------------------------------------------
# Customer tokens (JWT), signed by hand so that any header and payload can be made
# ---------------------------------------------------------------------------------------------

def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def make_jwt(header: Any, payload: Any, key: bytes, algorithm: str = "HS256") -> str:
    signing_input = _b64url(encode_json(header)) + "." + _b64url(encode_json(payload))
    digest = {"HS256": hashlib.sha256, "HS512": hashlib.sha512}.get(algorithm)
    signature = _b64url(hmac.new(key, signing_input.encode(), digest).digest()) if digest else ""
    return signing_input + "." + signature


@st.composite
def customer_tokens(draw, secret: Optional[str]) -> str:
    """JWTs: the shop's (good and with hostile claims), other keys, ``alg: none``, tampered, truncated."""
    now = int(time.time())
    claims = draw(st.one_of(
        st.fixed_dictionaries({"sub": st.just("fuzz-customer"), "exp": st.just(now + 3600)},
                              optional={"name": texts(100), "iat": numbers()}),
        st.fixed_dictionaries({}, optional={
            "sub": st.one_of(st.sampled_from(("fuzz-customer", "demo-1001", "", " ", "x" * 129)), json_values(4),
                             texts(300)),
            "exp": st.one_of(st.just(now + 3600), st.just(now - 10), numbers(), json_values(3)),
            "nbf": numbers(), "iat": numbers(), "name": st.one_of(texts(200), json_values(3)),
            "aud": json_values(3), "iss": json_values(3)}),
        json_values(4),
    ))
    header = draw(mostly(st.just({"alg": "HS256", "typ": "JWT"}),
                            st.sampled_from(({"alg": "none"}, {"alg": "HS512"}, {"alg": ["HS256"]}, {"alg": None},
                                             {"alg": "HS256", "crit": ["exp"]}, {"alg": "HS256", "b64": False},
                                             {"alg": "RS256"}, {"alg": "HS256", "kid": "../../etc/passwd"})),
                            json_values(3), weight=3))
    algorithm = header.get("alg") if isinstance(header, dict) and isinstance(header.get("alg"), str) else "HS256"
    key = draw(st.sampled_from(((secret or "no-secret").encode(),) * 3 + (b"not-the-shop-secret", b"")))
    token = make_jwt(header, claims, key, algorithm)
    how = draw(st.sampled_from(("as_is", "as_is", "as_is", "tamper", "truncate", "pad", "spaces")))
    if how == "tamper":
        head, payload, signature = token.split(".")
        return ".".join((head, _b64url(encode_json({"sub": "demo-1001", "exp": now + 3600})), signature))
    if how == "truncate":
        return token[:draw(st.integers(0, max(0, len(token) - 1)))]
    if how == "pad":
        return token + draw(st.sampled_from(("=", "==", ".", ".x", "\t", "A" * 5000)))
    if how == "spaces":
        return " " + token.replace(".", " . ", 1)
    return token


def valid_tokens(secret: Optional[str]) -> SearchStrategy[str]:
    """The shop's token of a logged-in customer (made when drawn, valid for a day)."""
    return st.builds(lambda name: make_jwt({"alg": "HS256", "typ": "JWT"}, {
        "sub": "fuzz-customer", "exp": int(time.time()) + 86400, **({"name": name} if name else {})},
        (secret or "no-secret").encode()), st.one_of(st.none(), st.sampled_from(("张三", "Li Lei", ""))))


@functools.lru_cache(maxsize=None)
def authorizations(secret: Optional[str]) -> SearchStrategy[Optional[HeaderValue]]:
    """``Authorization`` values: none, Bearer with a good or bad customer token, other schemes, junk, raw bytes."""
    return st.sampled_from(
        (st.none(),) * 14 + (valid_tokens(secret).map(lambda token: "Bearer " + token),) * 4
        + (customer_tokens(secret).map(lambda token: "Bearer " + token),) * 2 + (
            st.sampled_from(("", "Bearer", "Bearer ", "bearer x", "Basic dXNlcjpwYXNz", "Bearer null", "Bearer a.b.c",
                             "Bearer ..", "Token abc", "Bearer  Bearer x", "BEARER x", "Bearer\tx", "Digest x")),
            header_texts().map(lambda junk: "Bearer " + junk), header_texts(),
            raw_header_bytes().map(lambda junk: b"Bearer " + junk))).flatmap(lambda strategy: strategy)


def metadata_values(secret: Optional[str]) -> SearchStrategy[Any]:
    """Message metadata: objects, a spoofed verified customer, customData with a token, wrong types."""
    token = customer_tokens(secret)
    return st.one_of(
        st.none(), st.dictionaries(json_keys(), json_values(6), max_size=4),
        st.fixed_dictionaries({"shopbot_customer": st.one_of(st.just({"id": "demo-1001", "name": "冒充"}),
                                                             json_values(3))}),
        st.fixed_dictionaries({"customData": st.one_of(st.fixed_dictionaries({"token": st.one_of(token,
                                                                                                  json_values(2))}),
                                                       json_values(3), token.map(lambda t: json.dumps({"token": t})))}),
        st.fixed_dictionaries({}, optional={"wechat": json_values(3), "telegram": json_values(3), "token": token,
                                            "channel": json_values(2)}),
        json_values(6),
        st.builds(lambda value: json.dumps(value), json_values(4)),  # metadata as a JSON string (socketio)
    )


def fuzz_id(prefix: str = "fuzz") -> SearchStrategy[str]:
    return st.text(alphabet=HEX, min_size=10, max_size=10).map(lambda tail: f"{prefix}-{tail}")


# ---------------------------------------------------------------------------------------------
# HTTP requests as examples
# ---------------------------------------------------------------------------------------------

QueryValue = Union[str, bytes]


@dataclass(frozen=True)
class HttpInput:
    """One HTTP request.  ``path`` is already percent-encoded; bytes header values go out as raw bytes."""

    method: str
    path: str
    query: Tuple[Tuple[str, QueryValue], ...] = ()
    headers: Tuple[Tuple[str, Optional[HeaderValue]], ...] = ()
    body: Optional[bytes] = None

    def query_string(self) -> str:
        return urlencode([(k, v) for k, v in self.query], quote_via=quote)

    def target(self) -> str:
        return self.path + ("?" + self.query_string() if self.query else "")

    @property
    def raw_headers(self) -> bool:
        return any(isinstance(value, bytes) for _, value in self.headers)

    def describe(self, limit: int = 300) -> str:
        headers = {name: value for name, value in self.headers if value is not None}
        body = self.body if self.body is not None else b""
        return (f"{self.method} {_cut(self.target(), limit)} headers={_cut(repr(headers), limit)} "
                f"body({len(body)} bytes)={_cut(repr(body), limit)}")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[:limit]}…[{len(text)} chars]"


def _headers(*pairs: Tuple[str, Optional[HeaderValue]],
             extra: Iterable[Tuple[str, HeaderValue]] = ()) -> Tuple[Tuple[str, HeaderValue], ...]:
    return tuple((name, value) for name, value in (*pairs, *extra) if value is not None)


def _method(usual: str) -> SearchStrategy[str]:
    return mostly(st.just(usual), st.sampled_from(("GET", "PUT", "DELETE", "PATCH", "OPTIONS", "POST")), weight=30)


# ---- the REST channel

def rest_inputs(secret: Optional[str]) -> SearchStrategy[HttpInput]:
    sender_ok = fuzz_id("fuzz-rest")
    sender_any = st.one_of(sender_ok, json_values(5), texts(400), st.integers(),
                           st.sampled_from(("", " ", "\x00", "default", "a" * 257, "a" * 256)))
    channels = st.one_of(st.sampled_from(("rest", "socketio", "wechat", "telegram", "console", "", "cmdline")),
                         texts(100), json_values(3))
    well_formed = st.fixed_dictionaries({"sender": sender_ok, "message": texts()},
                                        optional={"metadata": metadata_values(secret), "input_channel": channels})
    anything = st.fixed_dictionaries({}, optional={
        "sender": sender_any, "message": st.one_of(texts(), json_values(5), st.none()),
        "metadata": metadata_values(secret), "input_channel": channels, "customData": json_values(3)})
    bodies = json_bodies(mostly(well_formed, anything, weight=3), deep_templates=(
        NEST, '{"sender": "fuzz-rest-deep", "message": "你好", "metadata": ' + NEST + "}",
        '{"sender": "fuzz-rest-deep", "message": ' + NEST + "}", '{"sender": ' + NEST + ', "message": "hi"}'))
    return st.builds(
        lambda method, body, content_type, authorization, extra: HttpInput(
            method, "/webhooks/rest/webhook", (),
            _headers(("Content-Type", content_type), ("Authorization", authorization), extra=extra), body),
        _method("POST"), bodies, content_types(), authorizations(secret), extra_headers())


# ---- socket.io: events through a real client, and raw engine.io requests

@dataclass(frozen=True)
class SocketEvent:
    event: str  # session_request or user_uttered
    payload: Any  # the one argument, any JSON value (None: sent without one)

    def describe(self, limit: int = 300) -> str:
        return f"emit {self.event} {_cut(repr(self.payload), limit)}"


def socketio_events(secret: Optional[str]) -> SearchStrategy[SocketEvent]:
    session = fuzz_id("fuzz-sio")
    session_any = st.one_of(session, st.none(), json_values(3), texts(300),
                            st.sampled_from(("", " ", "\x00", "a" * 257, "\u2028")))
    custom = st.one_of(st.fixed_dictionaries({"token": st.one_of(customer_tokens(secret), json_values(2))}),
                       json_values(3), customer_tokens(secret).map(lambda t: json.dumps({"token": t})))
    message_id = st.one_of(fuzz_id("m"), json_values(2), texts(200))
    well_formed = st.fixed_dictionaries({"message": texts(), "session_id": session}, optional={
        "message_id": message_id, "metadata": metadata_values(secret), "customData": custom})
    anything = st.one_of(json_values(), st.fixed_dictionaries({}, optional={
        "message": st.one_of(texts(), json_values(4)), "session_id": session_any, "message_id": message_id,
        "metadata": metadata_values(secret), "customData": custom}))
    uttered = st.builds(SocketEvent, st.just("user_uttered"), mostly(well_formed, anything, weight=3))
    session_request = st.builds(SocketEvent, st.just("session_request"), st.one_of(
        st.fixed_dictionaries({"session_id": session_any}), json_values(4)))
    return mostly(uttered, session_request, weight=3)


@dataclass(frozen=True)
class EngineIOCase:
    """A raw engine.io request: a handshake with odd parameters, or a payload posted to a fresh session."""

    kind: str  # "request": ``request`` as it is; "payload": ``body`` posted to a session that just connected
    request: Optional[HttpInput] = None
    body: bytes = b""

    def describe(self, limit: int = 300) -> str:
        if self.kind == "payload":
            return f"payload to a live session ({len(self.body)} bytes): {_cut(repr(self.body), limit)}"
        return self.request.describe(limit)


ENGINEIO_PACKETS = ("40", "41", "43", "44", "45", "46", "2", "3", "5", "6", "1", "4", "49", "4x", "42/",
                    '42/nope,["user_uttered",{}]', '451-["user_uttered",{"_placeholder":true,"num":0}]',
                    "45999-[]", "b4AAAA", "bnot-base64", '42["user_uttered"]', '42["session_request",null,null]',
                    '42[]', '42["nope",1]', '42{"a":1}', '4299999999999999999999["user_uttered",{}]', "42-1[]",
                    '42["user_uttered",{"message":"你好","session_id":"fuzz-sio-raw"},"extra"]')


def engineio_cases() -> SearchStrategy[EngineIOCase]:
    event_data = st.builds(lambda event, value: json.dumps([event, value]),
                           st.sampled_from(("user_uttered", "session_request", "connect", "disconnect", "x", "")),
                           json_values(6))
    packet = st.one_of(
        st.builds(lambda ack, data: "42" + ack + data, st.sampled_from(("", "1", "7", "99999999999999999999")),
                  event_data),
        st.sampled_from(ENGINEIO_PACKETS), texts(200),
        deep_nesting(('42["user_uttered",' + NEST + "]",), 20_000).map(lambda b: b.decode()),
    )
    payload = st.one_of(st.lists(packet, min_size=1, max_size=4).map("\x1e".join).map(
        lambda text: text.encode("utf-8", "surrogatepass")), st.binary(max_size=200), mangled(
        packet.map(lambda text: text.encode("utf-8", "surrogatepass"))))
    query_value = st.one_of(st.sampled_from(("4", "3", "5", "", "polling", "websocket", "xhr", "0", "-1", "x")),
                            header_texts(100), raw_header_bytes())
    query = st.lists(st.tuples(st.sampled_from(("EIO", "transport", "sid", "t", "j", "b64", "x")), query_value),
                     max_size=5).map(tuple)
    handshake = st.builds(
        lambda method, query, body, content_type, extra: EngineIOCase("request", HttpInput(
            method, "/socket.io/", query, _headers(("Content-Type", content_type), extra=extra), body)),
        st.sampled_from(("GET", "GET", "POST", "OPTIONS", "PUT", "DELETE")), query,
        st.one_of(st.none(), payload), content_types(("text/plain;charset=UTF-8",)), extra_headers())
    return mostly(st.builds(lambda body: EngineIOCase("payload", body=body), payload), handshake, weight=2)


# ---- WeChat and WeCom callbacks

@dataclass(frozen=True)
class WeChatAccount:
    channel: str  # "wechat" or "wecom"
    token: str
    aes_key: str
    app_id: str  # AppID, or WeCom's CorpID


def wechat_sign(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8", "surrogatepass")).hexdigest()


def _aes_key(encoding_aes_key: str) -> bytes:
    return base64.b64decode(encoding_aes_key + "=")


def wechat_encrypt(encoding_aes_key: str, message: bytes, receiver: bytes, length: Optional[int] = None,
                   padding: str = "ok", prefix: bytes = b"0123456789abcdef") -> str:
    """WeChat's safe-mode envelope, built independently of the bot: AES-256-CBC, IV = key[:16], PKCS#7 to 32."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    key = _aes_key(encoding_aes_key)
    plain = prefix + struct.pack(">I", (len(message) if length is None else length) & 0xFFFFFFFF) + message + receiver
    count = 32 - len(plain) % 32
    if padding == "ok":
        plain += bytes([count]) * count
    elif padding == "zeros":
        plain += b"\x00" * count
    else:  # "wrong": a pad byte that says more than there is
        plain += bytes([33]) * count
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode("ascii")


def wechat_decrypt(encoding_aes_key: str, encrypted: str) -> str:
    """The message of an encrypted reply (for reading the bot's answers)."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    key = _aes_key(encoding_aes_key)
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    plain = decryptor.update(base64.b64decode(encrypted)) + decryptor.finalize()
    plain = plain[:-plain[-1]]
    (length,) = struct.unpack(">I", plain[16:20])
    return plain[20:20 + length].decode("utf-8", "replace")


WECHAT_MSG_TYPES = ("text", "text", "text", "event", "image", "voice", "video", "shortvideo", "location", "link",
                    "file", "miniprogrampage", "TEXT", " text ", "", "unknown")
WECHAT_EVENTS = ("subscribe", "unsubscribe", "CLICK", "click", "VIEW", "SCAN", "LOCATION", "enter_agent", "")
WECHAT_FIELDS = ("ToUserName", "FromUserName", "CreateTime", "MsgType", "Content", "MsgId", "Event", "EventKey",
                 "Recognition", "AgentID", "MediaId", "PicUrl", "Location_X", "Encrypt")


@st.composite
def wechat_fields(draw) -> List[Tuple[str, str]]:
    openid = draw(mostly(fuzz_id("ofuzz"), texts(200), st.just(""), st.just("o" * 129), weight=10))
    msg_type = draw(mostly(st.just("text"), st.sampled_from(WECHAT_MSG_TYPES), texts(50), weight=6))
    fields = [("ToUserName", draw(mostly(st.just("gh_fuzz"), texts(100)))), ("FromUserName", openid),
              ("CreateTime", draw(mostly(st.just(str(int(time.time()))), st.sampled_from(NUMBER_STRINGS)))),
              ("MsgType", msg_type)]
    if msg_type.strip().lower() == "text" or draw(st.booleans()):
        fields.append(("Content", draw(texts(3000))))
    if msg_type.strip().lower() == "event" or draw(st.booleans()):
        fields.append(("Event", draw(st.one_of(st.sampled_from(WECHAT_EVENTS), texts(50)))))
        fields.append(("EventKey", draw(texts(300))))
    if draw(st.integers(0, 4)) == 0:
        fields.append(("Recognition", draw(texts(300))))
    fields.append(("MsgId", draw(mostly(st.integers(1, 2 ** 62).map(str), st.just(""), texts(100), weight=8))))
    extra = [] if draw(st.integers(0, 3)) else draw(st.lists(st.tuples(st.one_of(st.sampled_from(WECHAT_FIELDS),
                                              st.from_regex(r"\A[A-Za-z_][A-Za-z0-9_]{0,10}\Z")), texts(100)),
                          max_size=3))
    fields += extra
    dropped = draw(st.sets(st.integers(0, len(fields) - 1), max_size=2)) if draw(st.integers(0, 5)) == 0 else set()
    return [pair for number, pair in enumerate(fields) if number not in dropped]


def _xml_value(value: str, style: str) -> str:
    if style == "cdata":
        return "<![CDATA[" + value + "]]>"
    if style == "escaped":
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value  # raw: may well break the document


@st.composite
def wechat_xml(draw) -> bytes:
    """The XML of a message: well formed with hostile values, or malformed, forbidden or oversized."""
    kind = draw(st.sampled_from(("fields",) * 30 + ("forbidden", "mangled", "binary", "oversized", "many", "deep",
                                                    "odd_root", "declaration")))
    fields = draw(wechat_fields())
    style = draw(st.sampled_from(("cdata",) * 8 + ("escaped", "raw")))
    document = "<xml>" + "".join(f"<{tag}>{_xml_value(value, style)}</{tag}>" for tag, value in fields) + "</xml>"
    encoded = document.encode("utf-8", "surrogatepass")
    if kind == "fields":
        return encoded
    if kind == "forbidden":
        return draw(st.sampled_from((
            '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
            '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><xml><FromUserName>o1</FromUserName><MsgType>text</MsgType>'
            '<Content>&c;</Content></xml>',
            '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml><FromUserName>o1'
            '</FromUserName><MsgType>text</MsgType><Content>&x;</Content></xml>',
            '<!DOCTYPE xml SYSTEM "http://127.0.0.1:9/x.dtd"><xml/>',
            '<xml><FromUserName>o1</FromUserName><MsgType>text</MsgType><Content>&nbsp;&#0;&#xD800;</Content></xml>',
            '<?xml-stylesheet href="x"?><xml><!-- c --><?pi x?><FromUserName>o1</FromUserName></xml>',
        ))).encode()
    if kind == "mangled":
        return draw(mangled(st.just(encoded)))
    if kind == "binary":
        return draw(st.binary(max_size=300))
    if kind == "oversized":
        return ("<xml><FromUserName>o1</FromUserName><MsgType>text</MsgType><Content>"
                + "大" * draw(st.integers(21_000, 40_000)) + "</Content></xml>").encode()
    if kind == "many":
        count = draw(st.integers(60, 2000))
        return ("<xml>" + "".join(f"<F{n}>{n}</F{n}>" for n in range(count)) + document[5:]).encode(
            "utf-8", "surrogatepass")
    if kind == "deep":
        depth = draw(st.integers(100, 6000))
        return ("<xml><FromUserName>o1</FromUserName><MsgType>text</MsgType><Content>" + "<a>" * depth + "x"
                + "</a>" * depth + "</Content></xml>").encode()
    if kind == "odd_root":
        return draw(st.sampled_from((b"<root/>", b"<xml/>", b"<xml>", b"</xml>", b"<xml></xml><xml></xml>",
                                     b"<x:xml xmlns:x='u'><a>1</a></x:xml>", b"<?xml version='1.0'?>", b"xml",
                                     b"<xml a='1' a='2'/>")))
    return draw(st.sampled_from(("<?xml version='1.0' encoding='gbk'?>", "<?xml version='1.0' encoding='utf-16'?>",
                                 "<?xml version='1.0' encoding='no-such'?>", "<?xml version='2.0'?>",
                                 "<?xml version='1.0' standalone='maybe'?>"))).encode() + encoded


@dataclass(frozen=True)
class WeChatCase:
    """A callback as WeChat would send it; signatures and timestamps are made when it is sent."""

    method: str  # GET (URL verification) or POST (a message)
    signature: str  # "valid", "valid_upper", "wrong", "missing" or a literal value
    msg_signature: str
    timestamp: str  # "now", "stale", "future" or a literal value
    nonce: str
    mode: str  # POST: "plain" or "aes"; GET: "echo"
    encrypt_type: Optional[str]  # "<auto>": "aes" in safe mode, none in plaintext mode
    inner: bytes  # the message XML (or, for GET, the echostr text)
    envelope: str  # how it is encrypted: "ok", "wrong_receiver", "bad_length", "bad_padding", "zeros", "garbage:…"
    extra_query: Tuple[Tuple[str, QueryValue], ...] = ()
    content_type: Optional[HeaderValue] = "text/xml"

    def describe(self, limit: int = 300) -> str:
        return (f"{self.method} mode={self.mode} signature={self.signature!r} msg_signature={self.msg_signature!r} "
                f"timestamp={_cut(repr(self.timestamp), 80)} nonce={_cut(repr(self.nonce), 40)} "
                f"encrypt_type={self.encrypt_type!r} envelope={_cut(self.envelope, 60)} "
                f"extra={_cut(repr(self.extra_query), 100)} "
                f"inner({len(self.inner)} bytes)={_cut(repr(self.inner), limit)}")

    def render(self, account: WeChatAccount, now: Optional[int] = None) -> HttpInput:
        now = int(time.time()) if now is None else now
        timestamp = {"now": str(now), "stale": str(now - 3600), "future": str(now + 3600)}.get(self.timestamp,
                                                                                               self.timestamp)
        wecom = account.channel == "wecom"
        encrypted = ""
        if self.mode in ("aes", "echo") and (wecom or self.mode == "aes"):
            encrypted = self._encrypted(account)
        query: List[Tuple[str, QueryValue]] = []
        body: Optional[bytes] = None
        if self.method == "GET":
            echostr = encrypted if wecom else self.inner.decode("utf-8", "replace")
            query.append(("echostr", echostr))
        elif self.mode == "aes":
            to = account.app_id if wecom else "gh_fuzz"
            body = (f"<xml><ToUserName><![CDATA[{to}]]></ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt>"
                    + ("<AgentID>1000002</AgentID>" if wecom else "") + "</xml>").encode()
        else:
            body = self.inner
        signature = self._signature(self.signature, wechat_sign(account.token, timestamp, self.nonce))
        msg_signature = self._signature(self.msg_signature,
                                        wechat_sign(account.token, timestamp, self.nonce, encrypted))
        if signature is not None and not wecom:
            query.append(("signature", signature))
        if msg_signature is not None and (wecom or self.mode == "aes"):
            query.append(("msg_signature", msg_signature))
        if self.timestamp != "missing":
            query.append(("timestamp", timestamp))
        query.append(("nonce", self.nonce))
        encrypt_type = ("aes" if self.mode == "aes" else None) if self.encrypt_type == "<auto>" else self.encrypt_type
        if encrypt_type is not None and not wecom:
            query.append(("encrypt_type", encrypt_type))
        query += list(self.extra_query)
        headers = _headers(("Content-Type", self.content_type)) if self.method == "POST" else ()
        return HttpInput(self.method, f"/webhooks/{account.channel}/webhook", tuple(query), headers, body)

    def _encrypted(self, account: WeChatAccount) -> str:
        receiver = account.app_id.encode()
        if self.envelope.startswith("garbage:"):
            return self.envelope[len("garbage:"):]
        if self.envelope == "wrong_receiver":
            receiver = b"wxSOMEBODYELSE00"
        length = len(self.inner) + 7 if self.envelope == "bad_length" else None
        padding = {"bad_padding": "wrong", "zeros": "zeros"}.get(self.envelope, "ok")
        return wechat_encrypt(account.aes_key, self.inner, receiver, length, padding)

    @staticmethod
    def _signature(how: str, valid: str) -> Optional[str]:
        if how == "valid":
            return valid
        if how == "valid_upper":
            return " " + valid.upper() + " "
        if how == "wrong":
            return "0" * 40
        if how == "missing":
            return None
        return how


def wechat_cases(wecom: bool = False) -> SearchStrategy[WeChatCase]:
    signature = mostly(st.just("valid"), st.sampled_from(("valid_upper", "wrong", "missing", "", "x")),
                       header_texts(60), weight=20)
    timestamp = mostly(st.just("now"), st.sampled_from(("stale", "future", "missing", "")),
                       st.sampled_from(NUMBER_STRINGS), texts(60), weight=20)
    nonce = mostly(st.text(alphabet=HEX, min_size=6, max_size=10), texts(60), st.just(""), weight=10)
    envelope = mostly(st.just("ok"), st.sampled_from(("wrong_receiver", "bad_length", "bad_padding", "zeros")),
                         st.builds(lambda junk: "garbage:" + junk, st.one_of(
                             st.binary(max_size=64).map(lambda b: base64.b64encode(b).decode()), texts(80))),
                      weight=20)
    extra = mostly(st.just(()), st.lists(st.tuples(st.sampled_from(("openid", "signature", "timestamp", "x",
                                                                    "encrypt_type")),
                                                  st.one_of(header_texts(40), raw_header_bytes())),
                                        min_size=1, max_size=2).map(tuple), weight=6)
    post = st.builds(
        WeChatCase, st.just("POST"), signature, signature, timestamp, nonce,
        st.just("aes") if wecom else st.sampled_from(("plain", "plain", "aes")),
        mostly(st.just("<auto>"), st.sampled_from((None, "aes", "AES", "aes ", "raw", "")), header_texts(20),
               weight=20),
        wechat_xml(), envelope, extra, content_types(("text/xml", "application/xml")))
    echo = st.one_of(st.integers(0, 2 ** 62).map(str), texts(300)).map(lambda t: t.encode("utf-8", "surrogatepass"))
    get = st.builds(WeChatCase, st.just("GET"), signature, signature, timestamp, nonce, st.just("echo"), st.none(),
                    echo, envelope, extra, st.none())
    return mostly(post, get, weight=3)


# ---- Telegram

def telegram_inputs(secret: str) -> SearchStrategy[HttpInput]:
    secret_header = mostly(st.just(secret), st.none(), st.sampled_from(("", secret[:-1], secret + " ", " " + secret,
                                                                        secret.upper())),
                           header_texts(100), raw_header_bytes(), weight=24)
    chat_ids = mostly(st.integers(10 ** 8, 10 ** 10), st.integers(), st.sampled_from(HUGE_NUMBERS), json_values(3),
                      texts(100), st.floats(), weight=15)
    text = mostly(texts(5000), json_values(2),
                  st.sampled_from(("/start", "/start abc", "/start@fuzz_bot", "/help", "/", "/start\x00")), weight=8)
    person = st.one_of(st.fixed_dictionaries({"id": chat_ids}, optional={"is_bot": json_values(1),
                                                                         "first_name": texts(100)}),
                       json_values(3))
    message = mostly(st.fixed_dictionaries(
        {"message_id": st.one_of(st.integers(1, 10 ** 6), json_values(1)), "date": numbers(),
         "chat": st.one_of(st.fixed_dictionaries({"id": chat_ids}, optional={"type": json_values(1)}),
                           json_values(3))},
        optional={"text": text, "from": person, "photo": json_values(3), "sticker": json_values(3),
                  "location": json_values(3), "entities": json_values(3)}), json_values(3), weight=8)
    callback = st.fixed_dictionaries(
        {"id": st.one_of(st.integers(1, 10 ** 12).map(str), json_values(2))},
        optional={"data": st.one_of(texts(200), st.sampled_from(("#", "#abc", "#" + "0" * 24, "/greet", "第一款")),
                                    json_values(2)),
                  "from": person, "message": message, "chat_instance": json_values(1)})
    update = st.fixed_dictionaries(
        {"update_id": mostly(st.integers(1, 2 ** 62), json_values(2), weight=8)},
        optional={"edited_message": message, "callback_query": st.one_of(callback, json_values(3)),
                  "channel_post": json_values(3), "my_chat_member": json_values(3)})
    with_message = st.builds(lambda u, m: {**u, "message": m}, update, message)
    bodies = st.one_of(json_bodies(mostly(with_message, update, json_values()), deep_templates=(
        NEST, '{"update_id": 1, "message": ' + NEST + "}",
        '{"update_id": 2, "message": {"chat": {"id": 1}, "text": ' + NEST + "}}")),
        st.integers(262_100, 300_000).map(lambda size: b'{"update_id": 3, "x": "' + b"a" * size + b'"}'))
    return st.builds(
        lambda method, body, secret_value, content_type, extra: HttpInput(
            method, "/webhooks/telegram/webhook", (),
            _headers(("X-Telegram-Bot-Api-Secret-Token", secret_value), ("Content-Type", content_type), extra=extra),
            body),
        _method("POST"), bodies, secret_header, content_types(), extra_headers())


# ---- the recommender

@functools.lru_cache(maxsize=1)
def catalog_facts() -> Dict[str, Any]:
    """Real values from the demo catalog, so that many requests get past the first check."""
    from bot.catalog.model import DEMO_CATALOG_FILE

    rows = [json.loads(line) for line in DEMO_CATALOG_FILE.read_text("utf-8").splitlines() if line.strip()]
    return {
        "rows": rows, "ids": sorted(row["id"] for row in rows),
        "categories": sorted({row["category"] for row in rows}), "brands": sorted({row["brand"] for row in rows}),
        "colors": sorted({c for row in rows for c in row.get("colors") or ()}),
        "sizes": sorted({s for row in rows for s in row.get("sizes") or ()}),
        "variants": {row["id"]: sorted(row.get("variant_stock") or {}) for row in rows},
        "fields": sorted({key for row in rows for key in row}),
    }


def product_ids() -> SearchStrategy[Any]:
    facts = catalog_facts()
    return mostly(st.sampled_from(facts["ids"]), st.just("SKU00000"), texts(100), json_values(2), weight=8)


def _service_headers(authorization: SearchStrategy[Optional[HeaderValue]], preferred=("application/json",)):
    return st.builds(lambda content_type, auth, extra: _headers(("Content-Type", content_type),
                                                                ("Authorization", auth), extra=extra),
                     content_types(preferred), authorization, extra_headers())


def _no_auth() -> SearchStrategy[Optional[HeaderValue]]:
    return mostly(st.none(), header_texts(100), raw_header_bytes(), header_texts(100).map(lambda j: "Bearer " + j),
                  weight=20)


def _post_json(path: str, shaped: SearchStrategy[Any], deep_templates: Sequence[str] = (NEST,),
               authorization: Optional[SearchStrategy[Optional[HeaderValue]]] = None,
               oversized: bool = True) -> SearchStrategy[HttpInput]:
    bodies = json_bodies(shaped, deep_templates)
    if oversized:  # just over the 64 KiB limit of the recommender and the console
        bodies = mostly(bodies, st.integers(65_500, 70_000).map(lambda n: b'{"text": "' + b"a" * n + b'"}'),
                        weight=20)
    return st.builds(lambda method, body, headers: HttpInput(method, path, (), headers, body),
                     _method("POST"), bodies, _service_headers(_no_auth() if authorization is None else authorization))


def plausible_numbers(high: int = 3000) -> SearchStrategy[Any]:
    return mostly(st.integers(0, high), st.floats(0, high), numbers(), weight=3)


def recommend_inputs() -> SearchStrategy[HttpInput]:
    facts = catalog_facts()
    realistic = {"product_category": facts["categories"], "brand": facts["brands"], "color": facts["colors"],
                 "size": facts["sizes"], "budget": ["300以内", "500-800", "一千左右", "不限", "两百到三百", "0", "-5"]}
    conditions = mostly(st.fixed_dictionaries({}, optional={
        name: mostly(st.sampled_from(values), texts(200), json_values(2), numbers(),
                     st.lists(st.sampled_from(values), max_size=3), weight=8)
        for name, values in realistic.items()}), json_values(3),
        st.dictionaries(json_keys(), json_values(2), max_size=3), weight=8)
    body = st.fixed_dictionaries({"customer_id": mostly(fuzz_id("cust"), json_values(2), texts(300), weight=8)},
                                 optional={"text": mostly(texts(3000), json_values(2)), "conditions": conditions,
                                           "budget_min": plausible_numbers(), "budget_max": plausible_numbers(),
                                           "limit": plausible_numbers(20),
                                           "exclude": mostly(st.lists(product_ids(), max_size=5), json_values(3))})
    return _post_json("/recommend", mostly(body, json_values()),
                      ('{"customer_id": "fuzz-deep", "conditions": ' + NEST + "}", NEST))


# A recent timestamp from a fixed clock: hypothesis refuses data that changes between runs of one
# example (time.time() inside a strategy stopped the 10,000-input run at 8,000 FlakyStrategyDefinition).
_STARTED = time.time()


def event_inputs() -> SearchStrategy[HttpInput]:
    body = st.fixed_dictionaries({"customer_id": mostly(fuzz_id("cust"), json_values(2), texts(300), weight=8),
                                  "type": mostly(st.sampled_from(("shown", "clicked", "bought", "asked")),
                                                 texts(50), json_values(2), weight=8)},
                                 optional={"product_id": product_ids(), "text": mostly(texts(3000), json_values(2)),
                                           "timestamp": mostly(st.integers(0, 86_400).map(lambda ago: _STARTED - ago),
                                                               numbers()),
                                           "reason": json_values(2)})
    return _post_json("/events", mostly(body, json_values()))


def knowledge_inputs() -> SearchStrategy[HttpInput]:
    body = st.fixed_dictionaries({"text": mostly(texts(3000), json_values(2), weight=8)},
                                 optional={"topic": mostly(st.sampled_from(("shipping", "payment", "promotion",
                                                                            "after_sales", "other")),
                                                           texts(50), json_values(2))})
    return _post_json("/knowledge/search", mostly(body, json_values()))


def products_inputs() -> SearchStrategy[HttpInput]:
    ids = st.lists(st.one_of(product_ids().map(lambda v: v if isinstance(v, str) else json.dumps(v)),
                             st.sampled_from(("", ",", " ", "%", "\x00"))), max_size=60).map(",".join)
    value = mostly(ids, raw_header_bytes(), texts(3000), st.just(",".join(catalog_facts()["ids"])), weight=6)
    query = mostly(st.tuples(st.tuples(st.just("ids"), value)),
                      st.lists(st.tuples(st.sampled_from(("ids", "id", "token", "x", "")), value), max_size=4)
                      .map(tuple))
    return st.builds(lambda method, query, headers: HttpInput(method, "/products", query, headers),
                     _method("GET"), query, _service_headers(_no_auth()))


def admin_authorizations(admin_token: Optional[str]) -> SearchStrategy[Optional[HeaderValue]]:
    good = st.just(f"Bearer {admin_token}") if admin_token else st.none()
    return mostly(good, st.none(), header_texts(100), raw_header_bytes(),
                  raw_header_bytes().map(lambda junk: b"Bearer " + junk),
                  st.just(f"Bearer {admin_token or ''}x"), st.just(admin_token or "token"), weight=30)


@st.composite
def catalog_files(draw) -> bytes:
    """Catalog uploads: demo rows with hostile values, missing or extra columns, as JSON Lines or CSV."""
    facts = catalog_facts()
    rows = [dict(row) for row in draw(st.lists(st.sampled_from(facts["rows"]), max_size=6))]
    for row in rows:
        for name in draw(st.lists(st.sampled_from(facts["fields"] + ["extra", ""]), max_size=2)):
            if draw(st.integers(0, 3)) == 0:
                row.pop(name, None)
            else:
                row[name] = draw(st.one_of(json_values(3), texts(300), numbers()))
        if draw(st.integers(0, 6)) == 0:
            row["id"] = rows[0].get("id")  # a duplicate id
    if draw(st.booleans()):
        document = "\n".join(json.dumps(row, ensure_ascii=draw(st.booleans())) for row in rows).encode(
            "utf-8", "surrogatepass")
    else:
        columns = list(dict.fromkeys(key for row in rows for key in row)) or facts["fields"]
        out = io.StringIO()
        writer = csv.writer(out, escapechar="\\")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["|".join(map(str, value)) if isinstance(value, list) else
                             json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else
                             "" if value is None else str(value) for value in (row.get(c) for c in columns)])
        document = out.getvalue().encode("utf-8", "surrogatepass")
    return draw(mostly(st.just(document), mangled(st.just(document)), st.binary(max_size=300)))


def catalog_inputs(admin_token: Optional[str]) -> SearchStrategy[HttpInput]:
    kinds = ("application/x-ndjson", "text/csv", "application/jsonl", "application/json-lines")
    return st.builds(lambda method, body, headers: HttpInput(method, "/admin/catalog", (), headers, body),
                     _method("POST"), catalog_files(), _service_headers(admin_authorizations(admin_token), kinds))


def stock_inputs(admin_token: Optional[str]) -> SearchStrategy[HttpInput]:
    facts = catalog_facts()

    @st.composite
    def update(draw):
        product = draw(product_ids())
        known = facts["variants"].get(product, []) if isinstance(product, str) else []
        item = {"product_id": product}
        if draw(st.booleans()):
            item["stock"] = draw(mostly(st.integers(0, 500), numbers(), json_values(2), weight=6))
        if draw(st.booleans()):
            keys = st.one_of(st.sampled_from(known), texts(30)) if known else texts(30)
            item["variant_stock"] = draw(st.one_of(
                st.dictionaries(keys, mostly(st.integers(0, 50), numbers()), max_size=4), json_values(2)))
        return item

    body = st.fixed_dictionaries({"updates": mostly(st.lists(update(), min_size=1, max_size=5),
                                                    st.lists(json_values(2), max_size=3), json_values(3),
                                                    st.integers(1001, 1100).map(lambda n: [{}] * n), weight=8)})
    return _post_json("/admin/stock", mostly(body, json_values()),
                      ('{"updates": [' + NEST + "]}", NEST), admin_authorizations(admin_token))


# ---- the agents' console

@dataclass(frozen=True)
class ConsoleCase:
    """A request of a logged-in console user; the CSRF header is filled in when it is sent."""

    request: HttpInput
    csrf: Optional[HeaderValue] = "<session>"  # "<session>": the session's token
    role: str = "agent"

    def describe(self, limit: int = 300) -> str:
        return f"as {self.role}, csrf={_cut(repr(self.csrf), 60)}: {self.request.describe(limit)}"


CONVERSATION_STATUSES = ("bot", "waiting", "agent", "closed")
TICKET_STATUSES = ("open", "in_progress", "waiting_customer", "resolved")


def console_cases(conversation_ids: Sequence[str] = (), ticket_ids: Sequence[str] = (),
                  roles: Sequence[str] = ("agent",)) -> SearchStrategy[ConsoleCase]:
    odd_ids = st.one_of(texts(300), st.sampled_from(("", ".", "..", "null", "0", "-1", "\x00", "a/b", " ")),
                        st.sampled_from(NUMBER_STRINGS), fuzz_id())
    conversation = mostly(st.sampled_from(tuple(conversation_ids)), odd_ids) if conversation_ids else odd_ids
    ticket = mostly(st.sampled_from(tuple(ticket_ids)), odd_ids) if ticket_ids else odd_ids
    segment = lambda ids: ids.map(lambda value: quote(value.encode("utf-8", "surrogatepass"), safe=""))  # noqa: E731
    query_value = lambda values: mostly(st.sampled_from(values), texts(300), raw_header_bytes())  # noqa: E731
    cursor = st.one_of(st.builds(lambda n, i: f"{n}:{i}", st.sampled_from(NUMBER_STRINGS), conversation),
                       st.sampled_from(NUMBER_STRINGS), texts(100), raw_header_bytes())
    limit = mostly(st.integers(1, 200).map(str), st.integers(-5, 300).map(str), st.sampled_from(NUMBER_STRINGS),
                   texts(20))
    conversation_query = st.fixed_dictionaries({}, optional={
        "status": query_value(CONVERSATION_STATUSES), "limit": limit, "q": texts(300), "cursor": cursor,
        "channel": query_value(("rest", "socketio", "wechat", "wecom", "telegram"))}).map(
        lambda q: tuple(q.items()))
    ticket_query = st.fixed_dictionaries({}, optional={
        "status": query_value(TICKET_STATUSES), "limit": limit, "cursor": cursor}).map(lambda q: tuple(q.items()))
    text_body = lambda name, max_len: st.fixed_dictionaries({name: st.one_of(texts(max_len), json_values(2))})  # noqa
    routes = [
        ("GET", st.just("/api/me"), st.just(()), st.none()),
        ("GET", st.just("/api/agents"), st.just(()), st.none()),
        ("POST", st.just("/api/agents"), st.just(()), st.fixed_dictionaries({}, optional={
            "name": st.one_of(fuzz_id("fuzzagent"), texts(100), json_values(1)),
            "password": st.one_of(texts(100), json_values(1)),
            "role": st.one_of(st.sampled_from(("agent", "supervisor", "admin")), json_values(1))})),
        ("GET", st.just("/api/conversations"), conversation_query, st.none()),
        ("GET", segment(conversation).map(lambda i: f"/api/conversations/{i}"), st.just(()), st.none()),
        ("POST", segment(conversation).map(lambda i: f"/api/conversations/{i}/unmask"), st.just(()), st.none()),
        ("POST", st.tuples(segment(conversation), st.sampled_from(("takeover", "handback", "close"))).map(
            lambda p: f"/api/conversations/{p[0]}/{p[1]}"), st.just(()), st.none()),
        ("POST", segment(conversation).map(lambda i: f"/api/conversations/{i}/messages"), st.just(()),
         text_body("text", 3000)),
        ("POST", segment(conversation).map(lambda i: f"/api/conversations/{i}/notes"), st.just(()),
         text_body("text", 3000)),
        ("PUT", segment(conversation).map(lambda i: f"/api/conversations/{i}/tags"), st.just(()),
         st.fixed_dictionaries({"tags": st.one_of(st.lists(texts(40), max_size=25), json_values(3))})),
        ("POST", segment(conversation).map(lambda i: f"/api/conversations/{i}/reviewed"), st.just(()),
         st.fixed_dictionaries({}, optional={"reviewed": json_values(1)})),
        ("POST", segment(conversation).map(lambda i: f"/api/conversations/{i}/annotations"), st.just(()),
         st.fixed_dictionaries({}, optional={"message_id": st.one_of(texts(100), json_values(1)),
                                             "intent": st.one_of(st.sampled_from(("greet", "request_recommendation",
                                                                                  "nope")), json_values(1)),
                                             "entities": json_values(4)})),
        ("GET", st.just("/api/tickets"), ticket_query, st.none()),
        ("GET", segment(ticket).map(lambda i: f"/api/tickets/{i}"), st.just(()), st.none()),
        ("POST", segment(ticket).map(lambda i: f"/api/tickets/{i}/assign"), st.just(()),
         st.fixed_dictionaries({}, optional={"agent": st.one_of(texts(100), json_values(1))})),
        ("POST", segment(ticket).map(lambda i: f"/api/tickets/{i}/update"), st.just(()),
         st.fixed_dictionaries({}, optional={"status": st.one_of(st.sampled_from(TICKET_STATUSES), json_values(1)),
                                             "message": st.one_of(texts(3000), json_values(1)),
                                             "note": st.one_of(texts(3000), json_values(1))})),
        ("GET", st.just("/api/reports"), st.just(()), st.none()),
        ("GET", st.one_of(st.sampled_from(("retention", "funnel", "daily")), texts(50)).map(
            lambda n: "/api/reports/charts/" + quote(n.encode("utf-8", "surrogatepass"), safe="")), st.just(()),
         st.none()),
        ("GET", st.just("/api/nlu/inbox"), st.just(()), st.none()),
        ("POST", st.just("/api/nlu/annotations/accept"), st.just(()), st.fixed_dictionaries({}, optional={
            "conversation_id": st.one_of(conversation, json_values(1)), "message_id": json_values(1)})),
        ("POST", st.just("/api/nlu/export"), st.just(()), st.none()),
        ("GET", texts(100).map(lambda p: "/api/" + quote(p.encode("utf-8", "surrogatepass"), safe="/")),
         st.just(()), st.none()),
    ]

    def route(method, paths, queries, shaped):
        body = json_bodies(shaped, ('{"text": ' + NEST + "}", NEST)) if shaped is not None else mostly(
            st.none(), json_bodies(json_values()))
        return st.builds(
            lambda m, path, query, body, content_type, extra, csrf, role: ConsoleCase(
                HttpInput(m, path, query, _headers(("Content-Type", content_type), extra=extra), body), csrf, role),
            mostly(st.just(method), st.sampled_from(("GET", "POST", "PUT", "DELETE", "PATCH")), weight=20),
            paths, queries, body, content_types(), extra_headers(),
            mostly(st.just("<session>"), st.none(), header_texts(60), raw_header_bytes(), weight=20),
            st.sampled_from(tuple(roles)))

    return st.one_of(*[route(*spec) for spec in routes])


def console_login_inputs(reserved_names: Iterable[str]) -> SearchStrategy[HttpInput]:
    """``POST /api/login`` with any body; never a real account's name (five misses lock it for 15 minutes)."""
    reserved = frozenset(reserved_names)
    name = st.one_of(fuzz_id("nobody"), texts(100), json_values(1), st.sampled_from(("", "a" * 65, "admin", "root")))
    body = st.fixed_dictionaries({}, optional={"username": name, "password": st.one_of(texts(2000),
                                                                                     json_values(1))})
    def allowed(value: Any) -> bool:
        name = value.get("username") if isinstance(value, dict) else None
        return not (isinstance(name, str) and name in reserved)

    return st.builds(
        lambda method, body, content_type, csrf, extra: HttpInput(
            method, "/api/login", (), _headers(("Content-Type", content_type), ("X-CSRF-Token", csrf), extra=extra),
            body),
        _method("POST"), json_bodies(mostly(body, json_values()).filter(allowed)),
        content_types(), st.one_of(st.none(), header_texts(60), raw_header_bytes()), extra_headers())


# ---- the order-system adapter (HttpOrderSystem) against an order system that answers anything

@dataclass(frozen=True)
class OrderAnswer:
    """One HTTP answer of the fake order system, written byte by byte."""

    status: int = 200
    content_type: Optional[str] = "application/json"
    body: bytes = b"{}"
    mode: str = "normal"  # "normal", "slow" (later than the attempt time-out), "hang_up", "raw" (``raw`` as is)
    raw: bytes = b""
    headers: Tuple[Tuple[str, str], ...] = ()

    def wire(self) -> bytes:
        if self.mode == "raw":
            return self.raw
        head = [f"HTTP/1.1 {self.status} Fuzz".encode()]
        if self.content_type is not None:
            head.append(b"Content-Type: " + self.content_type.encode("utf-8", "surrogateescape"))
        names = {name.lower() for name, _ in self.headers}
        if "content-length" not in names and "transfer-encoding" not in names:
            head.append(b"Content-Length: %d" % len(self.body))
        head += [name.encode() + b": " + value.encode("utf-8", "surrogateescape") for name, value in self.headers]
        head.append(b"Connection: close")
        return b"\r\n".join(head) + b"\r\n\r\n" + self.body


@dataclass(frozen=True)
class AdapterCall:
    method: str
    args: Tuple[Any, ...]
    answers: Tuple[OrderAnswer, ...]  # one per attempt; the last one repeats

    def describe(self, limit: int = 300) -> str:
        return (f"{self.method}{_cut(repr(self.args), 120)} answered "
                + " / ".join(f"{a.mode} {a.status} {a.content_type!r} {a.headers!r} "
                             f"{_cut(repr(a.raw if a.mode == 'raw' else a.body), limit)}" for a in self.answers))


ORDER_STATES = ("待付款", "待发货", "已发货", "已签收", "退款中", "已取消")
ADAPTER_METHODS = ("orders_of", "order_of", "cancel", "request_after_sales", "change_address",
                   "customer_for_account", "link_account")


def an_order(customer_id: str, order_id: str) -> Dict[str, Any]:
    return {"id": order_id, "customer_id": customer_id, "state": "已发货", "total": 299.0,
            "created_at": 1764290000.0, "paid_at": 1764290100.0, "shipped_at": 1764300000.0, "courier": "顺丰",
            "tracking_number": "SF1234567890", "tracking_events": [[1764300000.0, "已揽收"], [1764310000.0, "运输中"]],
            "address": "上海市浦东新区", "phone": "138****0000",
            "items": [{"product_id": "SKU10001", "title": "耐克跑步鞋", "price": 299.0, "quantity": 1, "color": "黑色",
                       "size": "42"}]}


@st.composite
def hostile_order(draw, customer_id: str, order_id: str) -> Any:
    order = an_order(customer_id, order_id)
    for name in draw(st.lists(st.sampled_from(sorted(order) + ["extra"]), max_size=3)):
        how = draw(st.integers(0, 4))
        if how == 0:
            order.pop(name, None)
        elif how == 1:
            order[name] = draw(numbers())
        elif how == 2 and name == "items":
            order["items"] = draw(st.lists(st.one_of(st.fixed_dictionaries({}, optional={
                key: json_values(2) for key in ("product_id", "title", "price", "quantity", "color", "size",
                                                "extra")}), json_values(2)), max_size=3))
        elif how == 2 and name == "tracking_events":
            order["tracking_events"] = draw(st.lists(st.one_of(st.tuples(numbers(), texts(50)).map(list),
                                                               json_values(2)), max_size=3))
        elif how == 3 and name == "state":
            order["state"] = draw(st.one_of(st.sampled_from(ORDER_STATES), texts(20)))
        else:
            order[name] = draw(json_values(3))
    if draw(st.integers(0, 8)) == 0:
        order["customer_id"] = "someone-else"
    return order


@st.composite
def adapter_calls(draw) -> AdapterCall:
    method = draw(st.sampled_from(ADAPTER_METHODS))
    customer = draw(st.one_of(fuzz_id("cust"), fuzz_id("cust"), texts(100).filter(bool)))
    order_id = draw(st.one_of(st.just("DD2026112800001"), texts(60).filter(bool)))
    text = texts(200)
    args = {
        "orders_of": lambda: (customer,), "order_of": lambda: (customer, order_id),
        "cancel": lambda: (customer, order_id, draw(text), draw(fuzz_id("idem"))),
        "request_after_sales": lambda: (customer, order_id, draw(st.sampled_from(("return_refund", "exchange"))),
                                        draw(text), draw(fuzz_id("idem"))),
        "change_address": lambda: (customer, order_id, draw(st.one_of(st.none(), text)),
                                   draw(st.one_of(st.none(), text)), draw(fuzz_id("idem"))),
        "customer_for_account": lambda: (draw(st.sampled_from(("wechat", "telegram", "wecom"))), draw(text)),
        "link_account": lambda: (draw(st.sampled_from(("wechat", "telegram"))), draw(text), draw(text)),
    }[method]()
    order = st.one_of(st.just(an_order(customer, order_id)), hostile_order(customer, order_id))
    shaped = {
        "orders_of": st.one_of(st.fixed_dictionaries({"orders": st.lists(order, max_size=3)}),
                               st.fixed_dictionaries({"orders": json_values(3)})),
        "order_of": order,
        "customer_for_account": st.fixed_dictionaries({"customer_id": st.one_of(fuzz_id("cust"), json_values(2))}),
        "link_account": st.fixed_dictionaries({"customer_id": st.one_of(fuzz_id("cust"), json_values(2))}),
    }.get(method, st.fixed_dictionaries({"order": order}, optional={"request": st.one_of(
        st.fixed_dictionaries({}, optional={"id": json_values(1), "refund_amount": numbers()}), json_values(2))}))
    body = json_bodies(shaped, ('{"orders": [' + NEST + "]}", '{"order": ' + NEST + "}", NEST))
    statuses = mostly(st.just(200), st.sampled_from((201, 202, 204, 301, 302, 304, 400, 401, 403, 404,
                                                                409, 410, 418, 422, 429, 451, 500, 502, 503, 504,
                                                                599, 999)), weight=6)
    headers = st.lists(st.one_of(
        st.sampled_from((("Content-Encoding", "gzip"), ("Content-Encoding", "br"), ("Content-Encoding", "deflate"),
                         ("Transfer-Encoding", "chunked"), ("Location", "/elsewhere"), ("Location", "http://[::1"),
                         ("Location", "ftp://127.0.0.1/x"), ("Content-Length", "99999"), ("Content-Length", "-1"),
                         ("Content-Length", "abc"), ("Retry-After", "999"), ("Set-Cookie", "a=b; Max-Age=x"))),
        st.tuples(st.sampled_from(("X-Junk", "Content-Type")), header_texts(40))), max_size=2).map(tuple)
    answer = st.builds(
        OrderAnswer, statuses,
        mostly(st.just("application/json"), st.sampled_from((None, "text/html", "application/json; charset=gbk",
                                                            "application/json; charset=nope", "", "*/*"))),
        body, st.sampled_from(("normal",) * 20 + ("slow", "hang_up", "raw")),
        st.one_of(st.binary(max_size=200), st.sampled_from((
            b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{}", b"HTTP/1.1 99999 X\r\n\r\n", b"garbage\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 5\r\n\r\nhello",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", b"HTTP/1.1 101 Switching\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nX: \xff\xfe\r\nContent-Length: 2\r\n\r\n{}",
            b"HTTP/1.0 200 OK\r\n\r\n{\"orders\": []}",
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"))),
        headers)
    answers = draw(st.lists(answer, min_size=1, max_size=3))
    return AdapterCall(method, args, tuple(answers))


class FuzzOrderSystem:
    """A TCP server speaking just enough HTTP/1.1 to give each call the answers its example scripted.

    The adapter's base URL carries the call's number (``/c17``), so calls made at
    the same time each get their own answers; the n-th request of a call gets the
    n-th answer (the last one repeats).
    """

    def __init__(self, slow_seconds: float = 1.0) -> None:
        self.slow_seconds = slow_seconds
        self.scripts: Dict[str, Tuple[OrderAnswer, ...]] = {}
        self.attempts: Dict[str, int] = {}
        self.server: Optional[asyncio.AbstractServer] = None
        self.port = 0

    async def start(self) -> "FuzzOrderSystem":
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def close(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
            length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
            if length:
                await asyncio.wait_for(reader.readexactly(int(length.group(1))), 10)
            path = head.split(b" ", 2)[1].decode("latin-1")
            call = path.strip("/").split("/", 1)[0]
            script = self.scripts.get(call) or (OrderAnswer(404, body=b'{"error": "no script"}'),)
            attempt = self.attempts.get(call, 0)
            self.attempts[call] = attempt + 1
            answer = script[min(attempt, len(script) - 1)]
            if answer.mode == "hang_up":
                return
            if answer.mode == "slow":
                await asyncio.sleep(self.slow_seconds)
            writer.write(answer.wire())
            await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, asyncio.TimeoutError, ConnectionError,
                IndexError):
            pass
        finally:
            writer.close()


# ---------------------------------------------------------------------------------------------
# Outcomes and sending
# ---------------------------------------------------------------------------------------------

@dataclass
class Outcome:
    """What one input got.  ``kind``: http, timeout, connection_error, ack (socket.io), or the adapter's
    result / refused / unavailable / escaped / wrong_result."""

    kind: str
    status: int = 0
    ms: float = 0.0
    detail: str = ""
    apology: bool = False  # the customer got the channel's "something went wrong" reply

    @property
    def klass(self) -> str:
        if self.kind in ("http", "ack"):
            return f"{self.status // 100}xx" if 100 <= self.status < 600 else "other"
        return self.kind

    @property
    def failed(self) -> bool:
        return (self.kind == "http" and self.status >= 500) or self.kind in (
            "timeout", "connection_error", "escaped", "wrong_result")


APOLOGIES = (APOLOGY, STORE_DOWN_REPLY)
# The apologies' first words, as they are and as JSON escapes them (Sanic's JSON is ASCII-only).
_APOLOGY_MARKS = tuple(mark for apology in APOLOGIES for head in [apology[:10]] for mark in (
    head, json.dumps(head)[1:-1], json.dumps(head)[1:-1].upper().replace("\\U", "\\u")))


def _apology_in(text: str) -> bool:
    return any(mark in text for mark in _APOLOGY_MARKS)


async def send_raw_http(base: str, item: HttpInput, timeout: float,
                        extra: Sequence[Tuple[str, HeaderValue]] = ()) -> Outcome:
    """Sends ``item`` byte for byte on a new connection (header values that no HTTP library would send)."""
    url = URL(base)
    started = time.perf_counter()
    lines = [f"{item.method} {item.target()} HTTP/1.1".encode("utf-8", "surrogateescape"),
             f"Host: {url.host}:{url.port}".encode()]
    for name, value in (*item.headers, *extra):
        lines.append(name.encode() + b": " + (value if isinstance(value, bytes) else value.encode("utf-8")))
    body = item.body or b""
    lines += [b"Content-Length: %d" % len(body), b"Connection: close"]
    writer = None
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(url.host, url.port), timeout)
        writer.write(b"\r\n".join(lines) + b"\r\n\r\n" + body)
        await writer.drain()
        status_line = await asyncio.wait_for(reader.readline(), timeout)
        try:
            status = int(status_line.split()[1])
        except (IndexError, ValueError):
            return Outcome("connection_error", 0, _ms(started), f"no HTTP status line: {status_line[:100]!r}")
        rest = b""
        deadline = time.monotonic() + min(timeout, 10)
        try:  # the server closes the connection after the answer (Connection: close)
            while len(rest) < 1 << 20:
                chunk = await asyncio.wait_for(reader.read(65536), max(0.01, deadline - time.monotonic()))
                if not chunk:
                    break
                rest += chunk
        except (asyncio.TimeoutError, ConnectionError):
            pass
        text = rest.split(b"\r\n\r\n", 1)[-1].decode("utf-8", "replace")
        return Outcome("http", status, _ms(started), text[:4000], _apology_in(text))
    except asyncio.TimeoutError:
        return Outcome("timeout", 0, _ms(started), f"no answer within {timeout:.0f} s")
    except (OSError, asyncio.IncompleteReadError) as error:
        return Outcome("connection_error", 0, _ms(started), f"{type(error).__name__}: {error}")
    finally:
        if writer is not None:
            writer.close()


def has_huge_integer(value: Any) -> bool:
    """Whether a JSON value holds an integer python-engineio will not decode (over 100 digits)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return len(str(abs(value))) > 100
    if isinstance(value, dict):
        return any(has_huge_integer(item) for item in value.values())
    if isinstance(value, list):
        return any(has_huge_integer(item) for item in value)
    return False


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


async def send_http(session: aiohttp.ClientSession, base: str, item: HttpInput, timeout: float,
                    extra: Sequence[Tuple[str, HeaderValue]] = ()) -> Outcome:
    if item.raw_headers:
        return await send_raw_http(base, item, timeout, extra)
    started = time.perf_counter()
    url = URL(base.rstrip("/") + item.target(), encoded=True)
    headers = [(name, value) for name, value in (*item.headers, *extra)]
    try:
        async with session.request(item.method, url, headers=headers, data=item.body, allow_redirects=False,
                                   timeout=aiohttp.ClientTimeout(total=timeout),
                                   skip_auto_headers=("Content-Type",)) as response:
            raw = await response.read()
            text = raw.decode("utf-8", "replace")
            return Outcome("http", response.status, _ms(started), text[:4000], _apology_in(text))
    except asyncio.TimeoutError:
        return Outcome("timeout", 0, _ms(started), f"no answer within {timeout:.0f} s")
    except (aiohttp.ClientError, OSError) as error:
        return Outcome("connection_error", 0, _ms(started), f"{type(error).__name__}: {error}")
    except ValueError as error:  # aiohttp itself refused to send it (a header it will not write)
        return Outcome("unsendable", 0, _ms(started), f"{type(error).__name__}: {error}")


class LoopThread:
    """An event loop in a thread of its own: synchronous code (hypothesis tests) runs coroutines on it."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="fuzz loop", daemon=True)
        self._thread.start()

    def run(self, coroutine: Awaitable[Any], timeout: Optional[float] = None) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def submit(self, coroutine: Awaitable[Any]):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)


@dataclass
class Target:
    """Where a running bot listens, and the secrets a peer of each channel knows."""

    rasa: str
    recommender: str = ""
    console: str = ""
    customer_token_secret: Optional[str] = None
    wechat: Optional[WeChatAccount] = None
    wecom: Optional[WeChatAccount] = None
    telegram_secret: str = ""
    admin_token: Optional[str] = None
    console_logins: Dict[str, Tuple[str, str]] = field(default_factory=dict)  # role → (name, password)
    admin_recommender: str = ""  # where /admin/* goes (the tests use a recommender of their own)


class Fuzzer:
    """Sends examples to a :class:`Target`; every ``send_*`` coroutine returns an :class:`Outcome`."""

    def __init__(self, target: Target, timeout: float = 60.0, ack_timeout: float = 30.0) -> None:
        self.target = target
        self.timeout = timeout
        self.ack_timeout = ack_timeout  # a socket.io handler that raised never acknowledges: not a full minute each
        self.sessions: Dict[str, aiohttp.ClientSession] = {}
        self.console_sessions: Dict[str, Tuple[aiohttp.ClientSession, str]] = {}
        self._retired: List[aiohttp.ClientSession] = []
        self._sio_clients: List[Any] = []
        self._sio_lock: Optional[asyncio.Lock] = None
        self._sio_next = itertools.count()
        self.order_system: Optional[FuzzOrderSystem] = None
        self._calls = itertools.count(1)

    def _session(self, name: str = "plain") -> aiohttp.ClientSession:
        if name not in self.sessions or self.sessions[name].closed:
            self.sessions[name] = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(force_close=True, limit=64), cookie_jar=aiohttp.DummyCookieJar())
        return self.sessions[name]

    async def close(self) -> None:
        for client in self._sio_clients:
            try:
                await client.disconnect()
            except Exception:
                pass
        for session in self.sessions.values():
            await session.close()
        for session in [*(session for session, _ in self.console_sessions.values()), *self._retired]:
            await session.close()
        if self.order_system is not None:
            await self.order_system.close()

    # ---- HTTP endpoints

    async def send_rest(self, item: HttpInput) -> Outcome:
        outcome = await send_http(self._session(), self.target.rasa, item, self.timeout)
        if outcome.kind == "http" and outcome.status == 200 and outcome.detail.strip() == "[]":
            outcome.detail = "[] (no reply)"
        return outcome

    async def send_rasa(self, item: HttpInput) -> Outcome:
        return await send_http(self._session(), self.target.rasa, item, self.timeout)

    async def send_recommender(self, item: HttpInput) -> Outcome:
        base = self.target.admin_recommender if item.path.startswith("/admin/") and self.target.admin_recommender \
            else self.target.recommender
        return await send_http(self._session(), base, item, min(self.timeout, 60))

    async def send_console_login(self, item: HttpInput) -> Outcome:
        return await send_http(self._session(), self.target.console, item, 30)

    async def send_wechat(self, case: WeChatCase, account: WeChatAccount) -> Outcome:
        outcome = await send_http(self._session(), self.target.rasa, case.render(account), self.timeout)
        if outcome.kind == "http" and "<Encrypt>" in outcome.detail:
            match = re.search(r"<Encrypt><!\[CDATA\[([^\]]+)\]\]>", outcome.detail)
            try:
                outcome.apology = bool(match) and _apology_in(wechat_decrypt(account.aes_key, match.group(1)))
            except (ValueError, struct.error, IndexError):
                pass
        return outcome

    # ---- the console, logged in

    async def console_login(self, role: str) -> Tuple[aiohttp.ClientSession, str]:
        if role in self.console_sessions:
            return self.console_sessions[role]
        name, password = self.target.console_logins[role]
        session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True),
                                        cookie_jar=aiohttp.CookieJar(unsafe=True))
        async with session.post(f"{self.target.console}/api/login",
                                json={"username": name, "password": password}) as response:
            body = await response.json()
            if response.status != 200:
                await session.close()
                raise RuntimeError(f"console login as {name} failed: {response.status} {body}")
        self.console_sessions[role] = (session, body["csrf_token"])
        return self.console_sessions[role]

    async def send_console(self, case: ConsoleCase) -> Outcome:
        session, csrf = await self.console_login(case.role)
        token = csrf if case.csrf == "<session>" else case.csrf
        extra = [("X-CSRF-Token", token)] if token is not None else []
        item = case.request
        if item.raw_headers or isinstance(token, bytes):
            cookies = session.cookie_jar.filter_cookies(URL(self.target.console))
            cookie = "; ".join(f"{key}={morsel.value}" for key, morsel in cookies.items())
            outcome = await send_raw_http(self.target.console, item, 30, [*extra, ("Cookie", cookie)])
        else:
            outcome = await send_http(session, self.target.console, item, 30, extra)
        if outcome.kind == "http" and outcome.status == 401 and self.console_sessions.get(case.role, (None,))[0] \
                is session:  # a junk Cookie header of the input, or did the session end? Log in again if it did.
            async with session.get(f"{self.target.console}/api/me") as me:
                if me.status == 401:
                    self.console_sessions.pop(case.role, None)
                    self._retired.append(session)  # others may be using it right now: closed at the end
        return outcome

    # ---- socket.io

    async def _sio_client(self):
        import socketio

        if self._sio_lock is None:
            self._sio_lock = asyncio.Lock()
        async with self._sio_lock:
            live = [c for c in self._sio_clients if c.connected]
            self._sio_clients = live
            if len(live) < 4:
                client = socketio.AsyncClient(reconnection=False)
                client.on("bot_uttered", lambda *args: None)
                client.on("session_confirm", lambda *args: None)
                await client.connect(self.target.rasa, socketio_path="/socket.io", transports=["polling"],
                                     wait_timeout=30)
                self._sio_clients.append(client)
                return client
            return live[next(self._sio_next) % len(live)]

    async def send_socketio(self, event: SocketEvent) -> Outcome:
        import socketio

        started = time.perf_counter()
        dropped = has_huge_integer(event.payload)
        wait = min(self.ack_timeout, 5.0) if dropped else self.ack_timeout
        try:
            client = await self._sio_client()
        except (socketio.exceptions.ConnectionError, aiohttp.ClientError, OSError, asyncio.TimeoutError) as error:
            return Outcome("connection_error", 0, _ms(started), f"connect: {type(error).__name__}: {error}")
        try:
            if event.payload is None:
                ack = await client.call(event.event, timeout=wait)
            else:
                ack = await client.call(event.event, event.payload, timeout=wait)
        except socketio.exceptions.TimeoutError:
            if dropped:
                return Outcome("dropped", 0, _ms(started), "python-engineio refuses integers of over 100 digits: "
                                                           "the event is dropped unanswered (engineio/json.py)")
            return Outcome("timeout", 0, _ms(started), f"no acknowledgement within {wait:.0f} s "
                                                       "(the handler raised, or hangs)")
        except (socketio.exceptions.SocketIOError, aiohttp.ClientError, OSError) as error:
            await self._drop(client)
            return Outcome("connection_error", 0, _ms(started), f"{type(error).__name__}: {error}")
        # refused: the customer was told politely what is wrong (the socket.io 4xx); failed: processing raised
        # and the customer got the apology (like a REST 200 with the apology)
        status = 400 if ack == "refused" else 200
        return Outcome("ack", status, _ms(started), repr(ack), ack == "failed")

    async def _drop(self, client) -> None:
        try:
            await client.disconnect()
        except Exception:
            pass

    async def rest_canary(self, text: str = "你好") -> Outcome:
        """A well-formed REST message from a new chat: it must get a 200 with a reply (not the apology)."""
        import uuid

        body = encode_json({"sender": f"fuzz-canary-{uuid.uuid4().hex[:10]}", "message": text})
        return await send_http(self._session(), self.target.rasa, HttpInput(
            "POST", "/webhooks/rest/webhook", (), (("Content-Type", "application/json"),), body), self.timeout)

    async def socketio_canary(self, text: str = "你好", timeout: float = 60) -> Outcome:
        """A well-formed session: session_request, then a message; it must get a bot_uttered."""
        import socketio

        started = time.perf_counter()
        replies: asyncio.Queue = asyncio.Queue()
        confirms: asyncio.Queue = asyncio.Queue()
        client = socketio.AsyncClient(reconnection=False)
        client.on("bot_uttered", replies.put_nowait)
        client.on("session_confirm", confirms.put_nowait)
        try:
            await client.connect(self.target.rasa, socketio_path="/socket.io", transports=["polling"],
                                 wait_timeout=30)
            await client.emit("session_request", {"session_id": None})
            session_id = await asyncio.wait_for(confirms.get(), timeout)
            await client.emit("user_uttered", {"message": text, "session_id": session_id})
            reply = await asyncio.wait_for(replies.get(), timeout)
            return Outcome("http", 200, _ms(started), repr(reply)[:200])
        except asyncio.TimeoutError:
            return Outcome("timeout", 0, _ms(started), "no bot_uttered")
        except Exception as error:
            return Outcome("connection_error", 0, _ms(started), f"{type(error).__name__}: {error}")
        finally:
            await self._drop(client)

    async def send_engineio(self, case: EngineIOCase) -> Outcome:
        if case.kind == "request":
            return await send_http(self._session(), self.target.rasa, case.request, 30)
        session = self._session()
        base = self.target.rasa.rstrip("/") + "/socket.io/"
        try:
            async with session.get(base, params={"EIO": "4", "transport": "polling"},
                                   timeout=aiohttp.ClientTimeout(total=30)) as response:
                opened = await response.text()
                if response.status >= 500:
                    return Outcome("http", response.status, 0, f"handshake: {opened[:200]}")
            sid = json.loads(opened[1:])["sid"]
            query = (("EIO", "4"), ("transport", "polling"), ("sid", sid))
            connected = await send_http(session, self.target.rasa, HttpInput(
                "POST", "/socket.io/", query, (("Content-Type", "text/plain;charset=UTF-8"),), b"40"), 30)
            if connected.failed:
                connected.detail = "connecting the namespace: " + connected.detail
                return connected
            # Like a real client, keep a long-poll GET waiting while posting: python-engineio answers a POST
            # that closes the session only once a poll has taken the queued packets (AsyncSocket.close).
            poll = asyncio.ensure_future(self._poll(session, query))
            await asyncio.sleep(0.05)
            try:
                outcome = await send_http(session, self.target.rasa, HttpInput(
                    "POST", "/socket.io/", query, (("Content-Type", "text/plain;charset=UTF-8"),), case.body), 30)
                await send_http(session, self.target.rasa, HttpInput(  # close it (if the payload has not)
                    "POST", "/socket.io/", query, (("Content-Type", "text/plain;charset=UTF-8"),), b"1"), 10)
            finally:
                poll.cancel()
            return outcome
        except (aiohttp.ClientError, OSError, asyncio.TimeoutError, ValueError, KeyError) as error:
            return Outcome("connection_error", 0, 0, f"opening a session: {type(error).__name__}: {error}")

    async def _poll(self, session: aiohttp.ClientSession, query) -> None:
        """Long-poll GETs on an engine.io session until it is closed (or the caller cancels)."""
        url = URL(self.target.rasa.rstrip("/") + "/socket.io/").with_query(dict(query))
        for _ in range(3):
            try:
                async with session.get(url, timeout=aiohttp.ClientTimeout(total=40)) as response:
                    body = await response.read()
                    if response.status != 200 or b"1" == body[:1]:
                        return
            except (aiohttp.ClientError, OSError, asyncio.TimeoutError):
                return

    # ---- the order-system adapter

    async def send_adapter(self, call: AdapterCall, attempt_timeout: float = 0.4, deadline: float = 1.2) -> Outcome:
        from bot.orders.circuit_breaker import CircuitBreaker
        from bot.orders.http_adapter import HttpOrderSystem, OrderSystemSettings
        from bot.orders.models import Confirmation, Order
        from bot.orders.system import OrderSystemRefused, OrderSystemUnavailable

        if self.order_system is None:
            self.order_system = await FuzzOrderSystem(slow_seconds=attempt_timeout + 0.3).start()
        name = f"c{next(self._calls)}"
        self.order_system.scripts[name] = call.answers
        system = HttpOrderSystem(OrderSystemSettings(f"http://127.0.0.1:{self.order_system.port}/{name}",
                                                     "fuzz-token", attempt_timeout, deadline, retries=2),
                                 breaker=CircuitBreaker(10 ** 9, 0.0))
        started = time.perf_counter()
        try:
            result = await asyncio.wait_for(getattr(system, call.method)(*call.args), deadline + 5)
        except asyncio.TimeoutError:
            return Outcome("timeout", 0, _ms(started), f"no result within {deadline + 5:.1f} s")
        except OrderSystemRefused as error:
            return Outcome("refused", 0, _ms(started), str(error)[:200])
        except OrderSystemUnavailable as error:
            return Outcome("unavailable", 0, _ms(started), str(error)[:200])
        except Exception as error:  # anything else escaping the adapter is the bug this looks for
            return Outcome("escaped", 0, _ms(started), f"{type(error).__name__}: {_cut(str(error), 200)}")
        finally:
            await system.close()
            self.order_system.scripts.pop(name, None)
            self.order_system.attempts.pop(name, None)
        customer = call.args[0]
        ok = {
            "orders_of": lambda r: isinstance(r, list) and all(isinstance(o, Order) and o.customer_id == customer
                                                              for o in r),
            "order_of": lambda r: r is None or (isinstance(r, Order) and r.customer_id == customer),
            "customer_for_account": lambda r: r is None or (isinstance(r, str) and bool(r)),
            "link_account": lambda r: isinstance(r, str) and bool(r),
        }.get(call.method, lambda r: isinstance(r, Confirmation) and r.order.customer_id == customer)
        if not ok(result):
            return Outcome("wrong_result", 0, _ms(started), _cut(repr(result), 200))
        return Outcome("result", 0, _ms(started), _cut(repr(result), 100))


# ---------------------------------------------------------------------------------------------
# Drawing examples ahead of sending (the benchmark)
# ---------------------------------------------------------------------------------------------

def draw_examples(strategy: SearchStrategy[Any], count: int, seed: int) -> List[Any]:
    """``count`` examples of ``strategy`` from hypothesis's generation phase (no shrinking, no database)."""
    found: List[Any] = []

    @hypothesis_seed(seed)
    @settings(max_examples=count, phases=[Phase.generate], database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def collect(example: Any) -> None:
        found.append(example)

    collect()
    return found


__all__ = [name for name in dir() if not name.startswith("_")]
