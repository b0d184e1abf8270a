"""The retention report over 1,000,000 logged events.

    python bench/analytics_benchmark.py        (make bench-analytics)

An embedded Redis of its own is filled with a million log entries written the
way the bot writes them (600,000 customer turns, 350,000 shown / clicked /
asked / bought events, 50,000 alert outcomes) for 40,000 people over twelve
weeks; then ``python -m bot.analytics report`` runs against it as an operator
would.  Target: ≤ 60 s for the whole report (reading, figures, charts, files).
"""

from __future__ import annotations

import asyncio
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis.asyncio

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.report import write_section  # noqa: E402
from bot.runtime.embedded_redis import EmbeddedRedis, free_port  # noqa: E402

TURNS, EVENTS, ALERTS = 600_000, 350_000, 50_000
PEOPLE = 40_000
WEEKS = 12
CATEGORIES = ("跑步鞋", "蓝牙耳机", "洗面奶", "连衣裙", "零食", "口红", "双肩包", "手机")
REASONS = ("个人偏好", "需求匹配", "预算", "品牌", "颜色尺码", "口碑及其他")


async def fill(url: str) -> None:
    rng = random.Random(11)
    client = redis.asyncio.Redis.from_url(url, decode_responses=True)
    now = time.time()
    first = {n: now - rng.uniform(0, WEEKS * 7 * 86400) for n in range(PEOPLE)}

    def when(person: int) -> float:
        return min(now, first[person] + rng.expovariate(1 / (10 * 86400)))

    async def write(key: str, count: int, make) -> None:
        for start in range(0, count, 10_000):
            async with client.pipeline(transaction=False) as pipe:
                for _ in range(min(10_000, count - start)):
                    pipe.xadd(key, make())
                await pipe.execute()

    def turn():
        person = rng.randrange(PEOPLE)
        return {"person": f"chat:p{person}", "conversation": f"p{person}", "channel": "rest", "intent": "greet",
                "confidence": f"{rng.random():.3f}", "fallback": int(rng.random() < 0.05),
                "handoff": int(rng.random() < 0.02), "ts": repr(when(person))}

    def event():
        person = rng.randrange(PEOPLE)
        kind = rng.choices(("shown", "clicked", "asked", "bought"), (70, 15, 10, 5))[0]
        return {"customer": f"chat:p{person}", "type": kind, "product": f"P{rng.randrange(2000)}",
                "category": rng.choice(CATEGORIES), "brand": "", "price": "99.0", "text": "",
                "reason": rng.choice(REASONS), "ts": repr(when(person))}

    def alert():
        person = rng.randrange(PEOPLE)
        return {"person": f"chat:p{person}", "product": f"P{rng.randrange(2000)}",
                "kind": rng.choice(("price_drop", "restock", "new_arrival")),
                "outcome": rng.choice(("sent", "kept", "blocked")), "ts": repr(when(person))}

    await write("bench:analytics:turns", TURNS, turn)
    await write("bench:events", EVENTS, event)
    await write("bench:alerts:log", ALERTS, alert)
    await client.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        server = EmbeddedRedis(free_port(), Path(scratch) / "redis", appendonly=False).start()
        try:
            started = time.perf_counter()
            asyncio.run(fill(server.url))
            print(f"filled {TURNS + EVENTS + ALERTS:,} entries in {time.perf_counter() - started:.0f} s")
            out = Path(scratch) / "report"
            started = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "bot.analytics", "report", "--out", str(out)], cwd=ROOT,
                                  env={"REDIS_URL": server.url, "REDIS_KEY_PREFIX": "bench", "PATH": "/usr/bin:/bin"},
                                  capture_output=True, text=True)
            seconds = time.perf_counter() - started
            assert done.returncode == 0, done.stderr
            print(done.stdout.strip(), f"— {seconds:.1f} s")
        finally:
            server.stop()
    write_section("Retention report", "python bench/analytics_benchmark.py", [
        f"`python -m bot.analytics report` over {TURNS + EVENTS + ALERTS:,} log entries ({TURNS:,} customer turns, "
        f"{EVENTS:,} shown/clicked/asked/bought events, {ALERTS:,} alert outcomes; {PEOPLE:,} people over {WEEKS} "
        "weeks) in an embedded Redis, as a separate process: reading, figures, five PNG charts, CSV and HTML.  "
        "Target ≤ 60 s.",
        "",
        f"| whole report | **{seconds:.1f} s** |",
        "| --- | --- |",
    ])


if __name__ == "__main__":
    main()
