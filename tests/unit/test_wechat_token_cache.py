"""The access-token cache, and the API clients against a fake WeChat API on loopback."""

from __future__ import annotations

import asyncio

import pytest

from bot.channels.wechat.api import AccessTokenCache, OfficialAccountApi, WeChatApiError, WeComApi
from tests.support.fake_wechat_api import FakeWeChatApi


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


async def test_a_token_is_reused_until_a_minute_before_it_expires():
    clock, issued = Clock(), []

    async def fetch():
        issued.append(f"t{len(issued)}")
        return issued[-1], 7200

    cache = AccessTokenCache(fetch, clock)
    assert await cache.get() == "t0"
    clock.now += 7200 - 61
    assert await cache.get() == "t0"
    clock.now += 2
    assert await cache.get() == "t1"
    assert cache.fetches == 2


async def test_concurrent_callers_share_one_fetch():
    calls = 0

    async def fetch():
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.05)
        return "tok", 7200

    cache = AccessTokenCache(fetch)
    assert set(await asyncio.gather(*(cache.get() for _ in range(20)))) == {"tok"}
    assert calls == 1


async def test_invalidate_keeps_a_newer_token():
    tokens = iter(["old", "new"])

    async def fetch():
        return next(tokens), 7200

    cache = AccessTokenCache(fetch)
    assert await cache.get() == "old"
    cache.invalidate("old")
    assert await cache.get() == "new"
    cache.invalidate("old")  # a late failure with the old token must not drop the new one
    assert await cache.get() == "new"


@pytest.fixture
def fake_api():
    server = FakeWeChatApi(app_id="wxapp", app_secret="s3cret", corp_id="wwcorp", corp_secret="corpsecret").start()
    yield server
    server.stop()


async def test_official_account_sends_with_one_cached_token(fake_api):
    api = OfficialAccountApi(fake_api.url, "wxapp", "s3cret")
    try:
        await api.send_text("oUser", "你好")
        await api.send_text("oUser", "再见")
    finally:
        await api.close()
    assert [m["text"]["content"] for m in fake_api.messages_to("oUser")] == ["你好", "再见"]
    assert fake_api.token_requests == 1


@pytest.mark.parametrize("errcode", [40001, 42001])
async def test_an_expired_or_invalid_token_is_refreshed_and_the_send_retried(fake_api, errcode):
    api = OfficialAccountApi(fake_api.url, "wxapp", "s3cret")
    try:
        await api.send_text("oUser", "一")
        fake_api.expire_tokens(errcode)
        await api.send_text("oUser", "二")
    finally:
        await api.close()
    assert [m["text"]["content"] for m in fake_api.messages_to("oUser")] == ["一", "二"]
    assert fake_api.token_requests == 2


async def test_a_wrong_secret_is_an_error_not_a_loop(fake_api):
    api = OfficialAccountApi(fake_api.url, "wxapp", "wrong")
    try:
        with pytest.raises(WeChatApiError) as error:
            await api.send_text("oUser", "x")
    finally:
        await api.close()
    assert error.value.errcode == 40125 and fake_api.messages == []


async def test_wecom_sends_with_the_agent_id(fake_api):
    api = WeComApi(fake_api.url, "wwcorp", "corpsecret", "1000002")
    try:
        await api.send_text("zhangsan", "您好")
    finally:
        await api.close()
    [message] = fake_api.messages_to("zhangsan")
    assert message["agentid"] == 1000002 and message["text"]["content"] == "您好"
