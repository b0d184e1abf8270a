"""The web chat widget in headless Chromium against the real rasa server.

Opens /shop/, chats, asks for a real recommendation and sees its cards,
renders cards built from the demo catalog, checks that an XSS payload stays
text, reloads and finds the history, and writes docs/widget.png (desktop)
and docs/widget-mobile.png.  Page-load and
reply times are measured and printed (run with -s), never asserted: a shared
CI machine is no stopwatch; bench/widget_browser.py keeps the figures.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import requests

from bot.catalog.model import load_demo_catalog
from tests.support.browser import wait_until

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
DOCS = Path(__file__).resolve().parents[2] / "docs"
XSS = '<img src=x onerror="window.__xss=1;alert(1)">'
XSS_REASON = '缓震好 <script>window.__xss=2</script><img src=x onerror="window.__xss=3;alert(3)">'
TIMEOUT_MS = 60_000
HISTORY = ".sbw-msg:not(.sbw-typing) .sbw-bubble, .sbw-card, .sbw-note"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason=f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")

# Records the widget's events with page timestamps, before any page script runs.
RECORDER = """
window.__shopbot = {events: [], ready: null};
document.addEventListener('shopbot:ready', e => { if (window.__shopbot.ready === null) window.__shopbot.ready = performance.now(); });
document.addEventListener('shopbot:message', e => window.__shopbot.events.push({who: e.detail.who, t: performance.now()}));
window.alert = (function (original) { return function () { window.__alerted = true; return original.apply(this, arguments); }; })(window.alert);
"""


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageWatch:
    """Dialogs, page errors, console errors and every URL the page asked for."""

    def __init__(self, page) -> None:
        self.dialogs, self.errors, self.urls = [], [], []
        page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("request", lambda request: self.urls.append(request.url))


def bot_message_count(page) -> int:
    return page.locator(".sbw-msg-bot:not(.sbw-typing)").count()


def send_and_wait(page, text: str) -> float:
    """Types and sends one message; returns the browser-measured time to the first bot message (ms)."""
    before = bot_message_count(page)
    events_before = page.evaluate("window.__shopbot.events.length")
    page.fill(".sbw-input", text)
    page.press(".sbw-input", "Enter")
    # a bot message counts only once it came after this one was sent: a late second message of the turn
    # before (a reply in two parts) must not pass for the answer
    answered = (f"(() => {{ const ev = window.__shopbot.events.slice({events_before}); "
                "const sent = ev.find(e => e.who === 'user'); "
                "return !!sent && ev.some(e => e.who === 'bot' && e.t >= sent.t); })()")
    wait_until(page, f"document.querySelectorAll('.sbw-msg-bot:not(.sbw-typing)').length > {before} && {answered}",
               timeout=TIMEOUT_MS)
    events = page.evaluate("window.__shopbot.events")[events_before:]
    sent = next(e["t"] for e in events if e["who"] == "user")
    replied = next(e["t"] for e in events if e["who"] == "bot" and e["t"] >= sent)
    return replied - sent


def open_shop(page, url: str) -> float:
    page.goto(f"{url}/shop/")
    page.wait_for_selector('.sbw-root[data-state="online"]', state="attached", timeout=TIMEOUT_MS)
    return page.evaluate("window.__shopbot.ready")


def card_message():
    products = [product for product in load_demo_catalog() if product.image.endswith("running-shoes.svg")][:3]
    cards = [products[0].to_card(XSS_REASON)] + [p.to_card("口碑好，日常慢跑很合适") for p in products[1:]]
    return {"custom": {"type": "product_cards", "products": cards, "relaxed": ["budget"]}}, products[0]


def user_turns(rasa, sender: str):
    response = requests.get(f"{rasa.url}/conversations/{sender}/tracker", params={"token": rasa.token}, timeout=30)
    assert response.status_code == 200, response.text
    return [event.get("text") for event in response.json()["events"] if event["event"] == "user"]


def user_turns_once_there(rasa, sender: str, count: int, seconds: float = 30.0):
    """The user turns once ``count`` are stored (or what is stored after ``seconds``).

    A reply can reach the page before its turn is saved, and after a reload the greeting's reply may be
    the one the page waited for: reading the tracker at once raced with the last message.
    """
    deadline = time.monotonic() + seconds
    turns = user_turns(rasa, sender)
    while len(turns) < count and time.monotonic() < deadline:
        time.sleep(0.2)
        turns = user_turns(rasa, sender)
    return turns


def test_chat_cards_xss_and_history_across_reload(rasa, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    context.add_init_script(RECORDER)
    page = context.new_page()
    watch = PageWatch(page)

    load_ms = open_shop(page, rasa.url)
    assert page.locator(".sbw-title").inner_text() == "智能导购"
    assert page.get_attribute(".sbw-input", "placeholder") == "输入消息…"
    assert page.locator(".sbw-send").inner_text() == "发送"

    # typing indicator: shown as soon as the message goes out
    page.fill(".sbw-input", "你好")
    typing_shown = page.evaluate("""() => {
        document.querySelector('.sbw-send').click();
        return !document.querySelector('.sbw-typing').hidden;
    }""")
    assert typing_shown
    wait_until(page, "document.querySelector('.sbw-typing').hidden", timeout=TIMEOUT_MS)
    first_reply = page.locator(".sbw-msg-bot:not(.sbw-typing) .sbw-bubble").last.inner_text()
    assert first_reply.strip()

    reply_ms = send_and_wait(page, "你好")

    # an XSS payload typed by the customer stays text
    send_and_wait(page, XSS)
    assert page.locator(".sbw-msg-user .sbw-bubble").last.text_content() == XSS
    assert page.locator(".sbw-messages img[src='x']").count() == 0

    # product cards, as the recommender sends them (custom payload), from the demo catalog
    message, product = card_message()
    page.evaluate("msg => window.ShopbotWidget.renderBotMessage(msg)", message)
    card = page.locator(".sbw-card").first
    assert card.locator(".sbw-card-title").inner_text() == product.title
    assert card.locator(".sbw-card-price").inner_text() == f"¥{product.price:g}"
    assert card.locator(".sbw-card-reason-text").text_content() == XSS_REASON
    assert "预算" in page.locator(".sbw-note").last.inner_text()
    image = card.locator("img.sbw-card-image")
    assert image.get_attribute("src") == f"{rasa.url}{product.image}"
    wait_until(page, "document.querySelector('.sbw-card img').complete", timeout=TIMEOUT_MS)
    assert image.evaluate("img => img.naturalWidth") > 0, "the product image did not load"
    assert page.locator(".sbw-card").count() == 3

    # quick replies send their payload and show their title
    page.evaluate("""() => window.ShopbotWidget.renderBotMessage(
        {text: '想看看哪一类？', quick_replies: [{content_type: 'text', title: '跑步鞋', payload: '你好'}]})""")
    before = bot_message_count(page)
    page.click(".sbw-quick-reply >> text=跑步鞋")
    assert page.locator(".sbw-msg-user .sbw-bubble").last.inner_text() == "跑步鞋"
    wait_until(page, f"document.querySelectorAll('.sbw-msg-bot:not(.sbw-typing)').length > {before}",
                           timeout=TIMEOUT_MS)

    assert not watch.dialogs and page.evaluate("window.__xss === undefined && !window.__alerted")
    session_id = page.evaluate("localStorage.getItem('shopbot:session')")
    history_before = page.locator(HISTORY).all_text_contents()

    # reload: same session, the same history, the cards again
    page.reload()
    page.wait_for_selector('.sbw-root[data-state="online"]', state="attached", timeout=TIMEOUT_MS)
    assert page.evaluate("localStorage.getItem('shopbot:session')") == session_id
    history_after = page.locator(HISTORY).all_text_contents()
    assert history_after == history_before
    assert page.locator(".sbw-card").count() == 3
    assert page.locator(".sbw-messages img[src='x']").count() == 0

    # the conversation goes on in the same session, and nothing was processed twice
    send_and_wait(page, "谢谢")
    assert user_turns_once_there(rasa, session_id, 5) == ["你好", "你好", XSS, "你好", "谢谢"]

    assert not watch.dialogs and page.evaluate("window.__xss === undefined && !window.__alerted")
    assert not watch.errors, watch.errors
    foreign = [url for url in watch.urls if not url.startswith(rasa.url) and not url.startswith("data:")]
    assert not foreign, f"the page loaded something not served by the bot: {foreign}"
    print(f"\nwidget page ready after {load_ms:.0f} ms; reply shown {reply_ms:.0f} ms after sending")
    context.close()


def test_a_real_recommendation_shows_product_cards(rasa, browser):
    """The action server's product_cards payload, through Rasa and the socketio channel, as cards."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    context.add_init_script(RECORDER)
    page = context.new_page()
    watch = PageWatch(page)
    open_shop(page, rasa.url)
    send_and_wait(page, "你好")
    send_and_wait(page, "推荐一双500元以内的跑步鞋")
    wait_until(page, "document.querySelectorAll('.sbw-card').length > 0", timeout=TIMEOUT_MS)
    catalog = {product.id: product for product in load_demo_catalog()}
    titles = page.locator(".sbw-card .sbw-card-title").all_inner_texts()
    assert titles and all(title in {p.title for p in catalog.values()} for title in titles)
    first = next(p for p in catalog.values() if p.title == titles[0])
    card = page.locator(".sbw-card").first
    assert card.locator(".sbw-card-price").inner_text() == f"¥{first.price:g}"
    assert card.locator(".sbw-card-reason-text").inner_text().strip()
    assert card.locator("img").get_attribute("src") == f"{rasa.url}{first.image}"
    wait_until(page, "Array.from(document.querySelectorAll('.sbw-card img')).every(i => i.complete)",
               timeout=TIMEOUT_MS)
    page.screenshot(path=str(DOCS / "widget.png"))
    assert not watch.errors, watch.errors
    context.close()


