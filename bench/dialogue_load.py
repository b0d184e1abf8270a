"""Full REST turns under load, ours beside the stock `rasa init` bot (issue 5 targets).

    python bench/dialogue_load.py        (make bench-dialogue; needs a trained model: make train)

1. Starts our whole bot with the run command (embedded Redis, recommender, action
   server, rasa server) on free ports with a fresh data directory.
2. One customer alone: recommendation turns one after another → p50/p95.
3. 20 customers, each pausing 2 s between messages, for 60 s → p95 of every turn
   (each starts at a random moment within the first 2 s).
4. Saturation: 20 customers without pauses for 30 s → turns per second.
5. Resident memory of all our processes together.
6. The stock bot: `rasa init --no-prompt` in a temporary folder (trains its own
   model), `rasa run` on a free port, saturated the same way with its own small talk.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional

import aiohttp
import psutil
import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import percentile, start_bot  # noqa: E402
from bench.report import write_section  # noqa: E402
from bot.runtime.embedded_redis import free_port  # noqa: E402

CUSTOMERS = 20
PAUSED_SECONDS = 60
SATURATION_SECONDS = 30
REQUESTS = ("有没有三百以内的跑步鞋", "推荐一款蓝牙耳机", "想买个适合油皮的洗面奶", "五百左右的连衣裙",
            "推荐一款拍照好的手机", "给宝宝买点零食", "两千以内的笔记本电脑", "有没有耐克的篮球鞋",
            "推荐一支口红送女朋友", "想买件羽绒服，一千以内")
FOLLOW_UPS = ("要黑色的", "第二个防水吗", "这两款哪个好", "第一个有42码吗", "包邮吗", "谢谢")
STOCK_MESSAGES = ("hello", "I am happy", "great", "are you a bot?", "bye")


def wait_for_answer(url: str, process: subprocess.Popen, timeout: float = 900) -> None:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if process.poll() is not None:
            raise SystemExit(f"the bot at {url} exited during start-up")
        try:
            if requests.post(f"{url}/webhooks/rest/webhook", json={"sender": "warmup", "message": "你好"},
                             timeout=30).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    raise SystemExit(f"the bot at {url} did not answer within {timeout:.0f} s")


async def turn(session: aiohttp.ClientSession, url: str, sender: str, text: str) -> float:
    began = time.perf_counter()
    async with session.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}) as reply:
        assert reply.status == 200, await reply.text()
        await reply.read()
    return (time.perf_counter() - began) * 1000


async def alone(url: str, count: int = 40) -> list[float]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        return [await turn(session, url, f"alone-{n}", REQUESTS[n % len(REQUESTS)]) for n in range(count)]


async def crowd(url: str, seconds: float, pause: float, messages, prefix: str) -> tuple[list[float], float]:
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    rng = random.Random(3)

    async def customer(number: int, session: aiohttp.ClientSession) -> None:
        sender = f"{prefix}-{number}-{rng.randrange(10**6)}"
        step = 0
        if pause:
            # Customers arrive at random moments, as real ones do; twenty messages
            # in the same millisecond, again after every pause, would be a burst test.
            await asyncio.sleep(rng.uniform(0, pause))
        while time.perf_counter() < deadline:
            latencies.append(await turn(session, url, sender, messages(step)))
            step += 1
            if pause:
                await asyncio.sleep(pause)

    connector = aiohttp.TCPConnector(limit=CUSTOMERS)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=120)) as session:
        began = time.perf_counter()
        await asyncio.gather(*(customer(n, session) for n in range(CUSTOMERS)))
        elapsed = time.perf_counter() - began
    return latencies, len(latencies) / elapsed


def ours_messages(step: int) -> str:
    sequence = (REQUESTS[step // len(FOLLOW_UPS) % len(REQUESTS)],) + FOLLOW_UPS
    return sequence[step % len(sequence)]


def tree_rss_mb(pid: int) -> float:
    root = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [root, *root.children(recursive=True)]) / 2**20


def measure_ours(extra_env: Optional[dict] = None) -> dict:
    rasa_port = free_port()
    url = f"http://127.0.0.1:{rasa_port}"
    with tempfile.TemporaryDirectory() as data_dir:
        process = start_bot(data_dir, rasa_port, extra_env)
        try:
            wait_for_answer(url, process)
            asyncio.run(alone(url, 10))  # warm-up: first calls of every model and action
            asyncio.run(crowd(url, 20, 0, ours_messages, "warmup"))
            single = asyncio.run(alone(url))
            paused, _ = asyncio.run(crowd(url, PAUSED_SECONDS, 2.0, ours_messages, "paused"))
            saturated, rate = asyncio.run(crowd(url, SATURATION_SECONDS, 0, ours_messages, "busy"))
            memory = tree_rss_mb(process.pid)
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(120)
    return {"single": single, "paused": paused, "saturated": saturated, "rate": rate, "memory": memory}


def measure_stock() -> dict:
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([sys.executable, "-m", "rasa", "init", "--no-prompt", "--init-dir", folder],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"})
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        process = subprocess.Popen([sys.executable, "-m", "rasa", "run", "--port", str(port)], cwd=folder,
                                   env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"},
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for_answer(url, process)
            saturated, rate = asyncio.run(crowd(
                url, SATURATION_SECONDS, 0, lambda step: STOCK_MESSAGES[step % len(STOCK_MESSAGES)], "stock"))
            memory = tree_rss_mb(process.pid)
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(120)
    return {"saturated": saturated, "rate": rate, "memory": memory}


def compare_aof_policies() -> None:
    """`make bench-dialogue BENCH_ARGS=--aof`: the same load with the embedded Redis on each AOF policy."""
    rows = ["| REDIS_APPENDFSYNC | alone p50 / p95 | 20 customers pausing 2 s: p50 / p95 | saturation turns/s "
            "| saturation p95 |", "| --- | --- | --- | --- | --- |"]
    for policy in ("everysec", "always"):
        ours = measure_ours({"REDIS_APPENDFSYNC": policy})
        rows.append(
            f"| {policy} | {statistics.median(ours['single']):.0f} / {percentile(ours['single'], 0.95):.0f} ms "
            f"| {statistics.median(ours['paused']):.0f} / {percentile(ours['paused'], 0.95):.0f} ms "
            f"| {ours['rate']:.1f} | {percentile(ours['saturated'], 0.95):.0f} ms |")
        print(rows[-1], flush=True)
    body = ["The dialogue load above, once per AOF fsync policy of the embedded Redis (docs/operations.md, "
            "\"When Redis goes away\"): `always` fsyncs every write, so a machine crash loses nothing "
            "acknowledged; `everysec` may lose the last second.", "", *rows]
    write_section("Redis AOF policy under load", "make bench-dialogue BENCH_ARGS=--aof", body)
    print("\n".join(body))


def main() -> None:
    if "--aof" in sys.argv[1:]:
        compare_aof_policies()
        return
    ours = measure_ours()
    stock = measure_stock()
    body = [
        f"{CUSTOMERS} concurrent customers; our turns mix recommendations with follow-ups "
        "(product questions, comparison, FAQ, thanks); the stock bot is `rasa init`'s moodbot.", "",
        "| measure | ours | stock `rasa init` | target (ours) |", "| --- | --- | --- | --- |",
        f"| one customer alone, recommending turn: p50 / p95 | {statistics.median(ours['single']):.0f} / "
        f"{percentile(ours['single'], 0.95):.0f} ms | — | p50 ≤ 120 ms |",
        f"| {CUSTOMERS} customers pausing 2 s: p50 / p95 | {statistics.median(ours['paused']):.0f} / "
        f"{percentile(ours['paused'], 0.95):.0f} ms | — | p95 ≤ 300 ms |",
        f"| saturation (no pauses, {SATURATION_SECONDS} s): turns/s | {ours['rate']:.1f} | {stock['rate']:.1f} | "
        "not below stock |",
        f"| saturation: p95 | {percentile(ours['saturated'], 0.95):.0f} ms | "
        f"{percentile(stock['saturated'], 0.95):.0f} ms | — |",
        f"| resident memory, all processes | {ours['memory']:.0f} MB | {stock['memory']:.0f} MB | ≤ 3072 MB |",
    ]
    write_section("Dialogue turns under load", "python bench/dialogue_load.py", body)
    print("\n".join(body))


if __name__ == "__main__":
    main()
