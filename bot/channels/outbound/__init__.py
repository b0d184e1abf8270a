"""One outbound layer: messages to a customer that do not answer an incoming one.

Agent replies and handoff notices today; alerts and ticket updates use the
same door.  :class:`Outbound` picks the way by the channel the customer wrote
from (the conversation index knows it):

* ``socketio`` (web widget): kept in the :class:`~bot.channels.outbound.outbox.Outbox`;
  the rasa server holding the customer's session emits it live, and a widget
  that is offline gets it when it reconnects.  ``delivered`` says whether a
  session took it within a second and a half.
* ``rest``: kept in the outbox and returned before the bot's answer to the
  customer's next request (``delivered`` is false until then).
* ``wechat``: WeChat's customer-service message API, inside its 48-hour window
  and per-message limit (``wechat.py``); WeChat's refusals are the ``detail``.
* ``telegram``: Bot API ``sendMessage``; a blocked bot (403) is the ``detail``.

Credentials come from the same environment variables as the channels
(``WECHAT_APP_ID``, ``WECHAT_APP_SECRET``, ``WECHAT_API_BASE``, ``WECOM_*``,
``TELEGRAM_TOKEN``, ``TELEGRAM_API_BASE``), so the console needs no Rasa.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Dict, Mapping, Optional

import aiohttp

from bot.channels.outbound import telegram, wechat
from bot.channels.outbound.outbox import Outbox
from bot.channels.wechat.api import BaseApiClient, OfficialAccountApi, WeComApi
from bot.store.conversations import ConversationIndex

WIDGET_WAIT_SECONDS = 1.5


@dataclass(frozen=True)
class Delivery:
    """``outcome``: delivered; kept (in the outbox, for the next visit); refused (WeChat's window or
    limit); blocked (the customer blocked the bot); failed (not configured, or the channel's API failed)."""

    delivered: bool
    detail: str
    outcome: str = "delivered"

    def as_dict(self) -> Dict[str, Any]:
        return {"delivered": self.delivered, "detail": self.detail}


@dataclass(frozen=True)
class PushCredentials:
    """What the push channels need, read from the channels' own environment variables."""

    wechat_api_base: str = "https://api.weixin.qq.com"
    wechat_app_id: str = ""
    wechat_app_secret: str = ""
    wecom_api_base: str = "https://qyapi.weixin.qq.com"
    wecom_corp_id: str = ""
    wecom_secret: str = ""
    wecom_agent_id: str = ""
    telegram_api_base: str = "https://api.telegram.org"
    telegram_token: str = ""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> "PushCredentials":
        get = lambda name, default="": (environ.get(name) or default).strip()  # noqa: E731
        return cls(
            wechat_api_base=get("WECHAT_API_BASE", cls.wechat_api_base),
            wechat_app_id=get("WECHAT_APP_ID"), wechat_app_secret=get("WECHAT_APP_SECRET"),
            wecom_api_base=get("WECOM_API_BASE", cls.wecom_api_base),
            wecom_corp_id=get("WECOM_CORP_ID"), wecom_secret=get("WECOM_SECRET"),
            wecom_agent_id=get("WECOM_AGENT_ID"),
            telegram_api_base=get("TELEGRAM_API_BASE", cls.telegram_api_base),
            telegram_token=get("TELEGRAM_TOKEN"),
        )


class Outbound:
    def __init__(self, index: ConversationIndex, outbox: Outbox, credentials: Optional[PushCredentials] = None,
                 widget_wait_seconds: float = WIDGET_WAIT_SECONDS) -> None:
        self.index = index
        self.outbox = outbox
        self.credentials = credentials or PushCredentials.from_env()
        self.widget_wait_seconds = widget_wait_seconds
        self._apis: Dict[str, BaseApiClient] = {}
        self._session: Optional[aiohttp.ClientSession] = None

    async def close(self) -> None:
        for api in self._apis.values():
            await api.close()
        if self._session is not None:
            await self._session.close()

    def _wechat_api(self, channel: str) -> Optional[BaseApiClient]:
        c = self.credentials
        if channel not in self._apis:
            if channel == "wechat" and c.wechat_app_id and c.wechat_app_secret:
                self._apis[channel] = OfficialAccountApi(c.wechat_api_base, c.wechat_app_id, c.wechat_app_secret)
            elif channel == "wecom" and c.wecom_corp_id and c.wecom_secret and c.wecom_agent_id:
                self._apis[channel] = WeComApi(c.wecom_api_base, c.wecom_corp_id, c.wecom_secret, c.wecom_agent_id)
        return self._apis.get(channel)

    async def send(self, conversation_id: str, text: str, agent: Optional[str] = None,
                   card: Optional[Dict[str, Any]] = None) -> Delivery:
        """Sends ``text`` to the customer of ``conversation_id`` the way their channel allows.

        ``card`` (a ``product_cards`` payload) goes to the widget and REST as cards;
        WeChat and Telegram get the text only, which must name the product itself.
        """
        conversation = await self.index.get(conversation_id)
        channel = conversation.channel if conversation else ""
        kept = {"text": text, "agent": agent, **({"card": card} if card else {})}
        if channel in ("socketio", ""):
            return await self._to_widget(conversation_id, kept)
        if channel == "rest":
            await self.outbox.push(conversation_id, kept)
            return Delivery(False, "REST 渠道无法主动推送：消息已保存，随客户的下一次请求一起返回", "kept")
        if channel in ("wechat", "wecom"):
            api = self._wechat_api(channel)
            if api is None:
                return Delivery(False, f"{channel} 的接口凭据没有配置，无法发送客服消息", "failed")
            refused = None
            if channel == "wechat":
                refused = wechat.refusal(conversation.customer_at, conversation.pushed, now=self.index.now())
            if refused:
                return Delivery(False, refused, "refused")
            failure = await wechat.send(api, conversation_id, text)
            if failure:
                return Delivery(False, failure, "refused" if failure in wechat.WINDOW_REFUSALS else "failed")
            await self.index.note_pushed(conversation_id)
            return Delivery(True, "已通过微信客服消息发送")
        if channel == "telegram":
            if not self.credentials.telegram_token:
                return Delivery(False, "TELEGRAM_TOKEN 没有配置，无法发送", "failed")
            if self._session is None or self._session.closed:
                self._session = aiohttp.ClientSession()
            failure = await telegram.send(self._session, self.credentials.telegram_api_base,
                                          self.credentials.telegram_token, conversation_id, text)
            if failure is None:
                return Delivery(True, "已通过 Telegram 发送")
            return Delivery(False, failure, "blocked" if failure == telegram.BLOCKED else "failed")
        return Delivery(False, f"渠道 {channel} 不支持主动发送消息", "failed")

    async def _to_widget(self, conversation_id: str, kept: Dict[str, Any]) -> Delivery:
        message_id = await self.outbox.push(conversation_id, kept)
        if await self.outbox.wait_taken(conversation_id, message_id, self.widget_wait_seconds):
            return Delivery(True, "已送达客户的聊天窗口")
        return Delivery(False, "客户当前不在线：消息已保存，客户重新打开聊天窗口时会收到", "kept")


__all__ = ["Outbound", "Delivery", "PushCredentials", "Outbox"]
