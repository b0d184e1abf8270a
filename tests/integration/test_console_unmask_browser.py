"""A supervisor shows a conversation's personal data whole in the console; an agent cannot.  Headless Chromium,
real processes.

A guest writes a mobile number to the bot on the REST channel of a real rasa server.  The agent alice
finds the conversation in the console by the masked number and opens it: the number is masked
everywhere on the page and there is no 显示完整信息 button.  The supervisor sue opens it: saying no to
the confirmation sends nothing; saying yes shows the whole number with the note that it was recorded,
and the unmasking is in the audit log.  Opening the conversation again, or reloading the page, shows
the number masked again.  A 409 (no privacy key), a 403 and a failed network show a short message,
never an exception.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis.asyncio

from tests.integration.conftest import KEY_PREFIX
from tests.integration.test_console_browser import log_in, text_of
from tests.integration.test_customer_identity import say
from tests.integration.test_privacy import fresh_mobile
from tests.integration.test_widget_browser import CHROMIUM, TIMEOUT_MS, PageWatch, browser
from tests.support.browser import wait_until

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing")
__all__ = ["browser"]  # the module-scoped Chromium fixture

CONFIRM = "查看完整个人信息会被记录在审计日志中，确定吗？"
SHOWN_WHOLE = "已显示完整信息（已记录）"
CUSTOMER_BUBBLES = "Array.from(document.querySelectorAll('#messages .msg-customer .bubble'))"


class SupervisorWatch:
    """Like PageWatch, but confirm() is answered with ``self.confirm`` (PageWatch dismisses every dialog)."""

    def __init__(self, page) -> None:
        self.dialogs, self.page_errors, self.console_errors, self.urls = [], [], [], []
        self.confirm = False
        page.on("dialog", self._answer)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("console", lambda message: message.type == "error" and self.console_errors.append(message.text))
        page.on("request", lambda request: self.urls.append(request.url))

    def _answer(self, dialog) -> None:
        self.dialogs.append((dialog.type, dialog.message))
        if self.confirm:
            dialog.accept()
        else:
            dialog.dismiss()


def page_text(page) -> str:
    """Every text of the page, hidden elements' too."""
    return page.evaluate("document.body.textContent")


def open_conversation(page, conversation_id: str, masked: str) -> None:
    """Searches the inbox for the masked number, as an agent would, opens the conversation and waits for it."""
    page.fill("#filter-q", masked)
    page.click("#filters button")
    item = f'#conversations li[data-id="{conversation_id}"]'
    page.wait_for_selector(item, timeout=TIMEOUT_MS)
    page.click(item)
    wait_until(page, f"document.getElementById('detail-title').textContent.startsWith({conversation_id!r}) && "
                     f"{CUSTOMER_BUBBLES}.some(n => n.textContent.includes({masked!r}))", timeout=TIMEOUT_MS)


def assert_masked(page, phone: str, masked: str) -> None:
    assert phone not in page_text(page)
    assert any(masked in text for text in page.evaluate(f"{CUSTOMER_BUBBLES}.map(n => n.textContent)"))
    assert page.locator("#unmask-note").is_hidden()


def unmask_audits_since(redis_url: str, since: float) -> list:
    async def read():
        client = redis.asyncio.Redis.from_url(redis_url, decode_responses=True)
        try:
            return [fields for _, fields in await client.xrange(f"{KEY_PREFIX}:privacy:audit")
                    if fields.get("action") == "unmask" and float(fields.get("at") or 0) >= since]
        finally:
            await client.close()
    with ThreadPoolExecutor(1) as thread:  # Playwright's sync API keeps an event loop running in this thread
        return thread.submit(asyncio.run, read()).result()


