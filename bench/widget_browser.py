"""Web chat widget in headless Chromium: page load and reply latency, measured by the browser.

    python bench/widget_browser.py                      # starts `python -m bot.runtime run` itself
    python bench/widget_browser.py --url http://127.0.0.1:5005   # against a bot that is already running

Page load: a fresh browser context (empty cache, no stored session) opens
/shop/; the time is from navigation start to the widget's session being
confirmed by the server (`shopbot:ready`), taken with performance.now() in the
page.  Reply: from the moment the customer's message is sent (`shopbot:message`
of the customer) to the first bot message rendered, over --messages messages
in one conversation.  Writes its section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, List

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import start_bot  # noqa: E402
from bench.report import write_section  # noqa: E402
from bot.runtime.embedded_redis import free_port  # noqa: E402
from tests.support.browser import wait_until  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
RECORDER = """
window.__shopbot = {events: [], ready: null};
document.addEventListener('shopbot:ready', e => { if (window.__shopbot.ready === null) window.__shopbot.ready = performance.now(); });
document.addEventListener('shopbot:message', e => window.__shopbot.events.push({who: e.detail.who, t: performance.now()}));
"""
MESSAGES = [
    "你好", "推荐一双跑步鞋", "500元以内的", "有没有黑色的", "42码", "耐克的呢", "谢谢",
    "我想买个蓝牙耳机", "预算300左右", "降噪的", "有没有华为的", "今天天气怎么样",
    "给宝宝买奶粉", "一段的", "怎么退货", "包邮吗", "有优惠吗", "口红推荐一下", "送女朋友", "再见",
]


@contextmanager
def running_bot(url: str, timeout: float) -> Iterator[str]:
    """The given bot, or one started with the run command on free ports (stopped afterwards)."""
    if url:
        yield url.rstrip("/")
        return
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as data_dir:
        process = start_bot(data_dir, port)
        try:
            started = time.perf_counter()
            while True:
                if process.poll() is not None:
                    raise SystemExit("the run command stopped (is there a trained model? run make train)")
                if time.perf_counter() - started > timeout:
                    raise SystemExit(f"the bot did not answer within {timeout:.0f} s")
                try:
                    reply = requests.post(f"{url}/webhooks/rest/webhook", json={"sender": "bench", "message": "你好"},
                                          timeout=30)
                    if reply.ok and reply.json():
                        break
                except requests.RequestException:
                    pass
                time.sleep(0.5)
            yield url
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(60)




def percentile(values: List[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def measure(url: str, chromium: str, loads: int, messages: int) -> dict:
    from playwright.sync_api import sync_playwright

    load_times: List[float] = []
    reply_times: List[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            for _ in range(loads):
                context = browser.new_context(locale="zh-CN")
                context.add_init_script(RECORDER)
                page = context.new_page()
                page.goto(f"{url}/shop/")
                page.wait_for_selector('.sbw-root[data-state="online"]', state="attached", timeout=60_000)
                load_times.append(page.evaluate("window.__shopbot.ready"))
                context.close()

            context = browser.new_context(locale="zh-CN")
            context.add_init_script(RECORDER)
            page = context.new_page()
            page.goto(f"{url}/shop/")
            page.wait_for_selector('.sbw-root[data-state="online"]', state="attached", timeout=60_000)
            for index in range(messages):
                text = MESSAGES[index % len(MESSAGES)]
                before = page.evaluate("window.__shopbot.events.length")
                page.fill(".sbw-input", text)
                page.press(".sbw-input", "Enter")
                try:
                    wait_until(page, f"window.__shopbot.events.slice({before}).some(e => e.who === 'bot')",
                               timeout=60_000)
                except TimeoutError:
                    raise SystemExit(f"no reply to message {index + 1} ({text!r}) within 60 s") from None
                events = page.evaluate(f"window.__shopbot.events.slice({before})")
                sent = next(e["t"] for e in events if e["who"] == "user")
                replied = next(e["t"] for e in events if e["who"] == "bot" and e["t"] >= sent)
                reply_times.append(replied - sent)
                # let the rest of this turn's messages arrive before the next one
                page.wait_for_timeout(300)
            context.close()
        finally:
            browser.close()
    return {"load": load_times, "reply": reply_times, "rest": rest_times(url, messages)}


def rest_times(url: str, messages: int) -> List[float]:
    """The same conversation through the REST channel: the server's share of the reply time."""
    sender = f"bench-widget-rest-{int(time.time())}"
    times = []
    for index in range(messages):
        started = time.perf_counter()
        reply = requests.post(f"{url}/webhooks/rest/webhook",
                              json={"sender": sender, "message": MESSAGES[index % len(MESSAGES)]}, timeout=60)
        reply.raise_for_status()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="", help="a running bot (default: start the run command)")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
    parser.add_argument("--loads", type=int, default=5, help="fresh page loads to time")
    parser.add_argument("--messages", type=int, default=20, help="messages to time in one conversation")
    parser.add_argument("--timeout", type=float, default=900, help="seconds to wait for a started bot")
    parser.add_argument("--note", default="", help="a line added under the table (which model, what load)")
    parser.add_argument("--no-write", action="store_true", help="print only, leave docs/benchmarks.md alone")
    args = parser.parse_args()
    if not Path(args.chromium).exists():
        raise SystemExit(f"{args.chromium} is missing: apt-get install chromium")

    with running_bot(args.url, args.timeout) as url:
        figures = measure(url, args.chromium, args.loads, args.messages)

    load, reply, rest = figures["load"], figures["reply"], figures["rest"]
    body = [
        "| measure | runs | median | p95 | max | target |",
        "| --- | --- | --- | --- | --- | --- |",
        f"| page load → widget connected (`/shop/`, empty cache) | {len(load)} | {statistics.median(load):.0f} ms "
        f"| {percentile(load, 0.95):.0f} ms | {max(load):.0f} ms | < 1000 ms |",
        f"| message sent → first bot message shown | {len(reply)} | {statistics.median(reply):.0f} ms "
        f"| {percentile(reply, 0.95):.0f} ms | {max(reply):.0f} ms | < 1000 ms |",
        f"| same messages through the REST channel (the server's share, whole reply) | {len(rest)} "
        f"| {statistics.median(rest):.0f} ms | {percentile(rest, 0.95):.0f} ms | {max(rest):.0f} ms | |",
        "",
        f"Headless Chromium ({args.chromium}) and the bot on the same machine; times from performance.now() in the "
        f"page. Messages: {', '.join(MESSAGES[:min(len(MESSAGES), args.messages)])}.",
    ]
    if args.note:
        body += ["", args.note]
    command = "python bench/widget_browser.py" + (f" --url {args.url}" if args.url else "")
    if not args.no_write:
        write_section("Web chat widget in Chromium", command, body)
    print("\n".join(body))
    print("\nreply times (ms):", ", ".join(f"{value:.0f}" for value in reply))
    print("REST times (ms):", ", ".join(f"{value:.0f}" for value in rest))


if __name__ == "__main__":
    main()
