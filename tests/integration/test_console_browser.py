"""An agent in the console and a customer in the widget, two pages of headless Chromium, real processes.

The customer asks for a person in the web widget; the agent logs in through
the console's UI, sees the conversation in the queue, takes it over and
replies; the customer's page shows the reply; the customer's answer appears
for the agent without a reload; the agent hands back and the bot answers the
customer again.  Customer text with HTML and script stays text in every view.
An agent works a ticket (工单) in the tickets view: takes it, resolves it with a
message to the customer, and opens its conversation, where the customer's notice is.
Only a supervisor sees the retention report (报表): its tables and its charts.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis.asyncio

from bot.analytics.turns import TurnLog
from bot.handoff import texts as handoff_texts
from bot.service.tickets import TicketStore
from bot.store.conversations import ConversationIndex
from tests.integration.conftest import CONSOLE_ACCOUNTS, KEY_PREFIX
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


def new_ticket(redis_url: str, conversation_id: str):
    """A REST customer's conversation in the index and a ticket of it, as the action server would file it."""
    async def create():
        client = redis.asyncio.Redis.from_url(redis_url, decode_responses=True)
        try:
            await ConversationIndex(client, KEY_PREFIX).record(conversation_id, "customer", "我想把鞋换成白色", "rest")
            return await TicketStore(client, KEY_PREFIX).create(conversation_id, "change_spec", "想换成白色",
                                                                customer_id="cust-1", order_id="DD2026112800001")
        finally:
            await client.close()
    with ThreadPoolExecutor(1) as thread:  # Playwright's sync API keeps an event loop running in this thread
        return thread.submit(asyncio.run, create()).result()


def text_of(page, selector: str) -> str:
    return page.evaluate(f"document.querySelector({selector!r}).textContent")


def test_an_agent_takes_a_ticket_and_resolves_it_with_a_message_to_the_customer(console, browser, redis_server):
    from tests.support.console_client import ConsoleClient

    conversation_id = f"ticket-ui-{secrets.token_hex(4)}"
    ticket = new_ticket(redis_server.url, conversation_id)
    note = "仓库<b>已确认</b>有白色"  # markup in a note stays text

    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    watch = PageWatch(page)
    page.goto(f"{console}/")
    log_in(page, "alice")
    page.click('button[data-tab="tickets"]')
    assert page.locator("#inbox-tab").is_hidden() and page.locator("#tickets-tab").is_visible()

    item = f'#tickets li[data-id="{ticket.id}"]'
    page.wait_for_selector(item, timeout=TIMEOUT_MS)
    listed = page.locator(item).inner_text()
    for part in ("修改颜色尺码", "DD2026112800001", "待处理", "未分配"):
        assert part in listed
    page.click(item)
    page.wait_for_selector("#ticket-body:not([hidden])", timeout=TIMEOUT_MS)
    assert text_of(page, "#ticket-title").startswith(ticket.id)
    assert text_of(page, "#ticket-text") == "想换成白色"
    # not taken yet: nothing to change but taking it
    assert "先接手" in text_of(page, "#ticket-hint")
    assert page.locator("#ticket-next button").count() == 3
    assert all(button.is_disabled() for button in page.locator("#ticket-next button").all())

    page.click("#ticket-take")
    wait_until(page, "document.getElementById('ticket-status').textContent === '处理中（alice）'", timeout=TIMEOUT_MS)
    assert text_of(page, "#ticket-result").startswith("已接手")
    assert page.evaluate("Array.from(document.querySelectorAll('#ticket-next button')).map(b => b.dataset.status)") \
        == ["waiting_customer", "resolved"]

    page.fill("#ticket-message", "白色 42 码有货，已为您换好")
    page.fill("#ticket-note", note)
    page.click('#ticket-next button[data-status="resolved"]')
    wait_until(page, "document.getElementById('ticket-status').textContent === '已解决（alice）'", timeout=TIMEOUT_MS)
    result = text_of(page, "#ticket-result")
    assert result.startswith("已改为“已解决”") and "客户没收到" in result and "REST" in result
    history = page.evaluate("Array.from(document.querySelectorAll('#ticket-history li')).map(n => n.textContent)")
    assert "状态 → 已解决" in history[-1] and "给客户：白色 42 码有货" in history[-1]
    assert f"备注：{note}" in history[-1] and page.locator("#ticket-history b").count() == 0
    assert any("负责人 → alice" in entry for entry in history) and "建单：修改颜色尺码" in history[0]
    assert "已解决" in page.locator(item).inner_text()
    assert page.input_value("#ticket-message") == "" and page.input_value("#ticket-note") == ""

    # the filter: the ticket is not among the open ones, it is among the resolved ones
    page.select_option("#ticket-filter-status", "open")
    page.click("#ticket-filters button")
    wait_until(page, f"!document.querySelector('#tickets li[data-id=\"{ticket.id}\"]')", timeout=TIMEOUT_MS)
    page.select_option("#ticket-filter-status", "resolved")
    page.click("#ticket-filters button")
    page.wait_for_selector(item, timeout=TIMEOUT_MS)

    # what the API (and so Redis) holds
    client = ConsoleClient(console)
    client.login("bob", CONSOLE_ACCOUNTS["bob"][0])
    stored = client.get(f"/api/tickets/{ticket.id}").json()
    assert stored["status"] == "resolved" and stored["assignee"] == "alice"
    assert stored["history"][-1]["status"] == "resolved" and stored["history"][-1]["by"] == "alice"
    assert stored["history"][-1]["message"] == "白色 42 码有货，已为您换好" and stored["history"][-1]["note"] == note
    # bob may not change alice's ticket
    refused = client.post(f"/api/tickets/{ticket.id}/update", {"status": "in_progress"})
    assert refused.status_code == 403 and "alice" in refused.json()["error"]

    # the ticket's conversation, in the conversations view, shows what the customer was told
    page.click("#ticket-conversation")
    page.wait_for_selector("#detail-body:not([hidden])", timeout=TIMEOUT_MS)
    assert page.locator("#inbox-tab").is_visible() and page.locator("#tickets-tab").is_hidden()
    assert text_of(page, "#detail-title").startswith(conversation_id)
    wait_until(page, "Array.from(document.querySelectorAll('#messages .msg-bot .bubble'))"
                     ".some(n => n.textContent.includes('已解决') && n.textContent.includes('白色 42 码有货'))",
               timeout=TIMEOUT_MS)

    # the one expected error: the page asks /api/me before anyone logged in (401)
    assert [e for e in watch.errors if "401" not in e] == [] and len(watch.errors) <= 1
    assert all(url.startswith((console, "data:")) for url in watch.urls)
    context.close()


