"""Rasa's socketio channel, hardened, plus the web chat widget's files under ``/shop/``.

The channel keeps Rasa's name (``socketio``) and its documented protocol, so
Rasa Webchat and the widgets shops already run against Rasa keep working:

* the client emits ``session_request`` ``{"session_id": ...}`` and gets
  ``session_confirm`` with the session id (a new one when it sent none);
* the client emits ``user_uttered`` ``{"message": ..., "session_id": ...}``;
* the bot answers with ``bot_uttered`` events: ``{"text": ...}``,
  ``{"text": ..., "quick_replies": [...]}``, ``{"attachment": ...}``, and for
  custom payloads whatever the ``custom`` dictionary names (Rasa's ``data``
  form), or ``{"custom": {...}}`` for a payload like our ``product_cards``.

What differs from Rasa's ``SocketIOInput``:

* a ``user_uttered`` whose message is missing, not a string or too long, or a
  session request that is not an object, no longer raises in the handler: the
  customer gets a polite ``bot_uttered`` and the server goes on;
* a message carrying a ``message_id`` that was already taken (a client
  retrying after a lost acknowledgement) is not processed a second time, by
  any rasa server (the channels' shared ledger in Redis, ``bot/channels/dedup.py``);
* a failure while processing answers with an apology instead of silence;
* ``enter_room`` is awaited when python-socketio makes it a coroutine;
* messages that answer no incoming one (an agent's reply, a handoff notice)
  arrive through the outbound layer's outbox (:mod:`bot.channels.outbound`):
  emitted at once to a session this server holds, else when the customer's
  widget next asks for its session; an agent's message carries ``agent``;
* the widget (``/shop/widget.js``, ``/shop/widget.css``, the socket.io client,
  the demo shop page ``/shop/`` and its product images) is served by the rasa
  server itself; no CDN is involved.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import json
import logging
import mimetypes
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Optional, Text, Tuple

import aiohttp
import rasa.core.channels.channel
from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
import engineio
from socketio import AsyncServer

from bot.channels.conversation_gate import gated
from bot.channels.dedup import MessageLedger
from bot.channels.outbound.outbox import Outbox
from bot.channels.rest import MAX_MESSAGE_CHARS, MAX_METADATA_CHARS, MAX_SENDER_CHARS, metadata_problem
from bot.channels.texts import LOGIN_AGAIN_REPLY, NO_SESSION_REPLY, NOT_TEXT_REPLY, failure_reply, too_long
from bot.identity import TokenRejected, sign_customer_token, token_secret, verify_customer_token, with_identity
from bot.orders.demo_service.seed import DEMO_CUSTOMERS
from bot.settings import RedisSettings
from bot.store.privacy_records import PrivacyRecords
from bot.store.redis_client import async_client, storable_text
from bot.store.sealing import default_sealer

logger = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parent / "web"
STATIC_DIR = WEB_DIR / "static"
SHOP_PREFIX = "/shop"

TOO_LONG_REPLY = too_long(MAX_MESSAGE_CHARS)
# An engine.io packet or polling payload (engine.io's default is 1 MB).  Far above a message and its
# metadata, so that an overlong message still arrives and gets the polite TOO_LONG_REPLY instead of
# a dropped connection; a larger packet is cut off by engine.io.
MAX_PACKET_BYTES = 256 * 1024
# A client's own id for one message (Rasa Webchat: a uuid), the key of the duplicate ledger.
MAX_MESSAGE_ID_CHARS = 128
# How long closing a refused engine.io session waits for a long-poll to collect the CLOSE packet.
CLOSE_WAIT_SECONDS = 1.0


class BoundedCloseEngineIO(engineio.AsyncServer):
    """engine.io that closes a session it refuses without waiting for a client that never polls.

    python-engineio closes a session whose client sends a packet it does not take (a PING,
    which only the server sends in engine.io 4) and waits, inside that client's POST, until a
    long-poll GET has collected the CLOSE packet: a client with no GET pending held the
    request open until its session timed out.  Now the POST is answered 400 within
    ``CLOSE_WAIT_SECONDS``, and the session is gone either way.
    """

    async def disconnect(self, sid=None):
        if sid is None:
            return await super().disconnect()
        try:
            await asyncio.wait_for(super().disconnect(sid), CLOSE_WAIT_SECONDS)
        except asyncio.TimeoutError:
            self.sockets.pop(sid, None)


class WidgetSocketServer(AsyncServer):
    """socket.io on :class:`BoundedCloseEngineIO`."""

    def _engineio_server_class(self):
        return BoundedCloseEngineIO

# Parameters of AsyncServer.emit that Rasa's documented custom payload may name.
EMIT_ARGUMENTS = frozenset({"data", "to", "room", "skip_sid", "namespace", "callback"})

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "application/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
}
# The demo page only loads its own files; the widget on a shop's page may connect elsewhere.
PAGE_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
)
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'"
DEMO_TOKEN_SECONDS = 12 * 3600


# ---------------------------------------------------------------------------
# Message validation: plain functions, unit-tested in tests/unit/test_socketio_widget.py
# ---------------------------------------------------------------------------

class WidgetMessageError(ValueError):
    """A ``user_uttered`` we cannot take; ``reply`` is what the customer is told."""

    def __init__(self, reason: str, reply: str) -> None:
        super().__init__(reason)
        self.reply = reply


@dataclass(frozen=True)
class WidgetMessage:
    text: str
    session_id: Optional[str]
    message_id: Optional[str]
    metadata: Dict[str, Any] = field(default_factory=dict)


def usable_id(value: Any, max_chars: int = MAX_SENDER_CHARS) -> Optional[str]:
    """The id if it is a usable one (a non-empty, short, printable string), else None.

    Printable also keeps out lone surrogates (a cut emoji of a JavaScript client),
    which Redis could not store as a key.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or len(value) > max_chars or not value.isprintable():
        return None
    return value


