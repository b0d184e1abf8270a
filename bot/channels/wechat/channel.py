"""The WeChat Official Account (``wechat``) and WeCom application (``wecom``) input channels.

Both are Rasa ``InputChannel``s enabled in ``credentials.yml``; their settings
come from there or, when left out, from environment variables (see
``docs/channels.md``).  The protocol itself is :class:`WeChatCallback`; this
module only adapts Sanic requests to it and runs the bot for a message.

Routes (Rasa's ``/webhooks/<name>/`` prefix):

* ``GET  /webhooks/wechat/``         — health;
* ``GET  /webhooks/wechat/webhook``  — URL verification from the WeChat console;
* ``POST /webhooks/wechat/webhook``  — messages and events;

and the same under ``/webhooks/wecom/``.
"""

from __future__ import annotations

import logging
import os
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, json as json_response

from bot.channels.conversation_gate import gated
from bot.identity.linked_accounts import linked
from bot.channels.wechat.api import OfficialAccountApi, WeComApi
from bot.channels.wechat.processor import OFFICIAL_ACCOUNT, WECOM, CallbackConfig, HttpAnswer, WeChatCallback
from bot.channels.wechat.processor import Request as CallbackRequest
from bot.settings import RedisSettings, SettingsError

logger = logging.getLogger(__name__)


def setting(credentials: Optional[Mapping[str, Any]], key: str, env_name: str,
            environ: Mapping[str, str], default: str = "") -> str:
    """credentials.yml wins; an absent or empty value falls back to the environment variable."""
    value = (credentials or {}).get(key)
    if value is None or str(value).strip() == "":
        value = environ.get(env_name, default)
    return str(value if value is not None else default).strip()


def number_setting(credentials, key, env_name, environ, default: float) -> float:
    raw = setting(credentials, key, env_name, environ, "")
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        logger.warning("%s=%r is not a number; using %s", env_name, raw, default)
        return default
    return value if value >= 0 else default


def official_account_config(credentials: Optional[Mapping[str, Any]] = None,
                            environ: Mapping[str, str] = os.environ) -> CallbackConfig:
    get = lambda key, env, default="": setting(credentials, key, env, environ, default)  # noqa: E731
    num = lambda key, env, default: number_setting(credentials, key, env, environ, default)  # noqa: E731
    config = CallbackConfig(
        kind=OFFICIAL_ACCOUNT,
        channel="wechat",
        token=get("token", "WECHAT_TOKEN"),
        app_id=get("app_id", "WECHAT_APP_ID"),
        app_secret=get("app_secret", "WECHAT_APP_SECRET"),
        encoding_aes_key=get("encoding_aes_key", "WECHAT_ENCODING_AES_KEY"),
        api_base=get("api_base", "WECHAT_API_BASE", "https://api.weixin.qq.com"),
        passive_reply_seconds=num("passive_reply_seconds", "WECHAT_PASSIVE_REPLY_SECONDS", 4.0),
        max_clock_skew_seconds=int(num("max_clock_skew_seconds", "WECHAT_MAX_CLOCK_SKEW_SECONDS", 300)),
        dedup_ttl_seconds=max(60, int(num("dedup_ttl_seconds", "WECHAT_DEDUP_TTL_SECONDS", 3600))),
        max_concurrent=max(1, int(num("max_concurrent", "WECHAT_MAX_CONCURRENT", 3))),
        welcome=get("welcome", "WECHAT_WELCOME") or CallbackConfig.welcome,
        missing=tuple(name for name, value in [("WECHAT_TOKEN", get("token", "WECHAT_TOKEN"))] if not value),
    )
    return config


