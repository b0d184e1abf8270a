"""Sending to a Telegram chat outside a reply: Bot API ``sendMessage``.

A 403 means the customer blocked the bot (or left the group): no message can
reach them until they write again, and the agent is told so.
"""

from __future__ import annotations

from typing import Optional

import aiohttp

TIMEOUT = aiohttp.ClientTimeout(total=10, connect=5)
MAX_TEXT_CHARS = 4096
BLOCKED = "客户已屏蔽机器人或退出了对话（Telegram 403），消息无法送达"


async def send(session: aiohttp.ClientSession, api_base: str, token: str, chat_id: str, text: str) -> Optional[str]:
    """Sends ``text``; returns None on success, else what the agent should read."""
    url = f"{api_base.rstrip('/')}/bot{token}/sendMessage"
    for start in range(0, max(len(text), 1), MAX_TEXT_CHARS):
        try:
            async with session.post(url, json={"chat_id": chat_id, "text": text[start:start + MAX_TEXT_CHARS]},
                                    timeout=TIMEOUT) as response:
                body = await response.json(content_type=None)
                status = response.status
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            return f"Telegram 接口暂时不可用：{error.__class__.__name__}"
        if status == 403:
            return BLOCKED
        if status != 200 or not (isinstance(body, dict) and body.get("ok")):
            description = body.get("description") if isinstance(body, dict) else ""
            return f"Telegram 拒绝了消息（{status}）：{description or '未知原因'}"
    return None
