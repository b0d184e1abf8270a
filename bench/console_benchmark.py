"""The agents' console: inbox pages over 100,000 conversations, and live handoffs and replies.

    python bench/console_benchmark.py        (make bench-console)

1. Inbox at scale: an embedded Redis of its own holds 100,000 conversations
   (written through the conversation index, as the rasa server writes them;
   2,000 of them waiting for an agent) and a console process serves them.
   Pages of 50 are fetched through the JSON API, logged in as an agent:
   newest first, following cursors deep into the list, the waiting queue,
   by channel, by status and channel, and a text search.  p50/p95 per kind.
2. Live: the whole bot from the run command (``RASA_MODEL`` serves a given
   model instead of training one) with web-widget customers over socket.io:
   each asks for a person (转人工); the time from the bot's reply in the
   widget to the ``handoff`` event on an agent's event stream; then the agent
   takes over and writes, and the time from the API call to the message
   reaching the open widget.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import redis.asyncio
import socketio

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import percentile, start_bot, wait_http  # noqa: E402
from bench.report import write_section  # noqa: E402
from bot.runtime.embedded_redis import EmbeddedRedis, free_port  # noqa: E402
from bot.store.conversations import ConversationIndex  # noqa: E402

CONVERSATIONS = 100_000
WAITING = 2_000
REQUESTS_PER_KIND = 200
LIVE_CUSTOMERS = 10
CHANNELS = ("socketio", "wechat", "telegram", "rest", "wecom")
WORDS = ("跑步鞋", "蓝牙耳机", "洗面奶", "连衣裙", "手机", "零食", "口红", "羽绒服", "退货", "快递")
AGENT = ("bench", "bench-password-1")


async def fill(url: str) -> float:
    client = redis.asyncio.Redis.from_url(url, decode_responses=True)
    index = ConversationIndex(client, "shopbot")
    started, now = time.perf_counter(), time.time() - CONVERSATIONS
    batch = 2000
    for first in range(0, CONVERSATIONS, batch):
        async with client.pipeline(transaction=False) as pipe:
            for number in range(first, min(first + batch, CONVERSATIONS)):
                text = f"想看看{WORDS[number % len(WORDS)]}，第{number}位顾客"
                args = [index.prefix, f"c{number:06d}", "customer", CHANNELS[number % len(CHANNELS)],
                        repr(now + number), text, 4000]
                await index._record(keys=[index.key(f"c{number:06d}"), index.key(f"c{number:06d}") + ":search"],
                                    args=args, client=pipe)
            await pipe.execute()
    for number in random.Random(7).sample(range(CONVERSATIONS), WAITING):
        await index.request_agent(f"c{number:06d}", "bench", CHANNELS[number % len(CHANNELS)])
    memory = (await client.info("memory"))["used_memory"] / 2 ** 20
    await client.close()
    print(f"filled {CONVERSATIONS} conversations in {time.perf_counter() - started:.0f} s; Redis {memory:.0f} MiB")
    return memory


def client_session() -> aiohttp.ClientSession:
    # unsafe: keep cookies of an IP address (127.0.0.1), as browsers do
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def timed(session: aiohttp.ClientSession, url: str, params: dict) -> tuple:
    started = time.perf_counter()
    async with session.get(url, params=params) as response:
        body = await response.json()
        assert response.status == 200, body
    return (time.perf_counter() - started) * 1000, body


async def login(session: aiohttp.ClientSession, console: str) -> str:
    async with session.post(f"{console}/api/login", json={"username": AGENT[0], "password": AGENT[1]}) as response:
        assert response.status == 200, await response.text()
        return (await response.json())["csrf_token"]


async def inbox_figures(console: str) -> dict:
    figures = {}
    async with client_session() as session:
        await login(session, console)
        url = f"{console}/api/conversations"
        kinds = {
            "inbox, first page": lambda _: {"limit": 50},
            "waiting queue": lambda _: {"status": "waiting", "limit": 50},
            "one channel": lambda _: {"channel": "wechat", "limit": 50},
            "status and channel": lambda _: {"status": "waiting", "channel": "telegram", "limit": 50},
            "text search": lambda n: {"q": WORDS[n % len(WORDS)], "limit": 50},
        }
        for name, params in kinds.items():
            times = [(await timed(session, url, params(n)))[0] for n in range(REQUESTS_PER_KIND)]
            figures[name] = times
        # deep pages: follow the cursor from the first page on
        times, cursor = [], None
        while len(times) < REQUESTS_PER_KIND:
            elapsed, body = await timed(session, url, {"limit": 50, **({"cursor": cursor} if cursor else {})})
            times.append(elapsed)
            cursor = body["next_cursor"]
        figures["inbox, next pages (cursor)"] = times
    return figures


def start_console(redis_url: str, port: int) -> subprocess.Popen:
    env = {**os.environ, "REDIS_URL": redis_url, "CONSOLE_AGENTS": f"{AGENT[0]}:{AGENT[1]}:agent"}
    return subprocess.Popen([sys.executable, "-m", "bot.console", "serve", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class Widget:
    """One customer's widget: Rasa's socket.io protocol, every bot_uttered time-stamped."""

    def __init__(self, url: str) -> None:
        self.url, self.session_id = url, None
        self.client = socketio.AsyncClient(reconnection=False)
        self.received: list = []
        self.client.on("bot_uttered", lambda data: self.received.append((time.perf_counter(), data)))
        self.confirmed = asyncio.Event()

        async def confirm(data):
            self.session_id = data if isinstance(data, str) else data.get("session_id")
            self.confirmed.set()

        self.client.on("session_confirm", confirm)

    async def open(self) -> None:
        # polling: this python-engineio's websocket client needs a newer aiohttp than Rasa allows
        await self.client.connect(self.url, transports=["polling"])
        await self.client.emit("session_request", {"session_id": None})
        await asyncio.wait_for(self.confirmed.wait(), 30)

    async def say(self, text: str) -> float:
        before = len(self.received)
        await self.client.emit("user_uttered", {"message": text, "session_id": self.session_id})
        while len(self.received) == before:
            await asyncio.sleep(0.005)
        return self.received[before][0]

    async def wait_for(self, fragment: str, since: int, timeout: float = 10) -> float:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            for at, data in self.received[since:]:
                if fragment in str(data.get("text", "")):
                    return at
            await asyncio.sleep(0.002)
        raise TimeoutError(f"{fragment!r} never reached the widget")


async def read_stream(session: aiohttp.ClientSession, console: str, events: dict) -> None:
    async with session.get(f"{console}/api/stream", timeout=aiohttp.ClientTimeout(total=None)) as response:
        event = None
        async for raw in response.content:
            line = raw.decode("utf-8").rstrip("\r\n")
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:") and event == "handoff":
                events.setdefault(json.loads(line[5:])["id"], time.perf_counter())


async def live_figures(rasa: str, console: str) -> dict:
    handoff_ms, reply_ms = [], []
    async with client_session() as session:
        csrf = await login(session, console)
        events: dict = {}
        reader = asyncio.create_task(read_stream(session, console, events))
        await asyncio.sleep(1)
        for _ in range(LIVE_CUSTOMERS):
            widget = Widget(rasa)
            await widget.open()
            await widget.say("你好")
            replied = await widget.say("我要转人工客服")
            deadline = time.perf_counter() + 10
            while widget.session_id not in events and time.perf_counter() < deadline:
                await asyncio.sleep(0.002)
            # negative: the event reached the agent before the reply reached the customer
            handoff_ms.append((events[widget.session_id] - replied) * 1000)
            path = f"{console}/api/conversations/{widget.session_id}"
            async with session.post(f"{path}/takeover", headers={"X-CSRF-Token": csrf}) as response:
                assert response.status == 200, await response.text()
            await widget.wait_for("接入", 0)
            since = len(widget.received)
            sent = time.perf_counter()
            async with session.post(f"{path}/messages", json={"text": "您好，我来帮您"},
                                    headers={"X-CSRF-Token": csrf}) as response:
                assert (await response.json())["delivered"] is True
            reply_ms.append((await widget.wait_for("我来帮您", since) - sent) * 1000)
            await widget.client.disconnect()
        reader.cancel()
    return {"handoff on the agent's stream after the bot's reply": handoff_ms,
            "agent message to the open widget": reply_ms}


def rows(figures: dict) -> list:
    lines = ["| measure | n | p50 ms | p95 ms | max ms |", "| --- | --- | --- | --- | --- |"]
    for name, values in figures.items():
        lines.append(f"| {name} | {len(values)} | {percentile(values, 0.5):.1f} | {percentile(values, 0.95):.1f} "
                     f"| {max(values):.1f} |")
    return lines


async def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        store = EmbeddedRedis(free_port(), Path(scratch) / "redis", appendonly=False).start()
        port = free_port()
        console = start_console(store.url, port)
        try:
            memory = await fill(store.url)
            await wait_http(f"http://127.0.0.1:{port}/health", 60)
            inbox = await inbox_figures(f"http://127.0.0.1:{port}")
        finally:
            console.send_signal(signal.SIGTERM)
            console.wait(30)
            store.stop()
        for name, values in inbox.items():
            print(f"{name}: p50 {percentile(values, 0.5):.1f} ms, p95 {percentile(values, 0.95):.1f} ms")

        rasa_port, console_port = free_port(), free_port()
        bot = start_bot(str(Path(scratch) / "bot"), rasa_port,
                        {"CONSOLE_PORT": str(console_port), "CONSOLE_AGENTS": f"{AGENT[0]}:{AGENT[1]}:agent",
                         "SERVICE_HOURS": "00:00-24:00"})
        try:
            await wait_http(f"http://127.0.0.1:{rasa_port}/", 1800)
            await wait_http(f"http://127.0.0.1:{console_port}/health", 120)
            live = await live_figures(f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{console_port}")
        finally:
            bot.send_signal(signal.SIGTERM)
            bot.wait(60)
        for name, values in live.items():
            print(f"{name}: p50 {percentile(values, 0.5):.1f} ms, max {max(values):.1f} ms")

    model = os.environ.get("RASA_MODEL")
    body = [
        f"Inbox pages of 50 through the JSON API, {CONVERSATIONS:,} conversations in Redis "
        f"({WAITING:,} waiting; {memory:.0f} MiB of Redis memory for the index), {REQUESTS_PER_KIND} requests each, "
        "one client after another.  Targets: inbox page p95 ≤ 100 ms, waiting-queue page p95 ≤ 50 ms.",
        "",
        *rows(inbox),
        "",
        f"Live, the whole bot from the run command{' serving ' + Path(model).name if model else ''}, "
        f"{LIVE_CUSTOMERS} widget customers over socket.io (long-polling) one after another.  Target: ≤ 1 s each.  "
        "The handoff figure is the event's arrival on the agent's stream minus the bot's reply's arrival in the "
        "widget: negative when the agent hears of it first (the action publishes it before the reply is sent).",
        "",
        *rows(live),
    ]
    write_section("Agents' console", "python bench/console_benchmark.py", body)


if __name__ == "__main__":
    asyncio.run(main())
