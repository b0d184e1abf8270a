"""Channel settings: credentials.yml first, the environment for what it leaves out."""

from __future__ import annotations

from bot.channels.wechat.channel import official_account_config, wecom_config


def test_environment_fills_what_credentials_leave_out():
    config = official_account_config({"token": "from-yml", "app_id": ""},
                                     {"WECHAT_TOKEN": "from-env", "WECHAT_APP_ID": "wxenv",
                                      "WECHAT_PASSIVE_REPLY_SECONDS": "3.5"})
    assert (config.token, config.app_id, config.passive_reply_seconds) == ("from-yml", "wxenv", 3.5)
    assert config.api_base == "https://api.weixin.qq.com" and config.configured
    assert not config.can_push  # no AppSecret


def test_missing_token_means_not_configured():
    config = official_account_config(None, {})
    assert config.missing == ("WECHAT_TOKEN",) and not config.configured


def test_bad_numbers_fall_back_to_defaults():
    config = official_account_config(None, {"WECHAT_TOKEN": "t", "WECHAT_PASSIVE_REPLY_SECONDS": "soon",
                                            "WECHAT_DEDUP_TTL_SECONDS": "5"})
    assert config.passive_reply_seconds == 4.0 and config.dedup_ttl_seconds == 60


def test_wecom_needs_token_corp_id_and_key():
    config = wecom_config(None, {"WECOM_TOKEN": "t"})
    assert set(config.missing) == {"WECOM_CORP_ID", "WECOM_ENCODING_AES_KEY"}
    full = wecom_config({"secret": "s", "agent_id": "1000002"},
                        {"WECOM_TOKEN": "t", "WECOM_CORP_ID": "ww1", "WECOM_ENCODING_AES_KEY": "k" * 43})
    assert full.configured and full.can_push and full.api_base == "https://qyapi.weixin.qq.com"
    assert full.channel == "wecom" and full.kind == "wecom"
