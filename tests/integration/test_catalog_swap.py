"""A shop swaps its catalog while customers are being served: no failed request, no broken catalog."""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest
import requests

from bot.catalog.model import DEMO_CATALOG_FILE
from bot.runtime.embedded_redis import free_port
from tests.integration.conftest import ADMIN_TOKEN, KEY_PREFIX, recommender_env
from tests.integration.processes import recommender_server

AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
JSONL = {"Content-Type": "application/x-ndjson", **AUTH}


@pytest.fixture(scope="module")
def own_recommender(redis_server, log_dir, tmp_path_factory):
    """A recommender of this module's own: swapping the session's catalog would disturb other tests."""
    port = free_port()
    data_dir = tmp_path_factory.mktemp("swap-data")
    # Its own key prefix: recommenders on one prefix share their catalog (test_recommender_replicas.py).
    env = {**recommender_env(redis_server, data_dir, port), "REDIS_KEY_PREFIX": KEY_PREFIX + "swap"}
    server = recommender_server(port, env, log_dir, name="recommender-swap").start()
    yield f"http://127.0.0.1:{port}", server, data_dir
    server.stop()


def demo_rows() -> list[dict]:
    return [json.loads(line) for line in DEMO_CATALOG_FILE.read_text("utf-8").splitlines() if line.strip()]


def as_jsonl(rows: list[dict]) -> bytes:
    return "\n".join(json.dumps(row, ensure_ascii=False) for row in rows).encode("utf-8")


def test_a_broken_catalog_is_refused_with_line_numbers_and_the_old_one_keeps_serving(own_recommender):
    url, _, _ = own_recommender
    before = requests.get(f"{url}/health", timeout=10).json()["catalog_version"]
    rows = demo_rows()
    rows[3]["price"] = -10
    broken = as_jsonl(rows) + b"\n{not json\n"
    response = requests.post(f"{url}/admin/catalog", data=broken, headers=JSONL, timeout=60)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert any(error.startswith("line 4") for error in errors)
    assert any(error.startswith(f"line {len(rows) + 1}") for error in errors)
    assert requests.get(f"{url}/health", timeout=10).json()["catalog_version"] == before


def test_the_catalog_api_needs_the_admin_token_and_a_catalog_type(own_recommender):
    url, _, _ = own_recommender
    no_token = requests.post(f"{url}/admin/catalog", data=as_jsonl(demo_rows()),
                             headers={"Content-Type": "application/x-ndjson"}, timeout=30)
    assert no_token.status_code == 401
    wrong_type = requests.post(f"{url}/admin/catalog", data=b"x", headers={"Content-Type": "image/png", **AUTH},
                               timeout=30)
    assert wrong_type.status_code == 415


async def test_a_catalog_sent_in_slow_pieces_is_read_whole(own_recommender):
    """A large upload arrives in several packets: the service must wait for all of them, not parse the first."""
    url, _, _ = own_recommender
    body = as_jsonl(demo_rows())

    async def slowly():
        for start in range(0, len(body), 4096):
            yield body[start:start + 4096]
            await asyncio.sleep(0.02)

    async with aiohttp.ClientSession() as session:
        async with session.post(f"{url}/admin/catalog", data=slowly(), headers=JSONL) as response:
            assert response.status == 200, await response.text()
            assert (await response.json())["products"] == len(demo_rows())


async def _customers(url: str, stop: asyncio.Event, statuses: list, versions: set) -> None:
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        while not stop.is_set():
            body = {"customer_id": "load", "text": "三百以内的跑步鞋",
                    "conditions": {"product_category": "跑步鞋", "budget": "三百以内"}}
            async with session.post(f"{url}/recommend", json=body) as response:
                statuses.append(response.status)
                if response.status == 200:
                    payload = await response.json()
                    versions.add(payload["catalog_version"])
                    for card in payload["products"]:
                        assert card["price"] <= 300


async def test_a_valid_catalog_is_swapped_in_under_load_and_survives_a_restart(own_recommender):
    url, server, data_dir = own_recommender
    rows = demo_rows()
    new_shoe = dict(rows[0], id="SKU99999", title="特步 新品 轻量缓震跑步鞋 2027款", price=199.0, sales=1)
    rows.append(new_shoe)
    stop = asyncio.Event()
    statuses: list = []
    versions: set = set()
    load = [asyncio.create_task(_customers(url, stop, statuses, versions)) for _ in range(4)]
    await asyncio.sleep(0.5)
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{url}/admin/catalog", data=as_jsonl(rows), headers=JSONL) as response:
            assert response.status == 200, await response.text()
            swapped = (await response.json())["catalog_version"]
    for _ in range(200):  # keep the customers coming until one is served from the new catalog
        if swapped in versions:
            break
        await asyncio.sleep(0.05)
    stop.set()
    await asyncio.gather(*load)
    assert statuses and set(statuses) == {200}
    assert swapped in versions and len(versions) == 2  # requests were served before and after the swap
    products = requests.get(f"{url}/products", params={"ids": "SKU99999"}, timeout=10).json()["products"]
    assert products[0]["title"] == new_shoe["title"]
    assert (data_dir / "catalog" / "current.jsonl").exists()

    server.stop()
    server.start()
    assert requests.get(f"{url}/health", timeout=10).json()["catalog_version"] == swapped
