"""Several recommender replicas on one Redis serve one catalog (bot/recommender/catalog_sync.py).

Real recommender processes on the session's Redis, each with its own data
directory, as on separate machines behind a load balancer: a catalog uploaded
to one is served by all, stock reported to different replicas at the same time
is all kept, and a replica started later on an empty disk starts with it.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from bot.catalog.model import DEMO_CATALOG_FILE
from bot.runtime.embedded_redis import EmbeddedRedis, free_port
from tests.integration.conftest import ADMIN_TOKEN, KEY_PREFIX, recommender_env
from tests.integration.processes import recommender_server

AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
JSONL = {"Content-Type": "application/x-ndjson", **AUTH}
PREFIX = KEY_PREFIX + "replicas"  # never the session recommender's: these tests change the catalog


def demo_rows() -> list[dict]:
    return [json.loads(line) for line in DEMO_CATALOG_FILE.read_text("utf-8").splitlines() if line.strip()]


def as_jsonl(rows: list[dict]) -> bytes:
    return "\n".join(json.dumps(row, ensure_ascii=False) for row in rows).encode("utf-8")


class Replicas:
    def __init__(self, redis_server, log_dir, tmp_path_factory) -> None:
        self.redis_server, self.log_dir, self.tmp_path_factory = redis_server, log_dir, tmp_path_factory
        self.servers: list = []
        self.urls: list[str] = []

    def start(self) -> str:
        port = free_port()
        data_dir = self.tmp_path_factory.mktemp("replica-data")  # its own disk: nothing shared but Redis
        env = {**recommender_env(self.redis_server, data_dir, port), "REDIS_KEY_PREFIX": PREFIX,
               "CATALOG_SYNC_SECONDS": "0.2"}
        name = f"recommender-replica{len(self.servers) + 1}"
        self.servers.append(recommender_server(port, env, self.log_dir, name=name).start())
        self.urls.append(f"http://127.0.0.1:{port}")
        return self.urls[-1]

    def stop(self) -> None:
        for server in self.servers:
            server.stop()


@pytest.fixture(scope="module")
def replicas(redis_server, log_dir, tmp_path_factory):
    fleet = Replicas(redis_server, log_dir, tmp_path_factory)
    fleet.start()
    fleet.start()
    yield fleet
    fleet.stop()


def version_of(url: str) -> str:
    return requests.get(f"{url}/health", timeout=10).json()["catalog_version"]


def product(url: str, product_id: str) -> dict:
    return requests.get(f"{url}/products", params={"ids": product_id}, timeout=10).json()["products"][0]


def wait_for_version(urls: list[str], version: str, seconds: float = 30) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        seen = {url: version_of(url) for url in urls}
        if set(seen.values()) == {version} or time.monotonic() > deadline:
            return seen
        time.sleep(0.1)


def test_a_catalog_uploaded_to_one_replica_is_served_by_the_others(replicas):
    first, second = replicas.urls[:2]
    rows = demo_rows()
    rows.append(dict(rows[0], id="SKU88888", title="特步 复刻款 轻量缓震跑步鞋", price=288.0, sales=3))
    answer = requests.post(f"{first}/admin/catalog", data=as_jsonl(rows), headers=JSONL, timeout=300)
    assert answer.status_code == 200, answer.text
    uploaded = answer.json()["catalog_version"]

    assert wait_for_version([first, second], uploaded) == {first: uploaded, second: uploaded}
    assert product(second, "SKU88888")["title"] == "特步 复刻款 轻量缓震跑步鞋"
    found = requests.post(f"{second}/recommend", json={"customer_id": "replica-shopper", "text": "特步复刻款跑步鞋"},
                          timeout=60).json()["products"]
    assert "SKU88888" in [card["id"] for card in found]


def test_stock_reported_to_different_replicas_at_once_is_all_kept(replicas):
    first, second = replicas.urls[:2]
    ids = [row["id"] for row in demo_rows() if not row.get("variant_stock")][:12]
    reports = [(first if number % 2 else second, product_id, 100 + number) for number, product_id in enumerate(ids)]

    def report(item):
        url, product_id, stock = item
        return requests.post(f"{url}/admin/stock", json={"updates": [{"product_id": product_id, "stock": stock}]},
                             headers=AUTH, timeout=300)

    with ThreadPoolExecutor(max_workers=6) as pool:  # the replicas race to publish their changes
        answers = list(pool.map(report, reports))
    assert [answer.status_code for answer in answers] == [200] * len(reports), [a.text for a in answers]

    seen = wait_for_version([first, second], version_of(first))
    assert len(set(seen.values())) == 1, seen  # one catalog everywhere …
    for url in (first, second):  # … holding every report, whichever replica took it
        assert {product_id: product(url, product_id)["stock"] for _, product_id, _ in reports} == {
            product_id: stock for _, product_id, stock in reports}


def test_a_replica_started_later_on_an_empty_disk_serves_the_shared_catalog(replicas):
    shared = version_of(replicas.urls[0])
    later = replicas.start()
    assert version_of(later) == shared  # from its first answer, not after a poll
    assert product(later, "SKU88888")["price"] == 288.0


def test_with_redis_down_a_catalog_is_refused_and_the_old_one_keeps_serving(log_dir, tmp_path_factory):
    redis_down = EmbeddedRedis(free_port(), tmp_path_factory.mktemp("replica-redis")).start()
    port = free_port()
    env = {**recommender_env(redis_down, tmp_path_factory.mktemp("replica-data"), port),
           "REDIS_OUTAGE_WAIT_SECONDS": "1"}
    server = recommender_server(port, env, log_dir, name="recommender-redis-down").start()
    url = f"http://127.0.0.1:{port}"
    try:
        before = version_of(url)
        rows = demo_rows()
        rows[0]["price"] = 1.0
        redis_down.stop()
        refused = requests.post(f"{url}/admin/catalog", data=as_jsonl(rows), headers=JSONL, timeout=120)
        assert refused.status_code == 503 and refused.json()["error"] == "store_unavailable", refused.text
        stock = requests.post(f"{url}/admin/stock", json={"updates": [{"product_id": rows[1]["id"], "stock": 0}]},
                              headers=AUTH, timeout=120)
        assert stock.status_code == 503, stock.text
        assert version_of(url) == before  # nothing served that the other replicas could not have

        redis_down.start()
        accepted = requests.post(f"{url}/admin/catalog", data=as_jsonl(rows), headers=JSONL, timeout=300)
        assert accepted.status_code == 200, accepted.text
        assert product(url, rows[0]["id"])["price"] == 1.0
    finally:
        server.stop()
        redis_down.stop()