def record_turns(redis_url: str, turns: list) -> None:
    async def record():
        client = redis.asyncio.Redis.from_url(redis_url, decode_responses=True)
        try:
            await TurnLog(client, KEY_PREFIX).record(turns)
        finally:
            await client.close()
    with ThreadPoolExecutor(1) as thread:  # Playwright's sync API keeps an event loop running in this thread
        thread.submit(asyncio.run, record()).result()


def log_in(page, name: str) -> None:
    page.wait_for_selector("#login-form", timeout=TIMEOUT_MS)
    page.fill("#login-name", name)
    page.fill("#login-password", CONSOLE_ACCOUNTS[name][0])
    page.click("#login-submit")
    page.wait_for_selector("#app-view:not([hidden])", timeout=TIMEOUT_MS)


def table_cells(page, selector: str) -> list:
    return page.evaluate(f"Array.from(document.querySelectorAll({selector!r} + ' tbody tr'))"
                         ".map(tr => Array.from(tr.cells).map(td => td.textContent))")


def test_only_a_supervisor_sees_the_report_with_its_tables_and_charts(console, browser, redis_server):
    # six people first chat three weeks ago; three of them come back a week later
    day, now, tag = 86400, time.time(), secrets.token_hex(3)
    first = now - 21 * day
    turns = [{"person": f"chat:report-{tag}-{n}", "conversation": f"report-{tag}-{n}", "channel": "rest",
              "intent": "greet", "confidence": 0.9, "fallback": 0, "handoff": 0, "ts": first + n} for n in range(6)]
    turns += [{**turn, "intent": "ask_order", "confidence": 0.4, "ts": turn["ts"] + 7 * day} for turn in turns[:3]]
    record_turns(redis_server.url, turns)

    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    watch = PageWatch(page)
    page.goto(f"{console}/")
    log_in(page, "alice")
    tab = 'button[data-tab="reports"]'
    assert page.locator(tab).is_hidden() and page.locator('button[data-tab="tickets"]').is_visible()
    page.click("#logout")
    log_in(page, "sue")
    assert page.locator(tab).is_visible()
    page.click(tab)
    assert page.locator("#reports-tab").is_visible() and page.locator("#inbox-tab").is_hidden()

    # The console keeps a report for a minute: another test may have asked for it before these turns were logged.
    deadline = time.monotonic() + 90
    while True:
        wait_until(page, "!document.getElementById('reports-body').hidden && "
                         "!document.getElementById('reports-refresh').disabled", timeout=TIMEOUT_MS)
        cohort = next((row for row in table_cells(page, "#report-cohorts") if row[1] == "6"), None)
        if cohort or time.monotonic() > deadline:
            break
        time.sleep(3)
        page.click("#reports-refresh")
    summary = text_of(page, "#reports-summary")
    assert "位顾客" in summary and "条消息" in summary and "少于 5 人的分组不显示" in summary
    # week 1: three of six came back; week 3 is this week, not over yet; day 7: the same three; day 30 not yet known
    assert cohort is not None, table_cells(page, "#report-cohorts")
    assert cohort[2:6] == ["100%", "50%", "0%", "0%*"] and cohort[-4:] == ["0%", "50%", "0%", ""]
    assert any(row[1] == "<5" for row in table_cells(page, "#report-weeks"))  # only three people that week

    chart = '#report-charts img[src^="/api/reports/charts/cohorts.png"]'
    page.wait_for_selector(chart, state="attached", timeout=TIMEOUT_MS)
    wait_until(page, f"document.querySelector({chart!r}).complete && "
                     f"document.querySelector({chart!r}).naturalWidth > 0", timeout=TIMEOUT_MS)
    wait_until(page, "Array.from(document.querySelectorAll('#report-charts img'))"
                     ".every(img => img.complete && img.naturalWidth > 0)", timeout=TIMEOUT_MS)
    assert page.locator("#report-charts img").count() == 5

    # the one expected error: the page asks /api/me before anyone logged in (401)
    assert [e for e in watch.errors if "401" not in e] == [] and len(watch.errors) <= 1
    assert all(url.startswith((console, "data:")) for url in watch.urls)
    assert not any("/api/reports" in url for url in watch.urls[:watch.urls.index(f"{console}/api/logout")])
    context.close()
