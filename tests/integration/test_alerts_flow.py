"""Alerts end to end: customers subscribe in natural text, the shop uploads a changed catalog, the alert
arrives exactly once, through the real rasa server, action server, recommender, alert worker and Redis.

The catalog is uploaded to a recommender of this module's own on the session's
Redis, one that can be restarted; the session's recommender, another replica on
the same Redis, follows it (bot/recommender/catalog_sync.py), as a shop's
replicas do.  Every change waits until the session's recommender serves it, and
every test puts the demo catalog back.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid

import pytest
import redis
import requests

from bot.catalog.model import DEMO_CATALOG_FILE
from bot.runtime.embedded_redis import free_port
from tests.integration.conftest import ADMIN_TOKEN, KEY_PREFIX, recommender_env
from tests.integration.processes import alerts_server, recommender_server
from tests.integration.test_customer_identity import joined, say
from tests.integration.test_telegram_channel import message_update, new_chat, post
from tests.integration.test_widget_socketio import Chat, texts

JSONL = {"Content-Type": "application/x-ndjson", "Authorization": f"Bearer {ADMIN_TOKEN}"}


def demo_rows() -> list:
    return [json.loads(line) for line in DEMO_CATALOG_FILE.read_text("utf-8").splitlines() if line.strip()]


class Shop:
    """The shop's side: a recommender to upload catalogs to, and the alert worker."""

    def __init__(self, redis_server, server_env, log_dir, tmp_path_factory, follower: str) -> None:
        self.redis_server, self.server_env, self.log_dir = redis_server, server_env, log_dir
        self.follower = follower  # the session's recommender, which the bot asks
        self.recommender_port, self.alerts_port = free_port(), free_port()
        self.data_dir = tmp_path_factory.mktemp("alerts-recommender")
        self.recommender = self.alerts = None
        self.start()

    def start(self) -> None:
        self.recommender = recommender_server(
            self.recommender_port, recommender_env(self.redis_server, self.data_dir, self.recommender_port),
            self.log_dir, name="recommender-alerts").start()
        self.alerts = alerts_server(self.alerts_port, self.server_env, self.log_dir).start()

    def stop(self) -> None:
        self.alerts.stop()
        self.recommender.stop()

    def upload(self, prices: dict) -> dict:
        rows = demo_rows()
        for row in rows:
            if row["id"] in prices:
                row["price"] = prices[row["id"]]
        body = "\n".join(json.dumps(row, ensure_ascii=False) for row in rows).encode("utf-8")
        answer = requests.post(f"http://127.0.0.1:{self.recommender_port}/admin/catalog", data=body, headers=JSONL,
                               timeout=120)
        assert answer.status_code == 200, answer.text
        self.followed(answer.json())
        return answer.json()["alerts"]

    def report_stock(self, updates: list) -> requests.Response:
        answer = requests.post(f"http://127.0.0.1:{self.recommender_port}/admin/stock", json={"updates": updates},
                               headers=JSONL, timeout=60)
        if answer.status_code == 200:
            self.followed(answer.json())
        return answer

    def followed(self, change: dict) -> None:
        """Waits until the bot's recommender serves the catalog a change made (it follows within a second)."""
        deadline = time.monotonic() + 30
        while requests.get(f"{self.follower}/health", timeout=10).json()["catalog_version"] != \
                change["catalog_version"]:
            assert time.monotonic() < deadline, "the session's recommender did not follow the shared catalog"
            time.sleep(0.05)

    def price_of(self, product_id: str) -> float:
        return next(row["price"] for row in demo_rows() if row["id"] == product_id)

    def wait_handled(self, conversation: str, timeout: float = 10.0) -> list:
        """The alert log's entries for a chat, once the worker handled its alerts."""
        client = redis.Redis.from_url(self.redis_server.url, decode_responses=True)
        try:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                found = [fields for _, fields in client.xrange(f"{KEY_PREFIX}:alerts:log")
                         if fields["conversation"] == conversation]
                if found:
                    return found
                time.sleep(0.1)
            return []
        finally:
            client.close()


@pytest.fixture(scope="module")
def shop(redis_server, server_env, log_dir, tmp_path_factory, recommender):
    shop = Shop(redis_server, server_env, log_dir, tmp_path_factory, recommender)
    yield shop
    shop.upload({})  # the demo catalog again
    shop.stop()


def cards_in(response: requests.Response) -> list:
    return [product["id"] for reply in response.json() if isinstance(reply.get("custom"), dict)
            for product in reply["custom"].get("products", [])]


def test_a_rest_customer_gets_one_price_drop_alert_even_across_restarts_and_can_cancel(rasa, shop):
    window = f"alerts-{uuid.uuid4().hex[:6]}"
    shown = cards_in(say(rasa, window, "推荐一款蓝牙耳机"))
    assert shown
    reply = joined(say(rasa, window, "第一款降价了通知我"))
    assert "已为您设置降价提醒" in reply
    shop.stop()  # every process of the shop's side restarts between subscribing and the change
    shop.start()
    old = shop.price_of(shown[0])
    try:
        assert shop.upload({shown[0]: round(old * 0.75, 2)})["alerts_queued"] >= 1
        assert [entry["outcome"] for entry in shop.wait_handled(window)] == ["kept"]  # REST: with the next answer
        answer = say(rasa, window, "好的")
        assert "【降价提醒】" in joined(answer) and f"¥{old:g}" in joined(answer) and shown[0] in cards_in(answer)
        assert shop.upload({shown[0]: round(old * 0.75, 2)})["alerts_queued"] == 0  # the same catalog again
        assert "【降价提醒】" not in joined(say(rasa, window, "还有别的吗"))
        listed = joined(say(rasa, window, "我的提醒"))
        assert "降价提醒" in listed
        assert "已为您取消 1 个提醒" in joined(say(rasa, window, "退订降价提醒"))
        shop.upload({shown[0]: round(old * 0.5, 2)})  # other chats' alerts on this product may fire; not this one
        time.sleep(1.0)
        assert len(shop.wait_handled(window)) == 1 and "【降价提醒】" not in joined(say(rasa, window, "好的"))
    finally:
        shop.upload({})


