"""What a channel itself says to a customer (not the bot's answers): one wording for every channel.

The bot's answers come from the actions and the domain; these are the
channel's own words when it cannot hand a message to the bot: the bot failed,
the message is not text, too long, or arrived without a session.
"""

from __future__ import annotations

from bot.store.redis_client import StoreUnavailable

APOLOGY = "抱歉，系统刚才开小差了😥 您的消息我们已收到，请稍后再发一次，或者说“转人工”找客服。"
NOT_TEXT_REPLY = "抱歉，目前我只能看懂文字消息，麻烦您用文字描述一下需求，比如“推荐一款500元以内的跑步鞋”。"
LOCATION_REPLY = "收到您的位置啦～目前我还不能按位置推荐，您可以直接用文字告诉我想买什么。"
UNKNOWN_REPLY = "抱歉，这种消息我暂时看不懂😅 请用文字告诉我您的需求。"
NO_SESSION_REPLY = "抱歉，会话还没有建立好，请刷新页面后再试。"
LOGIN_AGAIN_REPLY = "您的登录状态已失效，请重新登录后再发消息；不登录也可以继续逛，只是查不了订单等个人信息。"


# Redis stayed down for the whole wait: the message was not processed, and nothing of it was kept.
STORE_DOWN_REPLY = "抱歉，系统正在恢复中，这条消息还没有处理😥 请过一分钟再发一次，您之前聊的内容都还在。"


def failure_reply(error: BaseException) -> str:
    """What a channel says when the bot could not answer: the store was down, or something else failed."""
    return STORE_DOWN_REPLY if isinstance(error, StoreUnavailable) else APOLOGY


def too_long(max_chars: int) -> str:
    return f"抱歉，这条消息太长了（超过 {max_chars} 个字），请精简一下再发给我。"