def session_id_from_request(data: Any) -> str:
    """The session id a ``session_request`` asks for, or a new one (Rasa's behaviour)."""
    requested = usable_id(data.get("session_id")) if isinstance(data, dict) else None
    return requested or uuid.uuid4().hex


def parse_metadata(value: Any) -> Dict[str, Any]:
    """Rasa accepts the metadata as an object or as a JSON string of one; anything else is dropped."""
    if value is None:
        return {}
    if isinstance(value, str):
        if len(value) > MAX_METADATA_CHARS:
            return {}
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            return {}
    return dict(value) if isinstance(value, dict) and not metadata_problem(value) else {}


def customer_token(data: Dict[str, Any], metadata: Dict[str, Any]) -> Optional[Any]:
    """``customData.token``: Rasa Webchat sends ``customData`` beside the message, others inside the metadata."""
    for holder in (data.get("customData"), metadata.get("customData"), metadata):
        holder = parse_metadata(holder) if isinstance(holder, str) else holder
        if isinstance(holder, dict) and holder.get("token") not in (None, ""):
            return holder["token"]
    return None


def parse_user_message(data: Any, metadata_key: str = "metadata", session_persistence: bool = True,
                       secret: Optional[str] = None) -> WidgetMessage:
    """Checks one ``user_uttered`` payload; raises WidgetMessageError with the reply to give.

    A customer token (``customData.token``) is verified with ``secret``; the
    verified customer goes into the metadata, a refused token is refused
    politely and the message is not processed.
    """
    if not isinstance(data, dict):
        raise WidgetMessageError("the payload is not an object", NOT_TEXT_REPLY)
    text = data.get("message")
    if not isinstance(text, str):
        raise WidgetMessageError(f"the message is {type(text).__name__}, not a string", NOT_TEXT_REPLY)
    if len(text) > MAX_MESSAGE_CHARS:
        raise WidgetMessageError(f"the message has {len(text)} characters", TOO_LONG_REPLY)
    text = storable_text(text)
    session_id = usable_id(data.get("session_id"))
    if session_persistence and session_id is None:
        raise WidgetMessageError("no valid session_id (send session_request first)", NO_SESSION_REPLY)
    message_id = usable_id(data.get("message_id"), MAX_MESSAGE_ID_CHARS)
    metadata = parse_metadata(data.get(metadata_key))
    token = customer_token(data, metadata)
    identity = None
    if token is not None:
        try:
            identity = verify_customer_token(token, secret)
        except TokenRejected as error:
            raise WidgetMessageError(f"customer token refused: {error}", LOGIN_AGAIN_REPLY) from None
    metadata.pop("token", None)
    if isinstance(metadata.get("customData"), dict):
        metadata["customData"] = {k: v for k, v in metadata["customData"].items() if k != "token"}
    return WidgetMessage(text, session_id, message_id, with_identity(metadata, identity))