def test_mobile_layout_fills_the_screen(rasa, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True, locale="zh-CN")
    context.add_init_script(RECORDER)
    page = context.new_page()
    watch = PageWatch(page)
    open_shop(page, rasa.url)
    panel = page.locator(".sbw-panel").bounding_box()
    assert panel["width"] == 390 and panel["height"] == 844
    message, _ = card_message()
    message["custom"]["products"][0]["reason"] = "缓震回弹好，适合日常慢跑和 5–10 公里训练"
    send_and_wait(page, "你好")
    page.evaluate("msg => window.ShopbotWidget.renderBotMessage(msg)", message)
    wait_until(page, "Array.from(document.querySelectorAll('.sbw-card img')).every(i => i.complete)",
               timeout=TIMEOUT_MS)
    card = page.locator(".sbw-card").first.bounding_box()
    assert card["width"] < 390
    page.screenshot(path=str(DOCS / "widget-mobile.png"))
    # closing shows the launcher, reopening the same conversation
    page.click(".sbw-close")
    assert page.locator(".sbw-launcher").is_visible() and not page.locator(".sbw-panel").is_visible()
    page.click(".sbw-launcher")
    assert page.locator(".sbw-card").count() == 3
    assert not watch.errors, watch.errors
    context.close()


def test_the_embed_snippet_works_on_another_origin(rasa, browser, tmp_path):
    """A shop's own page (another origin) with the documented snippet: one div and one script tag.

    The test server runs without --cors (make run passes --cors '*'), so long-polling from
    another origin fails; the widget then switches to a websocket, which needs no CORS."""
    import http.server
    import threading

    (tmp_path / "index.html").write_text(
        '<!doctype html><html><body><h1>别的网店</h1><div id="shopbot-widget"></div>'
        f'<script src="{rasa.url}/shop/widget.js" data-socket-url="{rasa.url}" data-open="true"></script>'
        "</body></html>", "utf-8")
    handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=str(tmp_path), **k)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        context = browser.new_context(locale="zh-CN")
        context.add_init_script(RECORDER)
        page = context.new_page()
        page.goto(f"http://localhost:{server.server_address[1]}/index.html")
        page.wait_for_selector('.sbw-root[data-state="online"]', state="attached", timeout=TIMEOUT_MS)
        send_and_wait(page, "你好")
        message, product = card_message()
        page.evaluate("msg => window.ShopbotWidget.renderBotMessage(msg)", message)
        # product images are resolved against the bot server, not the shop's page
        assert page.locator(".sbw-card img").first.get_attribute("src") == f"{rasa.url}{product.image}"
        context.close()
    finally:
        server.shutdown()


