"""Recommender speed on a 10,000-product catalog (issue 4 targets).

    python bench/recommender_benchmark.py        (make bench-recommender)

1. Generates a 10,000-product catalog from the demo one (new ids, titles, prices, stock).
2. Starts the real service (`python -m bot.recommender`) on it with an embedded Redis:
   the first start ever encodes every product (cached in $SHOPBOT_CACHE/bench-embeddings).
3. Restarts it: the start-up with cached embeddings.
4. One client, one request at a time: p50/p95 latency over varied requests, each text new
   (no query-embedding cache hits).
5. Saturation: 32 concurrent clients for 20 s, every text new: requests per second.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import percentile  # noqa: E402
from bench.report import write_section  # noqa: E402
from bot.catalog.model import DEMO_CATALOG_FILE  # noqa: E402
from bot.runtime.embedded_redis import EmbeddedRedis, free_port  # noqa: E402

PRODUCTS = 10_000
SINGLE_REQUESTS = 300
CONCURRENCY = 32
SATURATION_SECONDS = 20
# Kept between runs: the generated catalog is the same every time (seeded), so only
# the first run ever pays for encoding 10,000 products (408.8 s measured 2026-11-28).
CACHE = Path(os.environ.get("SHOPBOT_CACHE", Path.home() / ".cache" / "shopbot")) / "bench-embeddings"
VARIANTS = ("2027新款", "旗舰店", "升级版", "经典款", "限定", "青春版", "Pro", "加厚", "轻量", "礼盒装")
NEEDS = ("适合学生", "送女朋友", "通勤用", "性价比高的", "好评多的", "适合油皮", "跑步用的", "轻便的",
         "颜值高", "续航长", "平时上班用", "送爸妈", "夏天穿", "冬天保暖", "打游戏", "拍照好")
REQUESTS = (
    ("跑步鞋", "三百以内"), ("运动鞋", None), ("耳机", "500左右"), ("电脑", "5000以内"), ("护肤品", None),
    ("裙子", "200到400"), ("手机", "两千多"), ("口红", None), ("零食", "100以内"), ("咖啡", None),
    ("羽绒服", "1k以下"), ("智能手表", None), ("洗发水", "不超过八十"), ("儿童玩具", None),
)


def generate_catalog(path: Path) -> None:
    rows = [json.loads(line) for line in DEMO_CATALOG_FILE.read_text("utf-8").splitlines() if line.strip()]
    rng = random.Random(7)
    with path.open("w", encoding="utf-8") as out:
        for number in range(PRODUCTS):
            row = dict(rows[number % len(rows)])
            row["id"] = f"GEN{number:06d}"
            row["title"] = f"{row['title']} {rng.choice(VARIANTS)} {number}"
            row["price"] = round(row["price"] * rng.uniform(0.6, 1.5), 1)
            row["sales"] = rng.randint(0, 50_000)
            row["rating"] = round(rng.uniform(3.8, 5.0), 1)
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def request_body(rng: random.Random, number: int) -> dict:
    category, budget = rng.choice(REQUESTS)
    conditions = {"product_category": category}
    if budget:
        conditions["budget"] = budget
    text = f"{rng.choice(NEEDS)}的{category}{budget or ''}，第{number}次问"
    return {"customer_id": f"bench-{number % 50}", "text": text, "conditions": conditions}


def start(env: dict, port: int) -> tuple[subprocess.Popen, float]:
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "bot.recommender", "--port", str(port)], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while process.poll() is None:
        try:
            if requests.get(f"http://127.0.0.1:{port}/health", timeout=2).ok:
                return process, time.perf_counter() - started
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise SystemExit("the recommender exited during start-up")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


async def single_client(url: str, first: int) -> list[float]:
    rng = random.Random(first)
    latencies = []
    async with aiohttp.ClientSession() as session:
        for number in range(first, first + SINGLE_REQUESTS):
            body = request_body(rng, number)
            began = time.perf_counter()
            async with session.post(f"{url}/recommend", json=body) as response:
                assert response.status == 200, await response.text()
                await response.read()
            latencies.append((time.perf_counter() - began) * 1000)
    return latencies


async def saturation(url: str) -> tuple[float, list[float]]:
    rng = random.Random(2)
    counter = iter(range(10**9))
    done: list[float] = []
    deadline = time.perf_counter() + SATURATION_SECONDS

    async def client(session: aiohttp.ClientSession) -> None:
        while time.perf_counter() < deadline:
            body = request_body(rng, 100_000 + next(counter))
            began = time.perf_counter()
            async with session.post(f"{url}/recommend", json=body) as response:
                assert response.status == 200
                await response.read()
            done.append((time.perf_counter() - began) * 1000)

    connector = aiohttp.TCPConnector(limit=CONCURRENCY)
    async with aiohttp.ClientSession(connector=connector) as session:
        began = time.perf_counter()
        await asyncio.gather(*(client(session) for _ in range(CONCURRENCY)))
        elapsed = time.perf_counter() - began
    return len(done) / elapsed, done


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        catalog = work_dir / "catalog.jsonl"
        generate_catalog(catalog)
        redis = EmbeddedRedis(free_port(), work_dir / "redis")
        redis.start()
        port = free_port()
        env = {**os.environ, "REDIS_URL": redis.url, "SHOPBOT_CATALOG_FILE": str(catalog),
               "RECOMMENDER_CACHE_DIR": str(CACHE),  "SHOPBOT_DATA_DIR": str(work_dir / "data"),
               "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
        try:
            process, cold = start(env, port)
            stop(process)
            process, warm = start(env, port)
            url = f"http://127.0.0.1:{port}"
            asyncio.run(single_client(url, 0))  # warm-up: first batches, allocator
            single = asyncio.run(single_client(url, 10_000))  # texts the warm-up did not cache
            throughput, loaded = asyncio.run(saturation(url))
            import psutil

            resident = psutil.Process(process.pid).memory_info().rss / 2**20
            stop(process)
        finally:
            redis.stop()
    body = [
        f"{PRODUCTS:,} generated products, every request text new (no cache hits), int8 ONNX encoder, "
        f"`ENCODER_THREADS` {os.environ.get('ENCODER_THREADS', 'unset (all cores)')}.", "",
        "| measure | value | target |", "| --- | --- | --- |",
        f"| first start (encodes every product unless an earlier run cached them) | {cold:.1f} s | — |",
        f"| start-up with cached embeddings | {warm:.1f} s | ≤ 10 s |",
        f"| one client: p50 / p95 | {statistics.median(single):.1f} / {percentile(single, 0.95):.1f} ms | p95 ≤ 50 ms |",
        f"| {CONCURRENCY} clients for {SATURATION_SECONDS} s: throughput | {throughput:.0f} requests/s | ≥ 100 /s |",
        f"| {CONCURRENCY} clients: p50 / p95 | {statistics.median(loaded):.0f} / {percentile(loaded, 0.95):.0f} ms | — |",
        f"| resident memory after the run | {resident:.0f} MB | — |",
    ]
    write_section("Recommender on 10,000 products", "python bench/recommender_benchmark.py", body)
    print("\n".join(body))


if __name__ == "__main__":
    main()