def custom_emit_arguments(json_message: Dict[str, Any], recipient_id: str) -> Dict[str, Any]:
    """``sio.emit`` keyword arguments for a custom payload.

    Rasa documents the socketio custom payload as the arguments of ``emit``
    (``custom: {data: {...}}`` sends ``{...}``), and widgets built for Rasa
    rely on it, so such a payload is sent exactly that way.  Any other
    dictionary (Rasa would crash on it: ``emit() got an unexpected keyword``)
    is sent as ``{"custom": {...}}``, the way the REST channel returns it.
    """
    if "data" in json_message and set(json_message) <= EMIT_ARGUMENTS:
        arguments = dict(json_message)
        if "to" not in arguments:
            arguments.setdefault("room", recipient_id)
        return arguments
    return {"data": {"custom": json_message}, "room": recipient_id}


def outbox_payload(kept: Dict[str, Any]) -> Dict[str, Any]:
    """The ``bot_uttered`` payload of a kept message; an agent's carries their name, an alert its card."""
    payload: Dict[str, Any] = {"text": str(kept.get("text") or "")}
    if kept.get("agent"):
        payload["agent"] = str(kept["agent"])
    if isinstance(kept.get("card"), dict):
        payload["custom"] = kept["card"]
    return payload


def _redis() -> Tuple[Optional[Any], str]:
    """This channel's Redis client and key prefix, or (None, …) when the settings are wrong."""
    try:
        settings = RedisSettings.from_env()
    except ValueError as error:
        logger.error("agent messages cannot reach the widget, retries are not deduplicated: %s", error)
        return None, "shopbot"
    return async_client(settings), settings.key_prefix


async def maybe_await(value: Any) -> Any:
    """python-socketio 5.9 makes ``enter_room`` a plain function, later versions a coroutine."""
    return await value if inspect.isawaitable(value) else value


# ---------------------------------------------------------------------------
# Static files of the widget
# ---------------------------------------------------------------------------

def static_file(name: str, root: Path = STATIC_DIR) -> Optional[Path]:
    """The file under ``root`` a URL path names, or None (missing, hidden, outside root, unknown type)."""
    if not name or "\\" in name or "\x00" in name:
        return None
    parts = name.split("/")
    if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        return None
    path = (root / Path(*parts)).resolve()
    try:
        path.relative_to(root.resolve())
    except ValueError:
        return None
    if path.suffix not in CONTENT_TYPES or not path.is_file():
        return None
    return path


def static_headers(path: Path) -> Dict[str, str]:
    headers = {"X-Content-Type-Options": "nosniff"}
    if path.suffix == ".html":
        headers["Content-Security-Policy"] = PAGE_POLICY
    elif path.suffix == ".svg":
        headers["Content-Security-Policy"] = SVG_POLICY
    # Images change rarely; the page and the widget code must update when the bot does.
    headers["Cache-Control"] = "public, max-age=86400" if path.parent.name == "images" else "no-cache"
    return headers


@functools.lru_cache(maxsize=1)
def exports() -> PrivacyRecords:
    settings = RedisSettings.from_env()
    return PrivacyRecords(async_client(settings), settings.key_prefix, default_sealer())