def wecom_config(credentials: Optional[Mapping[str, Any]] = None,
                 environ: Mapping[str, str] = os.environ) -> CallbackConfig:
    get = lambda key, env, default="": setting(credentials, key, env, environ, default)  # noqa: E731
    num = lambda key, env, default: number_setting(credentials, key, env, environ, default)  # noqa: E731
    required = {
        "WECOM_TOKEN": get("token", "WECOM_TOKEN"),
        "WECOM_CORP_ID": get("corp_id", "WECOM_CORP_ID"),
        "WECOM_ENCODING_AES_KEY": get("encoding_aes_key", "WECOM_ENCODING_AES_KEY"),
    }
    return CallbackConfig(
        kind=WECOM,
        channel="wecom",
        token=required["WECOM_TOKEN"],
        app_id=required["WECOM_CORP_ID"],
        app_secret=get("secret", "WECOM_SECRET"),
        encoding_aes_key=required["WECOM_ENCODING_AES_KEY"],
        agent_id=get("agent_id", "WECOM_AGENT_ID"),
        api_base=get("api_base", "WECOM_API_BASE", "https://qyapi.weixin.qq.com"),
        passive_reply_seconds=num("passive_reply_seconds", "WECOM_PASSIVE_REPLY_SECONDS", 4.0),
        max_clock_skew_seconds=int(num("max_clock_skew_seconds", "WECOM_MAX_CLOCK_SKEW_SECONDS", 300)),
        dedup_ttl_seconds=max(60, int(num("dedup_ttl_seconds", "WECOM_DEDUP_TTL_SECONDS", 3600))),
        max_concurrent=max(1, int(num("max_concurrent", "WECOM_MAX_CONCURRENT", 3))),
        welcome=get("welcome", "WECOM_WELCOME") or CallbackConfig.welcome,
        missing=tuple(name for name, value in required.items() if not value),
    )


def sanic_answer(answer: HttpAnswer) -> HTTPResponse:
    return HTTPResponse(body=answer.body, status=answer.status, content_type=answer.content_type)


class WeChatInput(InputChannel):
    """WeChat Official Account (公众号) server callback: plaintext, compatible and safe mode."""

    @classmethod
    def name(cls) -> Text:
        return "wechat"

    @classmethod
    def config_from(cls, credentials: Optional[Dict[Text, Any]]) -> CallbackConfig:
        return official_account_config(credentials)

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls(cls.config_from(credentials))

    def __init__(self, config: CallbackConfig) -> None:
        self.config = config
        self.callback: Optional[WeChatCallback] = None
        if not config.configured:
            logger.warning("%s channel not configured (set %s): its webhook answers 503",
                           self.name(), ", ".join(config.missing))
        else:
            if config.kind == OFFICIAL_ACCOUNT and not config.encoding_aes_key:
                logger.info("%s: no EncodingAESKey, only plaintext mode is accepted", self.name())
            if not config.can_push:
                logger.warning("%s: the API credentials are not set, so answers slower than %.1fs "
                               "cannot be delivered", self.name(), config.passive_reply_seconds)

    def make_api(self):
        if not self.config.can_push:
            return None
        return OfficialAccountApi(self.config.api_base, self.config.app_id, self.config.app_secret)

    def make_callback(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> WeChatCallback:
        redis_client, prefix = None, "shopbot"
        try:
            settings = RedisSettings.from_env()
            prefix = settings.key_prefix
            if self.config.configured:
                from bot.store.redis_client import async_client

                redis_client = async_client(settings)
        except SettingsError as error:
            logger.error("%s: Redis settings are wrong (%s): messages are not deduplicated", self.name(), error)

        async def process(sender: str, text: str, metadata: Dict[str, Any]) -> List[Dict[str, Any]]:
            collector = CollectingOutputChannel()
            await on_new_message(UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata))
            return collector.messages

        return WeChatCallback(self.config, process, redis_client, prefix, self.make_api())

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint(f"{self.name()}_webhook", __name__)
        callback = self.callback = self.make_callback(linked(gated(on_new_message)))

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return json_response({"status": "ok" if self.config.configured else "not configured"})

        @webhook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            return sanic_answer(await callback.verify(_query(request)))

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            return sanic_answer(await callback.receive(CallbackRequest(_query(request), request.body or b"")))

        return webhook


class WeComInput(WeChatInput):
    """WeCom (企业微信) self-built application callback: always encrypted."""

    @classmethod
    def name(cls) -> Text:
        return "wecom"

    @classmethod
    def config_from(cls, credentials: Optional[Dict[Text, Any]]) -> CallbackConfig:
        return wecom_config(credentials)

    def make_api(self):
        if not self.config.can_push:
            return None
        return WeComApi(self.config.api_base, self.config.app_id, self.config.app_secret, self.config.agent_id)


def _query(request: Request) -> Dict[str, str]:
    return {key: request.args.get(key) for key in request.args}
