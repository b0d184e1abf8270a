"""The REST channel (``POST /webhooks/rest/webhook``) with its input checked.

Rasa's own ``RestInput`` answers a JSON list or a ``null`` message with a 500,
files a missing ``sender`` under one shared conversation called "default",
and when processing fails returns ``[]``: the customer's message is silently
lost.  This channel keeps Rasa's protocol and routes, and instead answers a
malformed request with a 400 that says what is wrong, and a failure while
processing with a polite apology.

The customer (``customer-identity.md``): ``Authorization: Bearer <token>``, a
token the shop signed, says who they are; the ``sender`` only names the chat.
A token that fails verification is a 401 with the reason, and the message is
not processed; no header: a guest.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint
from sanic.exceptions import InvalidUsage as BadRequest  # Sanic 21 calls a 400 InvalidUsage
from sanic.exceptions import Unauthorized
from sanic.request import Request

from bot.channels.conversation_gate import gated
from bot.channels.texts import failure_reply
from bot.identity import CustomerIdentity, TokenRejected, token_secret, verify_customer_token, with_identity
from bot.store.redis_client import storable_text

logger = logging.getLogger(__name__)

# Every character can become a token, and DIET's attention grows with the square of the tokens: a
# 19,000-character message took 6 GB and over 30 s in the fuzz run.  A shopper's message is far shorter.
MAX_MESSAGE_CHARS = 2_000
MAX_SENDER_CHARS = 256
# A message's metadata travels in every copy of the turn (tracker, Redis, the action server's
# request, the trackers kept in memory): a megabyte of it per message filled 14 GB of the rasa
# server in the fuzz run.  Widgets send a token and a few fields.
MAX_METADATA_CHARS = 4_000


def metadata_problem(metadata: Any) -> Optional[str]:
    """Why the metadata cannot travel with the turn (encoded once, on every message), or None."""
    try:
        encoded = json.dumps(metadata, ensure_ascii=False, default=str)
    except (RecursionError, ValueError, TypeError):
        return "is nested too deep to read"
    if len(encoded) > MAX_METADATA_CHARS:
        return f"is larger than {MAX_METADATA_CHARS} characters as JSON"
    try:
        encoded.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate ("\ud800"): Redis could not store the turn
        return "holds a lone surrogate (like \\ud800), which is not text"
    return None


class RestPayloadError(ValueError):
    """The request body is not a message we can take; the text says why."""


@dataclass(frozen=True)
class RestPayload:
    sender: str
    message: str
    input_channel: Optional[str] = None
    metadata: Dict[str, Any] = field(default_factory=dict)


def identity_from_header(authorization: Optional[str], secret: Optional[str]) -> Optional[CustomerIdentity]:
    """The customer an ``Authorization: Bearer`` header proves; None without one; TokenRejected if bad."""
    if authorization is None or not authorization.strip():
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise TokenRejected('the Authorization header must be "Bearer <customer token>"')
    return verify_customer_token(token.strip(), secret)


def parse_rest_payload(body: Any) -> RestPayload:
    if not isinstance(body, dict):
        raise RestPayloadError('the body must be a JSON object: {"sender": "...", "message": "..."}')
    sender = body.get("sender")
    if isinstance(sender, int) and not isinstance(sender, bool):
        sender = str(sender)
    if not isinstance(sender, str) or not sender.strip():
        raise RestPayloadError('"sender" must be a non-empty string that identifies the customer')
    if len(sender) > MAX_SENDER_CHARS:
        raise RestPayloadError(f'"sender" is longer than {MAX_SENDER_CHARS} characters')
    if not sender.isprintable():  # a lone surrogate or a control character: no id Redis can key
        raise RestPayloadError('"sender" must be printable text')
    message = body.get("message")
    if not isinstance(message, str):
        raise RestPayloadError('"message" must be a string (it may be empty)')
    message = storable_text(message)
    if len(message) > MAX_MESSAGE_CHARS:
        raise RestPayloadError(f'"message" is longer than {MAX_MESSAGE_CHARS} characters')
    metadata = body.get("metadata") or {}
    if not isinstance(metadata, dict):
        raise RestPayloadError('"metadata" must be a JSON object')
    problem = metadata_problem(metadata)
    if problem:
        raise RestPayloadError(f'"metadata" {problem}')
    channel = body.get("input_channel")
    if channel is not None and not isinstance(channel, str):
        raise RestPayloadError('"input_channel" must be a string')
    if channel is not None and (len(channel) > MAX_SENDER_CHARS or not channel.isprintable()):
        # the conversation index stores it beside every message (a lone surrogate could not be stored)
        raise RestPayloadError(f'"input_channel" must be printable text of at most {MAX_SENDER_CHARS} characters')
    return RestPayload(sender, message, channel, metadata)


class ValidatingRestInput(RestInput):
    """Rasa's REST channel, named ``rest``, refusing malformed requests with a 400."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    @staticmethod
    def _payload(request: Request) -> RestPayload:
        cached = getattr(request.ctx, "rest_payload", None)
        if cached is None:
            try:
                identity = identity_from_header(request.headers.get("Authorization"), token_secret())
            except TokenRejected as error:
                raise Unauthorized(f"customer token refused: {error}", scheme="Bearer") from None
            try:
                cached = parse_rest_payload(request.json)
            except RestPayloadError as error:
                raise BadRequest(str(error)) from None
            cached = RestPayload(cached.sender, cached.message, cached.input_channel,
                                 with_identity(cached.metadata, identity))
            request.ctx.rest_payload = cached
        return cached

    async def _extract_sender(self, req: Request) -> Optional[Text]:
        return self._payload(req).sender

    def _extract_message(self, req: Request) -> Optional[Text]:
        return self._payload(req).message

    def _extract_input_channel(self, req: Request) -> Text:
        return self._payload(req).input_channel or self.name()

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        return self._payload(request).metadata

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        on_new_message = gated(on_new_message)

        async def answer_even_on_failure(message: UserMessage) -> None:
            try:
                await on_new_message(message)
            except Exception as error:
                logger.exception("processing a REST message from %s failed", message.sender_id)
                await message.output_channel.send_text_message(message.sender_id, failure_reply(error))

        return super().blueprint(answer_even_on_failure)