def shop_blueprint(root: Path = STATIC_DIR) -> Blueprint:
    """``/shop/`` (demo shop page with the widget) and ``/shop/<file>`` (widget, styles, images)."""
    shop = Blueprint("shopbot_widget", url_prefix=SHOP_PREFIX)

    async def send(path: Optional[Path]) -> HTTPResponse:
        if path is None:
            return response.text("not found", status=404)
        content_type = CONTENT_TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0]
        return response.raw(path.read_bytes(), content_type=content_type, headers=static_headers(path))

    # /shop and /shop/ alike (the page links its files by absolute paths)
    @shop.route("/", methods=["GET", "HEAD"], name="shop_index", strict_slashes=False)
    async def shop_index(_: Request) -> HTTPResponse:
        return await send(static_file("index.html", root))

    @shop.route("/demo-login", methods=["GET"], name="shop_demo_login")
    async def demo_login(request: Request) -> HTTPResponse:
        """The demo shop's "logged-in customer": a signed token for one of DEMO_CUSTOMERS (off: SHOPBOT_DEMO_LOGIN=0)."""
        customer = request.args.get("customer") or ""
        secret = token_secret()
        if os.environ.get("SHOPBOT_DEMO_LOGIN", "1") == "0" or not secret or customer not in DEMO_CUSTOMERS:
            return response.json({"error": "no such demo customer here"}, status=404)
        token = sign_customer_token(customer, secret, DEMO_TOKEN_SECONDS, DEMO_CUSTOMERS[customer])
        return response.json({"token": token, "customer": customer, "name": DEMO_CUSTOMERS[customer]},
                             headers={"Cache-Control": "no-store"})

    @shop.route("/demo-link-code", methods=["POST"], name="shop_demo_link_code")
    async def demo_link_code(request: Request) -> HTTPResponse:
        """The demo shop's "我的账户 → 绑定微信/Telegram": a one-time code from the demo order system."""
        customer = request.args.get("customer") or ""
        url, token = os.environ.get("ORDER_SYSTEM_URL", "").rstrip("/"), os.environ.get("ORDER_SYSTEM_TOKEN", "")
        if os.environ.get("SHOPBOT_DEMO_LOGIN", "1") == "0" or not url or customer not in DEMO_CUSTOMERS:
            return response.json({"error": "no such demo customer here"}, status=404)
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as session:
                async with session.post(f"{url}/customers/{customer}/link-codes",
                                        headers={"Authorization": f"Bearer {token}"}) as answer:
                    body = await answer.json(content_type=None) if answer.status == 200 else {}
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            logger.warning("demo link code: the order system did not answer: %s", error)
            body = {}
        if not isinstance(body, dict) or not isinstance(body.get("code"), str):
            return response.json({"error": "the order system gave no code; try again"}, status=503)
        return response.json({"code": body["code"], "expires_in": body.get("expires_in")},
                             headers={"Cache-Control": "no-store"})

    @shop.route("/my-data/<token:str>", methods=["GET"], name="shop_my_data")
    async def my_data(_: Request, token: str) -> HTTPResponse:
        """A customer's data export (导出我的数据, bot/privacy/requests.py), for 24 hours after it was made."""
        document = await exports().export(token) if len(token) <= 64 else None
        if document is None:
            return response.text("这个下载链接已过期或不存在，请在聊天里重新发送“导出我的数据”。", status=404,
                                 content_type="text/plain; charset=utf-8")
        return response.raw(document.encode(), content_type="application/json; charset=utf-8", headers={
            "Content-Disposition": 'attachment; filename="my-data.json"', "Cache-Control": "no-store"})

    @shop.route("/<name:path>", methods=["GET", "HEAD"], name="shop_file")
    async def shop_file(_: Request, name: str) -> HTTPResponse:
        return await send(static_file(name or "index.html", root))

    return shop


class WidgetSocketBlueprint(SocketBlueprint):
    """Rasa's socket blueprint that also mounts the widget's files at ``/shop/``.

    Rasa mounts a channel's blueprint under ``/webhooks/socketio``; the socket.io
    endpoint is attached to the app itself (``/socket.io``), and so are the
    widget's files, from here, so that the embed URL stays short.
    """

    def register(self, app: Sanic, options: Dict[Text, Any]) -> None:
        super().register(app, options)
        if "shopbot_widget" not in app.blueprints:
            app.blueprint(shop_blueprint())


# ---------------------------------------------------------------------------
# The channel
# ---------------------------------------------------------------------------

class SocketIOWidgetOutput(SocketIOOutput):
    """Rasa's socketio output; custom payloads that are not emit arguments go as ``{"custom": ...}``."""

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        await self.sio.emit(self.bot_message_evt, **custom_emit_arguments(json_message, recipient_id))


