"""WeChat channels: the Official Account (公众号) and WeCom (企业微信) application callbacks.

``bot.channels.wechat.WeChatInput`` and ``bot.channels.wechat.WeComInput`` are
the names to put in ``credentials.yml``; docs/channels.md explains the setup.
The protocol pieces (``crypto``, ``signature``, ``xmlsafe``, ``api``,
``dedup``, ``processor``) import neither Rasa nor Sanic.
"""

__all__ = ["WeChatInput", "WeComInput"]


def __getattr__(name: str):
    # Rasa's channels are imported only when asked for, so the plain modules stay light.
    if name in __all__:
        from bot.channels.wechat import channel

        return getattr(channel, name)
    raise AttributeError(name)
