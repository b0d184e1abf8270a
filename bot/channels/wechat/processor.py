"""The WeChat callback protocol as a plain class: request in, HTTP answer out.

:class:`WeChatCallback` knows nothing of Sanic or Rasa: it is given the query
parameters and body of a request, and a ``process`` coroutine that runs the
bot for one customer message and returns the bot's messages (Rasa's dicts).
The Official Account and WeCom differ only in their :class:`CallbackConfig`
(``kind``) and API client.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional

import redis.asyncio

from bot.channels import rendering
from bot.channels.background import BackgroundTasks
from bot.channels.dedup import PUSHED, REPLIED, MessageLedger
from bot.channels import texts
from bot.channels.texts import failure_reply
from bot.channels.wechat import messages as wx
from bot.channels.wechat.api import BaseApiClient
from bot.channels.wechat.crypto import WeChatCipher, WeChatCryptoError
from bot.channels.wechat.signature import check_msg_signature, check_signature, sign, timestamp_fresh
from bot.channels.wechat.xmlsafe import MAX_BODY_BYTES, WeChatXmlError, parse_xml

logger = logging.getLogger(__name__)

OFFICIAL_ACCOUNT = "official_account"
WECOM = "wecom"

CHOICES_TTL_SECONDS = 24 * 3600

Process = Callable[[str, str, Dict[str, Any]], Awaitable[List[Dict[str, Any]]]]


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    body: str
    content_type: str = "text/plain; charset=utf-8"


def success() -> HttpAnswer:
    """WeChat's "received, no passive reply": it neither retries nor shows anything."""
    return HttpAnswer(200, "success")


@dataclass(frozen=True)
class CallbackConfig:
    kind: str = OFFICIAL_ACCOUNT
    channel: str = "wechat"
    token: str = ""
    app_id: str = ""  # the Official Account's AppID, or WeCom's CorpID
    app_secret: str = ""
    encoding_aes_key: str = ""
    agent_id: str = ""  # WeCom only
    api_base: str = "https://api.weixin.qq.com"
    passive_reply_seconds: float = 4.0
    max_clock_skew_seconds: int = 300
    dedup_ttl_seconds: int = 3600
    # Messages handed to the bot at once.  Rasa's NLU runs on the event loop: many interleaved
    # messages make every one of them late, a few at a time keeps the early ones in time and lets
    # the rest fall back to "success" + push instead of starving the loop.
    max_concurrent: int = 3
    welcome: str = wx.DEFAULT_WELCOME
    missing: tuple = ()  # required settings that are not set: the webhook answers 503

    @property
    def configured(self) -> bool:
        return not self.missing

    @property
    def can_push(self) -> bool:
        return bool(self.app_id and self.app_secret and (self.kind != WECOM or self.agent_id))


@dataclass
class Request:
    query: Mapping[str, str]
    body: bytes = b""