class SocketIOWidgetInput(SocketIOInput):
    """Rasa's socketio channel (named ``socketio``) that refuses bad input politely and serves the widget."""

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    def get_output_channel(self) -> Optional[OutputChannel]:
        channel = super().get_output_channel()
        return None if channel is None else SocketIOWidgetOutput(self.sio, self.bot_message_evt)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # Same as Rasa's: other origins are allowed here and checked by Sanic's CORS (--cors).
        on_new_message = gated(on_new_message)
        sio = WidgetSocketServer(async_mode="sanic", cors_allowed_origins=[], max_http_buffer_size=MAX_PACKET_BYTES)
        socketio_webhook = WidgetSocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio
        namespace = self.namespace
        redis_client, key_prefix = _redis()
        outbox = Outbox(redis_client, key_prefix) if redis_client is not None else None
        ledger = MessageLedger(redis_client, key_prefix, self.name())

        def holds_session(session_id: str) -> bool:
            try:
                return any(True for _ in sio.manager.get_participants(namespace or "/", session_id))
            except (KeyError, TypeError):
                return False

        async def deliver_kept(session_id: str) -> None:
            """Emits what waits in the outbox for a session this server holds."""
            if outbox is None or not holds_session(session_id):
                return
            kept = await outbox.take(session_id)
            for number, message in enumerate(kept):
                try:
                    await sio.emit(self.bot_message_evt, outbox_payload(message), room=session_id, namespace=namespace)
                except Exception:
                    await outbox.give_back(session_id, kept[number:])  # the next visit gets them
                    raise

        if outbox is not None:
            @socketio_webhook.listener("after_server_start")
            async def listen_to_outbox(app, loop) -> None:
                app.ctx.shopbot_outbox_task = loop.create_task(outbox.listen(deliver_kept))

            @socketio_webhook.listener("before_server_stop")
            async def stop_listening(app, loop) -> None:
                task = getattr(app.ctx, "shopbot_outbox_task", None)
                if task is not None:
                    task.cancel()

        @socketio_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict] = None) -> bool:
            if self.jwt_key:
                token = auth.get("token") if isinstance(auth, dict) else None
                if not token or not rasa.core.channels.channel.decode_bearer_token(
                    token, self.jwt_key, self.jwt_algorithm
                ):
                    return False
            logger.debug("socketio client %s connected", sid)
            return True

        @sio.on("disconnect", namespace=namespace)
        async def disconnect(sid: Text, *_sent: Any) -> None:
            # *_sent: a client may itself emit an event named "disconnect", with data (the fuzz run did)
            logger.debug("socketio client %s disconnected", sid)

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: Text, data: Any = None) -> None:
            session_id = session_id_from_request(data)
            if self.session_persistence:
                await maybe_await(sio.enter_room(sid, session_id, namespace=namespace))
            await sio.emit("session_confirm", session_id, room=sid, namespace=namespace)
            logger.debug("socketio client %s joined session %s", sid, session_id)
            if self.session_persistence:
                try:
                    await deliver_kept(session_id)
                except Exception as error:  # Redis down: they stay kept for the next visit
                    logger.warning("kept messages of %s not delivered: %s", session_id, error)

        async def refuse(sid: Text, error: WidgetMessageError, data: Any) -> str:
            preview = repr(data)[:200]
            logger.warning("refused a %s from socketio client %s: %s (%s)", self.user_message_evt, sid, error, preview)
            await sio.emit(self.bot_message_evt, {"text": error.reply}, room=sid, namespace=namespace)
            return "refused"

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: Text, data: Any = None) -> str:
            try:
                message = parse_user_message(data, self.metadata_key or "metadata", self.session_persistence,
                                             token_secret())
            except WidgetMessageError as error:
                return await refuse(sid, error, data)
            if self.session_persistence:
                sender_id = message.session_id or sid
                # The reply goes to the session's room; a client whose session_request
                # was overtaken by this message (after a reconnect) must still get it.
                if sender_id not in sio.rooms(sid, namespace=namespace):
                    await maybe_await(sio.enter_room(sid, sender_id, namespace=namespace))
            else:
                sender_id = sid
            if message.message_id and not await ledger.first_time(f"{sender_id}:{message.message_id}"):
                logger.info("ignored message %s of %s: already taken", message.message_id, sender_id)
                return "duplicate"
            output_channel = SocketIOWidgetOutput(sio, self.bot_message_evt)
            user_message = UserMessage(
                message.text, output_channel, sender_id, input_channel=self.name(), metadata=message.metadata,
            )
            try:
                await on_new_message(user_message)
            except Exception as error:
                logger.exception("processing a socketio message from %s failed", sender_id)
                await output_channel.send_text_message(sender_id, failure_reply(error))
                return "failed"
            return "ok"

        return socketio_webhook


__all__ = [
    "SocketIOWidgetInput", "SocketIOWidgetOutput", "WidgetMessage", "WidgetMessageError",
    "parse_user_message", "parse_metadata", "session_id_from_request", "usable_id",
    "custom_emit_arguments", "static_file", "shop_blueprint", "maybe_await",
]
