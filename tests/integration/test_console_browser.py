"""An agent in the console and a customer in the widget, two pages of headless Chromium, real processes.

The customer asks for a person in the web widget; the agent logs in through
the console's UI, sees the conversation in the queue, takes it over and
replies; the customer's page shows the reply; the customer's answer appears
for the agent without a reload; the agent hands back and the bot answers the
customer again.  Customer text with HTML and script stays text in every view.
"""

from __future__ import annotations

import pytest

from bot.handoff import texts as handoff_texts
from tests.integration.conftest import CONSOLE_ACCOUNTS
from tests.integration.test_widget_browser import CHROMIUM, RECORDER, TIMEOUT_MS, PageWatch, browser, open_shop
from tests.support.browser import wait_until

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing")
__all__ = ["browser"]  # the module-scoped Chromium fixture

XSS = '<img src=x onerror="window.__xss=1">我的订单<script>window.__xss=2</script>'


def widget_texts(page) -> list:
    return page.evaluate("Array.from(document.querySelectorAll('.sbw-msg-bot .sbw-bubble')).map(n => n.innerText)")


def customer_says(page, text: str) -> None:
    before = page.locator(".sbw-msg-user").count()
    page.fill(".sbw-input", text)
    page.press(".sbw-input", "Enter")
    wait_until(page, f"document.querySelectorAll('.sbw-msg-user').length > {before}", timeout=TIMEOUT_MS)


def wait_for_widget_text(page, fragment: str) -> None:
    wait_until(page, "Array.from(document.querySelectorAll('.sbw-msg-bot .sbw-bubble'))"
                     f".some(n => n.innerText.includes({fragment!r}))", timeout=TIMEOUT_MS)


def test_an_agent_takes_over_a_widget_customer_replies_and_hands_back(rasa, console, browser):
    customer_context = browser.new_context(locale="zh-CN")
    customer_context.add_init_script(RECORDER)
    customer = customer_context.new_page()
    customer_watch = PageWatch(customer)
    open_shop(customer, rasa.url)
    customer_says(customer, "你好")
    customer_says(customer, "我要转人工客服")
    wait_for_widget_text(customer, "转接人工客服")
    session_id = customer.evaluate("window.ShopbotWidget.instance.sessionId")
    assert session_id

    agent_context = browser.new_context(locale="zh-CN")
    agent = agent_context.new_page()
    agent_watch = PageWatch(agent)
    agent.goto(f"{console}/")
    agent.wait_for_selector("#login-form", timeout=TIMEOUT_MS)
    agent.fill("#login-name", "alice")
    agent.fill("#login-password", CONSOLE_ACCOUNTS["alice"][0])
    agent.click("#login-submit")
    queued = f'#queue li[data-id="{session_id}"]'
    agent.wait_for_selector(queued, timeout=TIMEOUT_MS)
    agent.click(queued)
    agent.wait_for_selector("#detail-body:not([hidden])", timeout=TIMEOUT_MS)
    agent.click("#takeover")
    wait_until(agent, "document.getElementById('handback').disabled === false", timeout=TIMEOUT_MS)
    wait_for_widget_text(customer, handoff_texts.agent_joined("alice"))

    agent.fill("#reply-text", "您好，我是客服 alice，请问有什么可以帮您？")
    agent.click("#reply-send")
    wait_until(agent, "document.getElementById('reply-result').innerText === '已送达'", timeout=TIMEOUT_MS)
    wait_for_widget_text(customer, "我是客服 alice")
    label = customer.locator(".sbw-msg-agent .sbw-agent-name").last.inner_text()
    assert "alice" in label

    customer_says(customer, XSS)
    wait_until(agent, "Array.from(document.querySelectorAll('#messages .msg-customer .bubble'))"
                      f".some(n => n.textContent === {XSS!r})", timeout=TIMEOUT_MS)
    # the queue and inbox show the same text as text, never as markup
    agent.fill("#filter-q", "我的订单")
    agent.click("#filters button")
    wait_until(agent, "Array.from(document.querySelectorAll('#conversations .last'))"
                      f".some(n => n.textContent === {XSS!r})", timeout=TIMEOUT_MS)
    assert agent.evaluate("window.__xss") is None and customer.evaluate("window.__xss") is None
    assert agent.locator("#messages img, #conversations img, #queue img").count() == 0

    agent.click("#handback")
    wait_for_widget_text(customer, handoff_texts.HANDED_BACK[:10])
    bot_before = len(widget_texts(customer))
    customer_says(customer, "推荐一款跑步鞋")
    wait_until(customer, f"document.querySelectorAll('.sbw-msg-bot .sbw-bubble').length > {bot_before}",
               timeout=TIMEOUT_MS)
    # the one expected error: the page asks /api/me before anyone logged in (401)
    assert customer_watch.errors == [] and [e for e in agent_watch.errors if "401" not in e] == []
    assert len(agent_watch.errors) <= 1
    assert all(url.startswith((rasa.url, console, "data:")) for url in agent_watch.urls)
    customer_context.close()
    agent_context.close()


def test_a_reply_to_an_offline_widget_arrives_when_the_customer_comes_back(rasa, console, browser):
    from tests.support.console_client import ConsoleClient

    context = browser.new_context(locale="zh-CN")
    context.add_init_script(RECORDER)
    page = context.new_page()
    open_shop(page, rasa.url)
    customer_says(page, "转人工")
    wait_for_widget_text(page, "转接人工客服")
    session_id = page.evaluate("window.ShopbotWidget.instance.sessionId")
    page.goto("about:blank")  # the customer leaves the shop

    alice = ConsoleClient(console)
    alice.login("alice", CONSOLE_ACCOUNTS["alice"][0])
    assert alice.post(f"/api/conversations/{session_id}/takeover").status_code == 200
    sent = alice.post(f"/api/conversations/{session_id}/messages", {"text": "您的退款已经处理好了"}).json()
    assert sent["delivered"] is False and "不在线" in sent["detail"]

    open_shop(page, rasa.url)  # same browser storage: the same conversation
    wait_for_widget_text(page, "您的退款已经处理好了")
    context.close()
