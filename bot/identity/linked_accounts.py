"""WeChat and Telegram accounts linked to shop customers (customer-identity.md, "WeChat and Telegram").

The channel proves the account (WeChat's signed callback gives the openid,
Telegram's secret token guards the webhook and gives the chat); the shop's
order system says which customer that account is linked to.  A customer links
an account by sending ``绑定 123456``, the one-time code the shop's site shows
them when logged in.  Unlinked accounts are guests.

:func:`linked` wraps a channel's ``on_new_message``: a link command is answered
on the spot; any other message carries the linked customer (if any) in its
metadata, exactly where the widget and REST put a verified token's customer.
Answers are cached in Redis for a few minutes, so the order system is not
asked on every message; if it cannot be asked, the customer is a guest for
that message (never someone else).
"""

from __future__ import annotations

import functools
import logging
import os
import re
import unicodedata
from typing import Any, Awaitable, Callable, Optional

import redis.asyncio
from rasa.core.channels.channel import UserMessage

from bot.identity.tokens import CustomerIdentity, with_identity
from bot.orders.system import OrderSystem, OrderSystemRefused, OrderSystemUnavailable

logger = logging.getLogger(__name__)

LINK_COMMAND = re.compile(r"^\s*(?:绑定|綁定|绑定账号|绑定帐号|/?bind)\s*[:：]?\s*(\d{6})\s*$", re.IGNORECASE)
LINKED_SECONDS = 300  # how long a known link is trusted without asking again
UNLINKED_SECONDS = 60  # how long "not linked" is, so a fresh link shows soon
OnNewMessage = Callable[[UserMessage], Awaitable[Any]]

LINKED_REPLY = "绑定成功🎉 这个账号已经关联到您的店铺账户，现在可以直接问我订单、物流和售后了。"
GROUP_CHAT_REPLY = "为了保护您的订单信息，只能在和我的私聊里绑定店铺账号哦。"
LINK_UNAVAILABLE_REPLY = "抱歉，店铺系统暂时无法完成绑定，请过几分钟再发一次绑定码。"


class LinkedAccounts:
    def __init__(self, order_system: OrderSystem, client: redis.asyncio.Redis, key_prefix: str) -> None:
        self.order_system = order_system
        self._redis = client
        self._prefix = key_prefix

    def _key(self, channel: str, account: str) -> str:
        return f"{self._prefix}:identity:account:{channel}:{account}"

    async def customer_for(self, channel: str, account: str) -> Optional[str]:
        """The linked customer, or None (a guest) — also when neither cache nor order system can say."""
        key = self._key(channel, account)
        try:
            cached = await self._redis.get(key)
        except Exception as error:
            logger.warning("linked accounts: cache unavailable (%s)", error)
            cached = None
        if cached is not None:
            return cached or None
        try:
            customer = await self.order_system.customer_for_account(channel, account)
        except (OrderSystemUnavailable, OrderSystemRefused) as error:
            logger.warning("linked accounts: order system unavailable (%s): %s:%s is a guest for now",
                           error, channel, account)
            return None
        try:
            await self._redis.set(key, customer or "", ex=LINKED_SECONDS if customer else UNLINKED_SECONDS)
        except Exception as error:
            logger.warning("linked accounts: cache unavailable (%s)", error)
        return customer

    async def link(self, channel: str, account: str, code: str) -> str:
        """Links the account with the shop's one-time code; the reply for the customer."""
        if channel == "telegram" and account.startswith("-"):
            return GROUP_CHAT_REPLY  # a group: everyone in it would see the customer's orders
        try:
            customer = await self.order_system.link_account(channel, account, code)
        except OrderSystemRefused as refusal:
            return f"绑定没有成功：{refusal.message}。"
        except OrderSystemUnavailable as error:
            logger.warning("linked accounts: cannot link %s:%s: %s", channel, account, error)
            return LINK_UNAVAILABLE_REPLY
        try:
            await self._redis.set(self._key(channel, account), customer, ex=LINKED_SECONDS)
        except Exception as error:
            logger.warning("linked accounts: cache unavailable (%s)", error)
        return LINKED_REPLY

    def wrap(self, on_new_message: OnNewMessage) -> OnNewMessage:
        async def with_customer(message: UserMessage) -> Any:
            channel, account = message.input_channel or "", message.sender_id
            command = LINK_COMMAND.match(unicodedata.normalize("NFKC", message.text or ""))
            if command:
                await message.output_channel.send_text_message(account, await self.link(channel, account,
                                                                                          command.group(1)))
                return None
            customer = await self.customer_for(channel, account)
            if customer:
                message.metadata = with_identity(message.metadata, CustomerIdentity(customer))
            return await on_new_message(message)

        return with_customer


@functools.lru_cache(maxsize=1)
def default_linked_accounts() -> Optional[LinkedAccounts]:
    """From the environment: None (everyone on WeChat and Telegram is a guest) without an order system."""
    from bot.orders.http_adapter import HttpOrderSystem, OrderSystemSettings
    from bot.settings import RedisSettings
    from bot.store.redis_client import async_client

    if not os.environ.get("ORDER_SYSTEM_URL"):
        logger.warning("ORDER_SYSTEM_URL is not set: WeChat and Telegram accounts cannot be linked to customers")
        return None
    try:
        settings = RedisSettings.from_env()
        return LinkedAccounts(HttpOrderSystem(OrderSystemSettings.from_env()), async_client(settings),
                              settings.key_prefix)
    except ValueError as error:
        logger.error("linked accounts are off: %s", error)
        return None


def linked(on_new_message: OnNewMessage) -> OnNewMessage:
    """``on_new_message`` with the linked customer in each message (WeChat and Telegram call this)."""
    accounts = default_linked_accounts()
    return accounts.wrap(on_new_message) if accounts is not None else on_new_message
