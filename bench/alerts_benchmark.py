"""Alerts: matching a catalog change against 10,000 subscriptions, and the time to an open widget.

    python bench/alerts_benchmark.py        (make bench-alerts)

1. Matching at scale: an embedded Redis of its own holds 10,000 price-drop
   subscriptions (50 chats on each of the demo catalog's 200 products), made
   through ``Subscriptions.subscribe`` as the action server makes them.  A
   catalog with every price 10% lower is handed to ``CatalogWatch.observe``
   (what the recommender does after ``POST /admin/catalog``): the time until
   all 10,000 notices are queued.  Target: ≤ 10 s.
2. Live: the whole bot from the run command (``RASA_MODEL`` serves a given
   model instead of training one), quiet hours off.  Web-widget customers over
   socket.io each ask for earphones and subscribe to the first one's price
   (第一款降价了通知我); the shop uploads a catalog with that product cheaper;
   the time from the upload's answer to the alert's arrival in the open
   widget.  Target: ≤ 5 s.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import aiohttp
import redis.asyncio
import socketio

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import percentile, start_bot, wait_http  # noqa: E402
from bench.report import write_section  # noqa: E402
from bot.alerts.catalog_watch import CatalogWatch  # noqa: E402
from bot.alerts.subscriptions import Subscriptions  # noqa: E402
from bot.catalog.model import DEMO_CATALOG_FILE, load_demo_catalog  # noqa: E402
from bot.runtime.embedded_redis import EmbeddedRedis, free_port  # noqa: E402
from bot.settings import ServiceHours  # noqa: E402

CHATS_PER_PRODUCT = 50
LIVE_CUSTOMERS = 5


async def matching(scratch: Path) -> dict:
    server = EmbeddedRedis(free_port(), scratch / "redis", appendonly=False).start()
    client = redis.asyncio.Redis.from_url(server.url, decode_responses=True)
    try:
        products = list(load_demo_catalog())
        subscriptions = Subscriptions(client, "bench")
        started = time.perf_counter()
        for product in products:
            await asyncio.gather(*(subscriptions.subscribe(
                f"chat-{product.id}-{number}", "price_drop", product_id=product.id, title=product.title,
                current_price=product.price) for number in range(CHATS_PER_PRODUCT)))
        made = time.perf_counter() - started
        watch = CatalogWatch(client, "bench", ServiceHours.alert_hours({"ALERT_QUIET_HOURS": "off"}))
        await watch.observe(products)  # the catalog the subscriptions were made on
        cheaper = [replace(product, price=round(product.price * 0.9, 2)) for product in products]
        report = await watch.observe(cheaper)
        memory = (await client.info("memory"))["used_memory"] / 2 ** 20
        return {"subscriptions": len(products) * CHATS_PER_PRODUCT, "made_s": made, "queued": report.queued,
                "match_s": report.seconds, "redis_mib": memory}
    finally:
        await client.close()
        server.stop()


async def live(rasa_url: str, recommender_url: str) -> list:
    rows = [json.loads(line) for line in DEMO_CATALOG_FILE.read_text("utf-8").splitlines() if line.strip()]
    delays = []
    async with aiohttp.ClientSession() as session:
        for number in range(LIVE_CUSTOMERS):
            replies: asyncio.Queue = asyncio.Queue()
            confirms: asyncio.Queue = asyncio.Queue()
            sio = socketio.AsyncClient(reconnection=False)
            sio.on("bot_uttered", replies.put_nowait)
            sio.on("session_confirm", confirms.put_nowait)
            await sio.connect(rasa_url, socketio_path="/socket.io", transports=["polling"], wait_timeout=30)
            try:
                await sio.emit("session_request", {"session_id": None})
                session_id = await asyncio.wait_for(confirms.get(), 30)
                await sio.call("user_uttered", {"message": "推荐一款蓝牙耳机", "session_id": session_id}, timeout=60)
                shown = []
                while not replies.empty():
                    reply = replies.get_nowait()
                    shown += [p["id"] for p in (reply.get("custom") or {}).get("products", [])]
                await sio.call("user_uttered", {"message": "第一款降价了通知我", "session_id": session_id}, timeout=60)
                while not replies.empty():
                    replies.get_nowait()
                changed = [dict(row, price=round(row["price"] * (0.8 - 0.05 * number), 2))
                           if row["id"] == shown[0] else row for row in rows]
                body = "\n".join(json.dumps(row, ensure_ascii=False) for row in changed).encode("utf-8")
                async with session.post(f"{recommender_url}/admin/catalog", data=body,
                                        headers={"Content-Type": "application/x-ndjson"}) as answer:
                    assert answer.status == 200, await answer.text()
                uploaded = time.perf_counter()
                alert = await asyncio.wait_for(replies.get(), 30)
                assert alert["text"].startswith("【降价提醒】"), alert
                delays.append((time.perf_counter() - uploaded) * 1000)
            finally:
                await sio.disconnect()
    return delays


async def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        scale = await matching(Path(scratch))
        print(f"{scale['subscriptions']} subscriptions made in {scale['made_s']:.1f} s; "
              f"{scale['queued']} alerts matched and queued in {scale['match_s']:.2f} s; Redis {scale['redis_mib']:.0f} MiB")
        rasa_port, recommender_port, alerts_port = free_port(), free_port(), free_port()
        bot = start_bot(str(Path(scratch) / "bot"), rasa_port,
                        {"RECOMMENDER_PORT": str(recommender_port), "ALERTS_PORT": str(alerts_port),
                         "ALERT_QUIET_HOURS": "off"})
        try:
            await wait_http(f"http://127.0.0.1:{rasa_port}/", 1800)
            await wait_http(f"http://127.0.0.1:{alerts_port}/health", 120)  # started after the rasa server
            delays = await live(f"http://127.0.0.1:{rasa_port}", f"http://127.0.0.1:{recommender_port}")
        finally:
            bot.send_signal(signal.SIGTERM)
            bot.wait(60)
    print(f"upload → open widget: p50 {percentile(delays, 0.5):.0f} ms, max {max(delays):.0f} ms")
    model = os.environ.get("RASA_MODEL")
    write_section("Alerts", "python bench/alerts_benchmark.py", [
        f"Matching: {scale['subscriptions']:,} price-drop subscriptions ({CHATS_PER_PRODUCT} chats on each of the demo "
        f"catalog's products) in an embedded Redis; a catalog with every price 10% lower handed to "
        "`CatalogWatch.observe`, as the recommender does after `POST /admin/catalog`.  Target ≤ 10 s.",
        "",
        "| | figure |",
        "| --- | --- |",
        f"| alerts matched and queued | {scale['queued']:,} in **{scale['match_s']:.2f} s** |",
        f"| Redis memory after (subscriptions, queue, catalog state) | {scale['redis_mib']:.0f} MiB |",
        "",
        f"Live: the whole bot from the run command{' serving ' + Path(model).name if model else ''}, quiet hours "
        f"off; {LIVE_CUSTOMERS} web-widget customers (socket.io long-polling) one after another subscribe to a "
        "product's price in natural text, then the shop uploads a catalog with it cheaper.  Target ≤ 5 s.",
        "",
        f"| upload answered → alert in the open widget | p50 {percentile(delays, 0.5):.0f} ms, "
        f"max {max(delays):.0f} ms |",
        "| --- | --- |",
    ])


if __name__ == "__main__":
    asyncio.run(main())