class WeChatCallback:
    def __init__(
        self,
        config: CallbackConfig,
        process: Process,
        redis_client: Optional[redis.asyncio.Redis],
        key_prefix: str,
        api: Optional[BaseApiClient] = None,
    ) -> None:
        self.config = config
        self.process = process
        self.redis = redis_client
        self.key_prefix = key_prefix
        self.ledger = (
            MessageLedger(redis_client, key_prefix, config.channel, config.dedup_ttl_seconds) if redis_client else None
        )
        self.api = api
        self.cipher: Optional[WeChatCipher] = None
        self.cipher_problem = ""
        if config.encoding_aes_key:
            try:
                self.cipher = WeChatCipher(config.encoding_aes_key, config.app_id)
            except WeChatCryptoError as error:
                self.cipher_problem = str(error)
        self._background = BackgroundTasks()
        self._slots = asyncio.Semaphore(max(1, config.max_concurrent))
        self.processed = 0  # messages handed to the bot by this process (for tests and logs)

    # ---- HTTP entry points -------------------------------------------------------------

    def not_configured(self) -> Optional[HttpAnswer]:
        if self.config.configured:
            return None
        return HttpAnswer(503, f"{self.config.channel} channel not configured: set {', '.join(self.config.missing)}")

    async def verify(self, query: Mapping[str, str]) -> HttpAnswer:
        """GET: the console's URL verification."""
        refusal = self.not_configured()
        if refusal:
            return refusal
        timestamp, nonce, echostr = query.get("timestamp"), query.get("nonce"), query.get("echostr")
        if not echostr:
            return HttpAnswer(400, "echostr is missing")
        if self.config.kind == WECOM:
            if not check_msg_signature(self.config.token, query.get("msg_signature"), timestamp, nonce, echostr):
                return HttpAnswer(403, "bad signature")
            if self.cipher is None:
                return HttpAnswer(503, f"{self.config.channel} channel not configured: {self.cipher_problem or 'no EncodingAESKey'}")
            try:
                return HttpAnswer(200, self.cipher.decrypt(echostr))
            except WeChatCryptoError as error:
                return HttpAnswer(403 if "AppID" in str(error) else 400, f"cannot decrypt echostr: {error}")
        if not check_signature(self.config.token, query.get("signature"), timestamp, nonce):
            return HttpAnswer(403, "bad signature")
        return HttpAnswer(200, echostr)

    async def receive(self, request: Request) -> HttpAnswer:
        """POST: one message or event from WeChat."""
        refusal = self.not_configured()
        if refusal:
            return refusal
        if len(request.body) > MAX_BODY_BYTES:
            return HttpAnswer(413, f"the body is larger than {MAX_BODY_BYTES} bytes")
        query = request.query
        timestamp, nonce = query.get("timestamp"), query.get("nonce")
        encrypted = self.config.kind == WECOM or (query.get("encrypt_type") or "").lower() == "aes"
        if not encrypted and not check_signature(self.config.token, query.get("signature"), timestamp, nonce):
            return HttpAnswer(403, "bad signature")
        try:
            fields = parse_xml(request.body)
        except WeChatXmlError as error:
            return HttpAnswer(400, str(error))
        if encrypted:
            envelope = fields.get("Encrypt", "")
            if not check_msg_signature(self.config.token, query.get("msg_signature"), timestamp, nonce, envelope):
                return HttpAnswer(403, "bad signature")
            if self.cipher is None:
                return HttpAnswer(503, f"{self.config.channel} safe mode not configured: "
                                       f"{self.cipher_problem or 'set the EncodingAESKey'}")
            try:
                fields = parse_xml(self.cipher.decrypt(envelope))
            except WeChatCryptoError as error:
                return HttpAnswer(403 if "AppID" in str(error) else 400, f"cannot decrypt: {error}")
            except WeChatXmlError as error:
                return HttpAnswer(400, f"decrypted message: {error}")
        if not timestamp_fresh(timestamp, self.config.max_clock_skew_seconds):
            return HttpAnswer(403, "stale timestamp (replayed request?)")
        try:
            incoming = wx.parse_incoming(fields)
        except wx.WeChatMessageError as error:
            return HttpAnswer(400, str(error))
        reply_text = await self._answer(incoming)
        if reply_text is None:
            return success()
        return self._reply(incoming, reply_text, encrypted, nonce or "")

    # ---- what to answer ----------------------------------------------------------------

    async def _answer(self, incoming: wx.Incoming) -> Optional[str]:
        """The passive reply's text, or None for ``success``."""
        kind = incoming.msg_type
        if kind == "text":
            return await self._converse(incoming, incoming.content)
        if kind == "voice" and incoming.recognition.strip():
            return await self._converse(incoming, incoming.recognition)
        if kind == "event":
            if incoming.event == "subscribe":
                return self.config.welcome
            if incoming.event == "click" and incoming.event_key.strip():
                return await self._converse(incoming, incoming.event_key)
            return None  # unsubscribe, view, scan, location reports, enter_agent…: nothing to say
        if kind in ("image", "voice", "video", "shortvideo", "file", "link"):
            return texts.NOT_TEXT_REPLY
        if kind == "location":
            return texts.LOCATION_REPLY
        return texts.UNKNOWN_REPLY

    async def _converse(self, incoming: wx.Incoming, text: str) -> Optional[str]:
        key = incoming.dedup_key
        if self.ledger is not None:
            try:
                first = await self.ledger.claim(key)
            except redis.RedisError:
                logger.exception("Redis is unavailable: processing %s without deduplication", key)
                first = True
            if not first:
                return await self._repeated(key)
        task = asyncio.ensure_future(self._run_bot(incoming, text))
        try:
            done, _ = await asyncio.wait({task}, timeout=self.config.passive_reply_seconds)
        except asyncio.CancelledError:
            # WeChat hung up before we answered: the answer is pushed, never lost, never repeated.
            self._in_background(self._settle_and_push(key, incoming.from_user, task))
            raise
        if task in done:
            pieces = task.result()
            if len(pieces) > 1:
                self._in_background(self._push(incoming.from_user, pieces[1:]))
            await self._settle(key, REPLIED, pieces[:1])
            return pieces[0] if pieces else None
        # Too slow for a passive reply: "success" now, the answer through the customer-service API.
        await self._settle(key, PUSHED)
        self._in_background(self._push_when_done(incoming.from_user, task))
        logger.info("%s: the bot took over %.1fs for %s; its answer will be pushed",
                    self.config.channel, self.config.passive_reply_seconds, key)
        return None

    async def _repeated(self, key: str) -> Optional[str]:
        """WeChat delivered a message again: never process it twice; repeat a passive reply."""
        try:
            outcome = await self.ledger.wait_settled(key, self.config.passive_reply_seconds)
        except redis.RedisError:
            logger.exception("Redis is unavailable while %s is delivered again", key)
            return None
        logger.info("%s: %s delivered again (%s)", self.config.channel, key, outcome.state if outcome else "in progress")
        if outcome is not None and outcome.state == REPLIED and outcome.replies:
            return outcome.replies[0]
        return None

    async def _settle(self, key: str, state: str, replies: Optional[List[str]] = None) -> None:
        if self.ledger is None:
            return
        try:
            await self.ledger.settle(key, state, replies)
        except redis.RedisError:
            logger.exception("could not record what became of %s", key)

    async def _run_bot(self, incoming: wx.Incoming, text: str) -> List[str]:
        """The bot's answer as text pieces that fit WeChat's limit; an apology if it fails."""
        user = incoming.from_user
        text = await self._resolve_choice(user, text)
        metadata = {"wechat": {"account": incoming.to_user, "msg_id": incoming.msg_id, "kind": self.config.kind}}
        self.processed += 1
        try:
            async with self._slots:
                bot_messages = await self.process(user, text, metadata)
            rendered = rendering.render_plain(bot_messages)
        except Exception as error:
            logger.exception("%s: processing a message from %s failed", self.config.channel, user)
            return [failure_reply(error)]
        await self._remember_choices(user, rendered.choices)
        return rendering.split_utf8(rendered.text, wx.MAX_TEXT_BYTES)

    # ---- numbered choices (buttons and cards on a text-only channel) -------------------

    def _choices_key(self, user: str) -> str:
        return f"{self.key_prefix}:{self.config.channel}:choices:{user}"

    async def _resolve_choice(self, user: str, text: str) -> str:
        if self.redis is None or not rendering.is_number_reply(text):
            return text
        try:
            raw = await self.redis.get(self._choices_key(user))
            stored = [rendering.Choice(str(t), str(p)) for t, p in json.loads(raw)] if raw else []
        except (redis.RedisError, ValueError, TypeError):
            return text
        choice = rendering.choice_for_reply(text, stored)
        return choice.payload if choice else text

    async def _remember_choices(self, user: str, choices: List[rendering.Choice]) -> None:
        if self.redis is None:
            return
        try:
            if choices:
                value = json.dumps([[c.title, c.payload] for c in choices], ensure_ascii=False)
                await self.redis.set(self._choices_key(user), value, ex=CHOICES_TTL_SECONDS)
            else:
                await self.redis.delete(self._choices_key(user))
        except redis.RedisError:
            logger.warning("could not store the numbered choices for %s", user)

    # ---- pushing through the customer-service API --------------------------------------

    def _in_background(self, coroutine: Awaitable[None]) -> None:
        self._background.start(coroutine)

    async def _settle_and_push(self, key: str, user: str, task: "asyncio.Future[List[str]]") -> None:
        await self._settle(key, PUSHED)
        await self._push_when_done(user, task)

    async def _push_when_done(self, user: str, task: "asyncio.Future[List[str]]") -> None:
        await self._push(user, await task)

    async def _push(self, user: str, pieces: List[str]) -> None:
        if not pieces:
            return
        if self.api is None or not self.config.can_push:
            logger.error("%s: cannot deliver a slow answer to %s: the API credentials are not set",
                         self.config.channel, user)
            return
        for piece in pieces:
            try:
                await self.api.send_text(user, piece)
            except Exception:
                logger.exception("%s: sending a customer-service message to %s failed", self.config.channel, user)
                return

    async def drain(self, timeout: float = 30.0) -> None:
        """Wait for answers still being pushed (tests, shutdown)."""
        await self._background.drain(timeout)

    # ---- the passive reply -------------------------------------------------------------

    def _reply(self, incoming: wx.Incoming, text: str, encrypted: bool, nonce: str) -> HttpAnswer:
        xml = wx.text_reply_xml(incoming, text)
        if not encrypted or self.cipher is None:
            return HttpAnswer(200, xml, "application/xml; charset=utf-8")
        timestamp = str(int(time.time()))
        envelope = self.cipher.encrypt(xml)
        signature = sign(self.config.token, timestamp, nonce, envelope)
        return HttpAnswer(200, wx.encrypted_envelope(envelope, signature, timestamp, nonce),
                          "application/xml; charset=utf-8")


__all__ = ["WeChatCallback", "CallbackConfig", "HttpAnswer", "Request", "OFFICIAL_ACCOUNT", "WECOM"]