def test_only_a_supervisor_shows_the_whole_number_and_only_until_the_conversation_is_opened_again(
        rasa, console, browser, redis_server):
    started = time.time()
    guest = f"unmask-{uuid.uuid4().hex[:8]}"
    phone = fresh_mobile()
    masked = f"{phone[:3]}****{phone[-4:]}"
    said = f"快递到了给我打电话{phone}"
    assert say(rasa, guest, said).status_code == 200

    # alice, an agent: masked text, and no button to show more
    agent_context = browser.new_context(locale="zh-CN")
    agent = agent_context.new_page()
    agent_watch = PageWatch(agent)
    agent.goto(f"{console}/")
    log_in(agent, "alice")
    open_conversation(agent, guest, masked)
    assert_masked(agent, phone, masked)
    assert agent.locator("#unmask").is_hidden()
    assert agent.get_by_role("button", name="显示完整信息").count() == 0
    assert agent_watch.dialogs == []
    # the one expected error: the page asks /api/me before anyone logged in (401)
    assert [e for e in agent_watch.errors if "401" not in e] == [] and len(agent_watch.errors) <= 1
    assert not any(url.endswith("/unmask") for url in agent_watch.urls)
    agent_context.close()

    # sue, a supervisor: the button, behind a confirmation
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    watch = SupervisorWatch(page)
    page.goto(f"{console}/")
    log_in(page, "sue")
    open_conversation(page, guest, masked)
    assert_masked(page, phone, masked)
    button = page.get_by_role("button", name="显示完整信息")
    assert button.is_visible() and button.is_enabled()

    button.click()  # and says no: nothing is asked of the server
    assert watch.dialogs == [("confirm", CONFIRM)]
    page.wait_for_timeout(300)
    assert not any(url.endswith("/unmask") for url in watch.urls)
    assert_masked(page, phone, masked)

    watch.confirm = True
    button.click()
    wait_until(page, f"{CUSTOMER_BUBBLES}.some(n => n.textContent === {said!r})", timeout=TIMEOUT_MS)
    assert watch.dialogs[-1] == ("confirm", CONFIRM)
    assert page.locator("#unmask-note").is_visible() and text_of(page, "#unmask-note") == SHOWN_WHOLE
    assert button.is_disabled()  # shown already: another click would only log another unmasking
    assert page.locator("#unmask-error").is_hidden()
    assert sum(url.endswith(f"/api/conversations/{guest}/unmask") for url in watch.urls) == 1

    # opening the conversation again shows it masked again
    page.click(f'#conversations li[data-id="{guest}"]')
    wait_until(page, f"{CUSTOMER_BUBBLES}.some(n => n.textContent.includes({masked!r}))", timeout=TIMEOUT_MS)
    assert_masked(page, phone, masked)
    assert button.is_enabled()

    # and so does reloading the page
    button.click()
    wait_until(page, f"{CUSTOMER_BUBBLES}.some(n => n.textContent === {said!r})", timeout=TIMEOUT_MS)
    page.reload()
    page.wait_for_selector("#app-view:not([hidden])", timeout=TIMEOUT_MS)
    assert phone not in page_text(page)
    open_conversation(page, guest, masked)
    assert_masked(page, phone, masked)

    # errors are a short message in the page; the transcript stays masked and the button can be used again
    failures = [
        (lambda route: route.fulfill(status=409, content_type="application/json",
                                     body=json.dumps({"error": "PRIVACY_KEY is not set"})), "没有设置隐私密钥"),
        (lambda route: route.fulfill(status=403, content_type="application/json",
                                     body=json.dumps({"error": "supervisors only"})), "只有主管"),
        (lambda route: route.abort(), "网络错误"),
    ]
    for answer, message in failures:
        page.route("**/unmask", answer)
        button.click()
        wait_until(page, "!document.getElementById('unmask-error').hidden && "
                         f"document.getElementById('unmask-error').textContent.includes({message!r})",
                   timeout=TIMEOUT_MS)
        assert_masked(page, phone, masked)
        assert button.is_enabled()
        page.unroute("**/unmask")

    assert watch.page_errors == []
    # the 401 of /api/me before logging in, and the three failures asked for above
    assert [e for e in watch.console_errors if not any(part in e for part in ("401", "403", "409", "ERR_FAILED"))] == []
    assert all(url.startswith((console, "data:")) for url in watch.urls)
    context.close()

    # two unmaskings reached the server, both audited as sue's
    audits = unmask_audits_since(redis_server.url, started)
    assert [entry["by"] for entry in audits] == ["sue", "sue"]
    assert all(json.loads(entry["detail"])["messages"] >= 1 for entry in audits)
