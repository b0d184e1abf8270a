"""An alert reaching the web widget in real Chromium: subscribe in the chat, the shop lowers the price,
the alert and its card appear in the open page, once."""

from __future__ import annotations

import time

import pytest
import redis

from tests.integration.conftest import KEY_PREFIX
from tests.integration.test_alerts_flow import Shop, demo_rows
from tests.integration.test_widget_browser import (
    CHROMIUM, RECORDER, TIMEOUT_MS, PageWatch, browser, open_shop, send_and_wait,
)
from tests.support.browser import wait_until

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing")
__all__ = ["browser"]  # the module-scoped Chromium fixture


@pytest.fixture(scope="module")
def shop(redis_server, server_env, log_dir, tmp_path_factory, recommender):
    shop = Shop(redis_server, server_env, log_dir, tmp_path_factory, recommender)
    yield shop
    shop.upload({})
    shop.stop()


def send_and_wait_for_click(page) -> None:
    before = page.locator(".sbw-msg-bot:not(.sbw-typing)").count()
    page.locator(".sbw-card-choose").last.click()
    wait_until(page, f"document.querySelectorAll('.sbw-msg-bot:not(.sbw-typing)').length > {before}",
               timeout=TIMEOUT_MS)
    assert page.locator(".sbw-msg-user .sbw-bubble").last.inner_text().startswith("选这款：")


def test_the_alert_appears_in_the_open_widget_with_its_card(rasa, browser, shop):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    context.add_init_script(RECORDER)
    page = context.new_page()
    watch = PageWatch(page)
    try:
        open_shop(page, rasa.url)
        page.evaluate("() => window.ShopbotWidget.setCustomData(null)")  # a guest: alerts need no login
        send_and_wait(page, "推荐一款蓝牙耳机")
        wait_until(page, "document.querySelectorAll('.sbw-card').length > 0", timeout=TIMEOUT_MS)
        first_title = page.locator(".sbw-card").first.inner_text()
        send_and_wait(page, "第一款降价了通知我")
        assert "降价提醒" in page.locator(".sbw-msg-bot:not(.sbw-typing) .sbw-bubble").last.inner_text()
        cards_before = page.locator(".sbw-card").count()
        product_id = next(row["id"] for row in demo_rows() if row["title"] in first_title)
        shop.upload({product_id: round(shop.price_of(product_id) * 0.7, 2)})
        uploaded = time.monotonic()
        wait_until(page, "[...document.querySelectorAll('.sbw-bubble')].some(b => b.textContent.includes('【降价提醒】'))",
                   timeout=10_000)
        assert time.monotonic() - uploaded < 10
        assert page.locator(".sbw-card").count() == cards_before + 1  # the alert's card
        time.sleep(1.5)
        alerts = page.evaluate("() => [...document.querySelectorAll('.sbw-bubble')].filter("
                               "b => b.textContent.includes('【降价提醒】')).length")
        assert alerts == 1 and not watch.dialogs
        # the alert's card chosen (选这款): the bot answers about it and the click is recorded
        send_and_wait_for_click(page)
        client = redis.Redis.from_url(shop.redis_server.url, decode_responses=True)
        clicks = [fields for _, fields in client.xrevrange(f"{KEY_PREFIX}:events", count=50)
                  if fields["type"] == "clicked" and fields["product"] == product_id]
        client.close()
        assert clicks and clicks[0]["customer"].startswith("chat:")
        send_and_wait(page, "退订全部提醒")  # no alert of this test outlives it
        assert "已为您取消 1 个提醒" in page.locator(".sbw-msg-bot:not(.sbw-typing) .sbw-bubble").last.inner_text()
    finally:
        context.close()
        shop.upload({})
