"""Sending to a WeChat customer outside a reply: the customer-service message API and its rules.

WeChat lets an Official Account write to a customer for 48 hours after the
customer's last message, and only a few messages per customer message (errors
45015 "response out of time limit" and 45047 "out of response count limit").
The conversation index knows when the customer last wrote and how many
messages went out since, so a send that WeChat would refuse is not attempted;
and when WeChat refuses anyway, its error is what the agent is told.
"""

from __future__ import annotations

import time
from typing import Optional

from bot.channels.wechat.api import BaseApiClient, WeChatApiError

WINDOW_SECONDS = 48 * 3600
MESSAGES_PER_CUSTOMER_MESSAGE = 5
ERRORS = {
    45015: "超过 48 小时回复时限：客户 48 小时内没有发过消息，微信不允许主动发送（45015）",
    45047: "超过客服消息条数上限：客户再发一条消息后才能继续回复（45047）",
    43004: "客户未关注公众号或已取消关注（43004）",
    40003: "客户的 openid 无效（40003）",
}
# Refusals that end when the customer writes again: a message can wait for that.
WINDOW_REFUSALS = (ERRORS[45015], ERRORS[45047])


def refusal(customer_at: Optional[float], pushed: int, now: Optional[float] = None) -> Optional[str]:
    """Why WeChat would refuse a message now, or None."""
    now = time.time() if now is None else now
    if customer_at is None or now - customer_at > WINDOW_SECONDS:
        return ERRORS[45015]
    if pushed >= MESSAGES_PER_CUSTOMER_MESSAGE:
        return ERRORS[45047]
    return None


def describe_error(error: Exception) -> str:
    if isinstance(error, WeChatApiError):
        return ERRORS.get(error.errcode, f"微信接口错误 {error.errcode}：{error.errmsg}")
    return f"微信接口暂时不可用：{error}"


async def send(api: BaseApiClient, openid: str, text: str) -> Optional[str]:
    """Sends ``text``; returns None on success, else what the agent should read."""
    try:
        await api.send_text(openid, text)
    except Exception as error:
        return describe_error(error)
    return None
