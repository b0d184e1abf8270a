"""Weeks of varied customers through the real bot over REST, with shifted clocks, so the analytics have data.

    python bench/simulate_customers.py --out DIR                 (starts its own bot, writes the report to DIR)
    python bench/simulate_customers.py --rasa http://localhost:5005 --recommender http://localhost:5056

With ``--rasa``, the running bot must have been started with ``SHOPBOT_SIMULATED_CLOCK=1``
(``SHOPBOT_SIMULATED_CLOCK=1 make run``): only then does it log a message at the time the
simulator says (``metadata.simulated_at``) rather than now.  Purchases are reported to the
recommender's ``POST /events`` with their own ``timestamp``, as a shop's order system would.

Each simulated customer has a favourite category and a budget, first chats on a random day of
one of the simulated weeks, and on each visit greets, asks for products in natural text, often
asks about one, sometimes picks a card (a click), buys, or asks for a price-drop alert.  The
chance of coming back falls week by week, so the cohorts show a realistic decay.  Seeded: the
same arguments give the same customers.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import start_bot, wait_http  # noqa: E402
from bot.runtime.embedded_redis import free_port  # noqa: E402

DAY = 86400
WANTS = (("跑步鞋", ("300以内", "500左右", "一千以内")), ("蓝牙耳机", ("200以内", "五百左右", "降噪的")),
         ("洗面奶", ("一百以内", "适合油皮的", "温和一点的")), ("连衣裙", ("三百以内", "显瘦的", "")),
         ("零食", ("五十以内", "送人的", "")), ("口红", ("两百左右", "", "")), ("双肩包", ("三百以内", "", "")))
ASKING = ("帮我推荐一款{budget}的{category}", "有没有{budget}{category}", "想买{category}，{budget}", "{category}推荐一下")
QUESTIONS = ("第一个怎么样", "第二款是什么材质的", "第一个有货吗", "这几款哪个好")
RETURN_CHANCE = (0.55, 0.4, 0.3, 0.25, 0.2, 0.15, 0.12, 0.1)


class Simulator:
    def __init__(self, rasa: str, recommender: str, weeks: int, per_week: int, seed: int) -> None:
        self.rasa, self.recommender = rasa.rstrip("/"), recommender.rstrip("/")
        self.weeks, self.per_week = weeks, per_week
        self.rng = random.Random(seed)
        self.turns = 0
        self.run_id = f"{seed}-{int(time.time())}"

    async def say(self, session: aiohttp.ClientSession, sender: str, text: str, at: float) -> list:
        self.turns += 1
        async with session.post(f"{self.rasa}/webhooks/rest/webhook",
                                json={"sender": sender, "message": text, "metadata": {"simulated_at": at}}) as answer:
            return await answer.json(content_type=None) if answer.status == 200 else []

    async def visit(self, session: aiohttp.ClientSession, sender: str, wants: tuple, at: float) -> None:
        category, budgets = wants
        await self.say(session, sender, self.rng.choice(("你好", "在吗", "hi")), at)
        text = self.rng.choice(ASKING).format(category=category, budget=self.rng.choice(budgets))
        replies = await self.say(session, sender, text, at + 20)
        cards = [product for reply in replies if isinstance(reply.get("custom"), dict)
                 for product in reply["custom"].get("products", [])]
        if not cards:
            return
        if self.rng.random() < 0.6:
            await self.say(session, sender, self.rng.choice(QUESTIONS), at + 60)
        if self.rng.random() < 0.35:
            card = self.rng.choice(cards[:3])
            await self.say(session, sender, f"我想了解这款：{card['title']}（{card['id']}）", at + 90)
            if self.rng.random() < 0.4:
                async with session.post(f"{self.recommender}/events", json={
                        "customer_id": f"chat:{sender}", "type": "bought", "product_id": card["id"],
                        "timestamp": at + 300}) as answer:
                    await answer.read()
        elif self.rng.random() < 0.15:
            await self.say(session, sender, "第一款降价了通知我", at + 120)

    async def run(self) -> int:
        start = time.time() - self.weeks * 7 * DAY
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as session:
            plans = []
            for week in range(self.weeks):
                for number in range(self.per_week):
                    sender = f"sim-{self.run_id}-w{week}-{number}"
                    first = start + week * 7 * DAY + self.rng.uniform(0, 7 * DAY)
                    visits, at = [first], first
                    for chance in RETURN_CHANCE:
                        at += 7 * DAY * self.rng.uniform(0.6, 1.4)
                        if at >= time.time() - 600 or self.rng.random() > chance:
                            break
                        visits.append(at)
                    plans.append((sender, self.rng.choice(WANTS), visits))
            for sender, wants, visits in plans:
                for at in visits:
                    await self.visit(session, sender, wants, at)
        return len(plans)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--weeks", type=int, default=6)
    parser.add_argument("--per-week", type=int, default=25, help="new customers per simulated week")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rasa", help="a running bot (started with SHOPBOT_SIMULATED_CLOCK=1)")
    parser.add_argument("--recommender", default="http://127.0.0.1:5056")
    parser.add_argument("--out", type=Path, help="write the retention report here afterwards (own bot only)")
    args = parser.parse_args()
    if args.rasa:
        simulator = Simulator(args.rasa, args.recommender, args.weeks, args.per_week, args.seed)
        customers = await simulator.run()
        print(f"{customers} customers, {simulator.turns} turns; now: python -m bot.analytics report --out DIR")
        return
    with tempfile.TemporaryDirectory() as scratch:
        rasa_port, recommender_port, redis_port = free_port(), free_port(), free_port()
        bot = start_bot(str(Path(scratch) / "bot"), rasa_port,
                        {"RECOMMENDER_PORT": str(recommender_port), "EMBEDDED_REDIS_PORT": str(redis_port),
                         "SHOPBOT_SIMULATED_CLOCK": "1"})
        try:
            await wait_http(f"http://127.0.0.1:{rasa_port}/", 1800)
            simulator = Simulator(f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{recommender_port}",
                                  args.weeks, args.per_week, args.seed)
            started = time.perf_counter()
            customers = await simulator.run()
            print(f"{customers} customers, {simulator.turns} turns in {time.perf_counter() - started:.0f} s")
            if args.out:
                await report(f"redis://127.0.0.1:{redis_port}/0", args.out)
        finally:
            bot.send_signal(signal.SIGTERM)
            bot.wait(60)


async def report(redis_url: str, out: Path) -> Optional[int]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.analytics", "report", "--out", str(out), cwd=ROOT,
        env={"REDIS_URL": redis_url, "PATH": "/usr/bin:/bin"})
    return await process.wait()


if __name__ == "__main__":
    asyncio.run(main())