async def test_an_open_widget_receives_the_alert_live_with_its_card(rasa, shop):
    chat = await Chat(rasa.url).connect()
    try:
        await chat.start_session()
        await chat.message("推荐一款蓝牙耳机")
        shown = [product["id"] for reply in chat.drain() if isinstance(reply.get("custom"), dict)
                 for product in reply["custom"].get("products", [])]
        await chat.message("第一款降价了通知我")
        assert any("已为您设置降价提醒" in text for text in texts(chat.drain()))
        uploaded = time.monotonic()
        queued = await asyncio.to_thread(shop.upload, {shown[0]: round(shop.price_of(shown[0]) * 0.7, 2)})
        assert queued["alerts_queued"] >= 1
        alert = await asyncio.wait_for(chat.replies.get(), 10)
        assert alert["text"].startswith("【降价提醒】") and alert["custom"]["products"][0]["id"] == shown[0]
        assert time.monotonic() - uploaded < 10
        await asyncio.sleep(1.0)
        assert chat.drain() == []  # exactly one
    finally:
        await chat.close()
        await asyncio.to_thread(shop.upload, {})


def test_a_telegram_customer_gets_the_alert_once_and_a_blocked_bot_stops_them(rasa, telegram, shop):
    chat, blocker = new_chat(), new_chat()
    shown = None
    for chat_id in (chat, blocker):
        assert post(rasa, message_update(chat_id, "推荐一款蓝牙耳机")).status_code == 200
        assert post(rasa, message_update(chat_id, "第一款降价了通知我")).status_code == 200
        texts_sent = [call["params"]["text"] for call in telegram.wait_for("sendMessage", 1, chat_id)]
        assert any("降价提醒" in text for text in texts_sent), texts_sent
    client = redis.Redis.from_url(shop.redis_server.url, decode_responses=True)
    subscription = client.hgetall(f"{KEY_PREFIX}:alert:" + client.zrange(f"{KEY_PREFIX}:alerts:conversation:{chat}",
                                                                          0, -1)[0])
    client.close()
    shown = subscription["product_id"]
    telegram.blocked.add(str(blocker))
    before = len(telegram.calls_of("sendMessage", chat))
    try:
        assert shop.upload({shown: round(shop.price_of(shown) * 0.7, 2)})["alerts_queued"] >= 2
        assert [e["outcome"] for e in shop.wait_handled(str(chat))] == ["sent"]
        assert [e["outcome"] for e in shop.wait_handled(str(blocker))] == ["blocked"]
        sent = telegram.calls_of("sendMessage", chat)[before:]
        assert len(sent) == 1 and sent[0]["params"]["text"].startswith("【降价提醒】")
        listed = requests.get(f"http://127.0.0.1:{shop.alerts_port}/health", timeout=10).json()
        assert listed["status"] == "ok"
    finally:
        telegram.blocked.discard(str(blocker))
        shop.upload({})


@pytest.mark.parametrize("cancel", ["取消全部提醒", "不要再提醒我了", "退订提醒", "退订第1个提醒"])
def test_alerts_are_cancelled_in_the_words_customers_use(rasa, cancel):
    window = f"alerts-{uuid.uuid4().hex[:6]}"
    assert cards_in(say(rasa, window, "推荐一款蓝牙耳机"))
    assert "已为您设置降价提醒" in joined(say(rasa, window, "第一款降价了通知我"))
    assert "降价提醒" in joined(say(rasa, window, "我设了哪些提醒"))
    assert "已为您取消 1 个提醒" in joined(say(rasa, window, cancel))
    assert "没有设置提醒" in joined(say(rasa, window, "我的提醒"))


def test_a_restock_reported_by_the_order_system_alerts_once(rasa, shop):
    window = f"alerts-{uuid.uuid4().hex[:6]}"
    shown = cards_in(say(rasa, window, "推荐一款蓝牙耳机"))
    try:
        out = shop.report_stock([{"product_id": shown[0], "stock": 0}])
        assert out.status_code == 200 and out.json()["alerts"]["alerts_queued"] == 0
        assert "已为您设置到货提醒" in joined(say(rasa, window, "第一款到货了通知我"))
        back = shop.report_stock([{"product_id": shown[0], "stock": 8}])
        assert back.json()["alerts"]["alerts_queued"] == 1
        assert [entry["outcome"] for entry in shop.wait_handled(window)] == ["kept"]
        assert "【到货提醒】" in joined(say(rasa, window, "好的"))
        again = shop.report_stock([{"product_id": shown[0], "stock": 9}])
        assert again.json()["alerts"]["alerts_queued"] == 0  # told once: the alert is done
        for bad in ([{"product_id": "NOPE", "stock": 1}], [{"product_id": shown[0], "stock": -1}], [],
                    [{"product_id": shown[0], "variant_stock": {"不存在/99": 1}}]):
            assert shop.report_stock(bad).status_code == 400, bad
    finally:
        shop.upload({})
