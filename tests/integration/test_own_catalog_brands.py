"""A shop that imports its own catalog carries only some of brands.yml's brands.

The actions know every brand of brands.yml, and so does the recommender, whatever the catalog holds:
a brand of brands.yml the catalog lacks is loosened like any condition (``unknown_brand`` is only for
names in neither), so a product question naming it is still answered by its kind.
"""

from __future__ import annotations

import json

import pytest
import requests
from rasa_sdk import Tracker

from actions.shopping import _named_rows
from bot.catalog.model import DEMO_CATALOG_FILE
from bot.runtime.embedded_redis import free_port
from tests.integration.conftest import ADMIN_TOKEN, KEY_PREFIX, recommender_env
from tests.integration.processes import recommender_server

MISSING_BRAND = "潘婷"


@pytest.fixture(scope="module")
def catalog_without_a_brand(redis_server, log_dir, tmp_path_factory):
    """A recommender whose catalog is the demo one without 潘婷 (its own key prefix: catalogs are shared)."""
    port = free_port()
    env = {**recommender_env(redis_server, tmp_path_factory.mktemp("own-brands"), port),
           "REDIS_KEY_PREFIX": KEY_PREFIX + "ownbrands"}
    server = recommender_server(port, env, log_dir, name="recommender-own-brands").start()
    url = f"http://127.0.0.1:{port}"
    rows = [json.loads(line) for line in DEMO_CATALOG_FILE.read_text("utf-8").splitlines() if line.strip()]
    kept = [row for row in rows if row["brand"] != MISSING_BRAND]
    assert len(kept) < len(rows)
    response = requests.post(f"{url}/admin/catalog", timeout=60,
                             data="\n".join(json.dumps(row, ensure_ascii=False) for row in kept).encode("utf-8"),
                             headers={"Content-Type": "application/x-ndjson", "Authorization": f"Bearer {ADMIN_TOKEN}"})
    assert response.status_code == 200, response.text
    yield url
    server.stop()


def _asking(text: str, entities: list) -> Tracker:
    return Tracker("own-brands", {}, {"text": text, "entities": entities, "intent": {"name": "ask_product_info"}},
                   [], False, None, {}, "")


async def test_a_known_brand_the_catalog_lacks_is_loosened_not_refused(catalog_without_a_brand):
    response = requests.post(f"{catalog_without_a_brand}/recommend", timeout=30, json={
        "customer_id": "chat:own-brands", "text": "潘婷洗发水", "conditions": {"brand": MISSING_BRAND}})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["relaxed"] == ["brand"] and "放宽了品牌" in body["message"]
    assert body["products"] and {row["category"] for row in body["products"]} == {"洗发水"}


async def test_a_product_question_naming_that_brand_is_still_looked_up_by_its_words(catalog_without_a_brand,
                                                                                  monkeypatch):
    monkeypatch.setenv("RECOMMENDER_URL", catalog_without_a_brand)
    text = "潘婷那个修护的洗发水还有货吗"
    rows = await _named_rows(_asking(text, [
        {"entity": "brand", "value": MISSING_BRAND, "start": 0, "end": 2},
        {"entity": "product_category", "value": "洗发水", "start": 7, "end": 10}]), text)
    assert rows, "the question got no product for a brand the shop does not carry"
    assert all(row["brand"] != MISSING_BRAND for row in rows)
    assert rows[0]["category"] == "洗发水"
