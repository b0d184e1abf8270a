"""What a WeChat callback means: the fields of one incoming message and the replies to it."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Dict, Optional

from bot.channels.wechat.xmlsafe import render_xml

DEFAULT_WELCOME = "感谢关注！我是您的导购小助手🛍️ 想买什么直接告诉我，比如“推荐一款跑步鞋，预算600以内”；订单、退换货问题也可以问我。"

MAX_TEXT_BYTES = 2000  # WeChat takes at most 2048 bytes of text per message


class WeChatMessageError(ValueError):
    """The decrypted XML is not a WeChat message."""


@dataclass(frozen=True)
class Incoming:
    to_user: str
    from_user: str
    create_time: str
    msg_type: str
    msg_id: str = ""
    content: str = ""
    event: str = ""
    event_key: str = ""
    recognition: str = ""
    agent_id: str = ""

    @property
    def dedup_key(self) -> str:
        """MsgId for messages; sender, time and event for events (WeChat's own advice)."""
        if self.msg_id:
            return self.msg_id
        return f"{self.from_user}:{self.create_time}:{self.event or self.msg_type}"


def parse_incoming(fields: Dict[str, str]) -> Incoming:
    from_user, msg_type = fields.get("FromUserName", ""), fields.get("MsgType", "")
    if not from_user or not msg_type:
        raise WeChatMessageError("FromUserName and MsgType are required")
    if len(from_user) > 128:
        raise WeChatMessageError("FromUserName is too long")
    return Incoming(
        to_user=fields.get("ToUserName", ""),
        from_user=from_user,
        create_time=fields.get("CreateTime", ""),
        msg_type=msg_type.strip().lower(),
        msg_id=fields.get("MsgId", "") or fields.get("MsgID", ""),
        content=fields.get("Content", ""),
        event=fields.get("Event", "").strip().lower(),
        event_key=fields.get("EventKey", ""),
        recognition=fields.get("Recognition", ""),
        agent_id=fields.get("AgentID", ""),
    )


def text_reply_xml(incoming: Incoming, text: str, now: Optional[int] = None) -> str:
    """A passive text reply: from the account to the customer."""
    return render_xml({
        "ToUserName": incoming.from_user,
        "FromUserName": incoming.to_user,
        "CreateTime": int(time.time()) if now is None else now,
        "MsgType": "text",
        "Content": text,
    })


def encrypted_envelope(encrypted: str, signature: str, timestamp: str, nonce: str) -> str:
    stamp = int(timestamp) if timestamp.isdigit() else timestamp
    return render_xml({"Encrypt": encrypted, "MsgSignature": signature, "TimeStamp": stamp, "Nonce": nonce})