def test_card_rendering_is_pure_and_refuses_unsafe_urls(rasa, browser):
    page = browser.new_page()
    page.goto(f"{rasa.url}/shop/")
    wait_until(page, "window.ShopbotWidget && window.ShopbotWidget.instance", timeout=TIMEOUT_MS)
    result = page.evaluate("""() => {
        const W = window.ShopbotWidget;
        const base = 'http://bot.example:5005';
        return {
            relative: W.safeUrl('/shop/images/toys.svg', base),
            script: W.safeUrl('javascript:alert(1)', base),
            data: W.safeUrl('data:text/html,<script>alert(1)</script>', base),
            junk: W.safeUrl(42, base),
            price: [W.formatPrice(629), W.formatPrice(99.5), W.formatPrice('abc'), W.formatPrice(-1)],
            nodes: W.renderBotNodes({custom: {type: 'product_cards', products: [
                {title: '<b>粗体</b>', price: 1, image: 'javascript:alert(1)', reason: '<i>x</i>'}]}}, base)
                .map(n => ({text: n.textContent, html: n.querySelectorAll('b, i, script').length,
                            imgs: n.querySelectorAll('img').length})),
            junkMessages: [null, 5, 'text', {text: {a: 1}}, {custom: {type: 'product_cards', products: 'x'}}]
                .map(m => W.renderBotNodes(m, base).length),
        };
    }""")
    assert result["relative"] == "http://bot.example:5005/shop/images/toys.svg"
    assert result["script"] is None and result["data"] is None and result["junk"] is None
    assert result["price"] == ["¥629", "¥99.50", "", ""]
    [node] = result["nodes"]
    assert node["html"] == 0 and node["imgs"] == 0
    assert "<b>粗体</b>" in node["text"] and "<i>x</i>" in node["text"] and "¥1" in node["text"]
    assert result["junkMessages"] == [0, 0, 0, 0, 1]
    page.close()
