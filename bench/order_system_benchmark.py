"""What calling the shop's order system adds to a customer's turn, against the demo order system.

    python bench/order_system_benchmark.py        (make bench-orders)

The whole bot from the run command (``RASA_MODEL`` serves a given model
instead of training one) with its demo order system.  The same question,
``订单 <id> 到哪了``, is sent on the REST channel by a guest (the action answers
without calling the order system) and by the logged-in demo customer (the
action reads the order from the order system and describes it), alternating,
each from a new chat.  The difference of the medians is what the order system
call costs a turn.  Also timed: the adapter's ``order_of`` alone, from this
process.  Target: ≤ 30 ms p50 added to a turn.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import percentile, start_bot, wait_http  # noqa: E402
from bench.report import write_section  # noqa: E402
from bot.identity import sign_customer_token  # noqa: E402
from bot.orders.http_adapter import HttpOrderSystem, OrderSystemSettings  # noqa: E402
from bot.runtime.embedded_redis import free_port  # noqa: E402

TURNS = 100
CUSTOMER = "demo-1001"


async def turn(session: aiohttp.ClientSession, url: str, sender: str, text: str, token: str = "") -> tuple:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    started = time.perf_counter()
    async with session.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                            headers=headers) as response:
        replies = await response.json()
    return (time.perf_counter() - started) * 1000, " ".join(reply.get("text", "") for reply in replies)


async def measure(rasa_url: str, orders_url: str, data_dir: Path) -> dict:
    secret = (data_dir / "customer_token_secret").read_text().strip()
    system = HttpOrderSystem(OrderSystemSettings(orders_url, (data_dir / "demo_order_system_token").read_text().strip()))
    try:
        order = (await system.orders_of(CUSTOMER))[2]
        adapter = []
        for _ in range(TURNS):
            started = time.perf_counter()
            await system.order_of(CUSTOMER, order.id)
            adapter.append((time.perf_counter() - started) * 1000)
    finally:
        await system.close()
    text = f"订单 {order.id} 到哪了"
    figures = {"guest": [], "customer": [], "adapter": adapter}
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        for number in range(10):  # warm-up: model, caches, connections
            await turn(session, rasa_url, f"warm-{number}", text, sign_customer_token(CUSTOMER, secret))
        for number in range(TURNS):
            guest_ms, guest_reply = await turn(session, rasa_url, f"guest-{number}", text)
            customer_ms, customer_reply = await turn(session, rasa_url, f"customer-{number}", text,
                                                     sign_customer_token(CUSTOMER, secret))
            assert "登录" in guest_reply and order.id not in guest_reply, guest_reply
            assert order.id in customer_reply, customer_reply
            figures["guest"].append(guest_ms)
            figures["customer"].append(customer_ms)
    return figures


async def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        data_dir = Path(scratch) / "bot"
        rasa_port, orders_port = free_port(), free_port()
        bot = start_bot(str(data_dir), rasa_port, {"ORDER_SYSTEM_PORT": str(orders_port)})
        try:
            await wait_http(f"http://127.0.0.1:{rasa_port}/", 1800)
            figures = await measure(f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{orders_port}", data_dir)
        finally:
            bot.send_signal(signal.SIGTERM)
            bot.wait(60)
    p50 = {name: percentile(values, 0.5) for name, values in figures.items()}
    p95 = {name: percentile(values, 0.95) for name, values in figures.items()}
    added = p50["customer"] - p50["guest"]
    for name in figures:
        print(f"{name}: p50 {p50[name]:.1f} ms, p95 {p95[name]:.1f} ms")
    print(f"added by the order system: {added:.1f} ms p50 (target ≤ 30 ms)")
    model = os.environ.get("RASA_MODEL")
    write_section("Order system in a turn", "python bench/order_system_benchmark.py", [
        f"The whole bot from the run command{' serving ' + Path(model).name if model else ''} with the demo order "
        f"system; {TURNS} turns each of `订单 <id> 到哪了` on REST, alternating a guest (no order-system call) and "
        "the logged-in demo customer (one `GET` of the order through the HTTP adapter), each from a new chat, one "
        "at a time.  Target: the order system adds ≤ 30 ms p50 to a turn.",
        "",
        "| | p50 ms | p95 ms |",
        "| --- | --- | --- |",
        f"| guest turn (no order-system call) | {p50['guest']:.1f} | {p95['guest']:.1f} |",
        f"| customer turn (order read from the order system) | {p50['customer']:.1f} | {p95['customer']:.1f} |",
        f"| `HttpOrderSystem.order_of` alone, from another process | {p50['adapter']:.1f} | {p95['adapter']:.1f} |",
        "",
        f"Added by the order system: **{added:.1f} ms p50** (target ≤ 30 ms).",
    ])


if __name__ == "__main__":
    asyncio.run(main())
