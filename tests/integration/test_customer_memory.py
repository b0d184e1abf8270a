"""Memory across visits, through the real bot: a returning customer is greeted with what they looked at,
guests are not remembered, 忘掉我的偏好 forgets.  A return is made by moving the remembered visit back in
time (as a shifted clock would), not by waiting half an hour.
"""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest
import redis.asyncio

from bot.store.customer_activity import CustomerActivityStore, CustomerEvent
from bot.store.customer_memory import CustomerMemory, memory_key
from tests.integration.conftest import KEY_PREFIX
from tests.integration.test_customer_identity import joined, say, token_for
from tests.integration.test_alerts_flow import cards_in


def shift_visit(redis_url: str, who: str, hours: float, price_factor: float = 1.0) -> None:
    """The remembered visit moves ``hours`` back; remembered prices are multiplied by ``price_factor``."""
    async def shift():
        client = redis.asyncio.Redis.from_url(redis_url, decode_responses=True)
        key = f"{KEY_PREFIX}:memory:{who}"
        fields = await client.hgetall(key)
        viewed = [dict(item, price=item["price"] * price_factor) for item in json.loads(fields["viewed"])]
        await client.hset(key, mapping={"last_at": repr(float(fields["last_at"]) - hours * 3600),
                                        "viewed": json.dumps(viewed, ensure_ascii=False)})
        await client.close()
    asyncio.run(shift())


def test_a_returning_customer_is_greeted_with_what_they_looked_at(rasa, redis_server):
    customer = f"cust-{uuid.uuid4().hex[:8]}"
    first_visit = f"window-{uuid.uuid4().hex[:6]}"
    assert cards_in(say(rasa, first_visit, "推荐一款500以内的蓝牙耳机", token_for(customer)))
    same_visit = joined(say(rasa, first_visit, "你好", token_for(customer)))
    assert "欢迎回来" not in same_visit  # half an hour has not passed
    shift_visit(redis_server.url, f"customer:{customer}", hours=30)
    greeting = joined(say(rasa, f"window-{uuid.uuid4().hex[:6]}", "你好", token_for(customer)))
    assert "欢迎回来" in greeting and "蓝牙耳机" in greeting


def test_a_price_drop_since_the_last_visit_is_the_first_thing_said(rasa, redis_server):
    customer = f"cust-{uuid.uuid4().hex[:8]}"
    shown = cards_in(say(rasa, f"window-{uuid.uuid4().hex[:6]}", "推荐一款跑步鞋", token_for(customer)))
    shift_visit(redis_server.url, f"customer:{customer}", hours=48, price_factor=1.25)  # it cost more then
    answer = say(rasa, f"window-{uuid.uuid4().hex[:6]}", "在吗", token_for(customer))
    assert "欢迎回来" in joined(answer) and "降价了" in joined(answer)
    assert cards_in(answer) and cards_in(answer)[0] in shown


def test_guests_are_not_remembered_and_forgetting_works(rasa, redis_server):
    guest = f"window-{uuid.uuid4().hex[:6]}"
    assert cards_in(say(rasa, guest, "推荐一款蓝牙耳机"))
    assert "欢迎回来" not in joined(say(rasa, guest, "你好"))
    customer = f"cust-{uuid.uuid4().hex[:8]}"
    window = f"window-{uuid.uuid4().hex[:6]}"
    assert cards_in(say(rasa, window, "推荐一款蓝牙耳机", token_for(customer)))
    assert "已经忘掉您的偏好" in joined(say(rasa, window, "忘掉我的偏好", token_for(customer)))
    assert "欢迎回来" not in joined(say(rasa, f"window-{uuid.uuid4().hex[:6]}", "你好", token_for(customer)))


def test_personalised_recommendations_can_be_turned_off_and_on(rasa, redis_server):
    customer = f"cust-{uuid.uuid4().hex[:8]}"
    window = f"window-{uuid.uuid4().hex[:6]}"
    for _ in range(2):
        assert cards_in(say(rasa, window, "推荐一款索尼的蓝牙耳机", token_for(customer)))
    assert "已关闭个性化推荐" in joined(say(rasa, window, "以后别根据我看过的东西推荐了", token_for(customer)))
    again = say(rasa, f"window-{uuid.uuid4().hex[:6]}", "推荐个蓝牙耳机", token_for(customer))
    assert cards_in(again) and "你常看" not in joined(again)
    # nothing remembered for a next visit, no profile for the recommender
    assert not asyncio.run(_remembered(redis_server.url, f"customer:{customer}"))
    assert "已打开个性化推荐" in joined(say(rasa, window, "打开个性化推荐", token_for(customer)))


async def _remembered(redis_url: str, who: str) -> bool:
    client = redis.asyncio.Redis.from_url(redis_url, decode_responses=True)
    try:
        return bool(await client.exists(f"{KEY_PREFIX}:memory:{who}", f"{KEY_PREFIX}:profile:{who}"))
    finally:
        await client.close()


@pytest.mark.parametrize("customer, channel, sender, key", [
    ("c-1", "socketio", "s1", "customer:c-1"), (None, "telegram", "42", "telegram:42"),
    (None, "wechat", "oX", "wechat:oX"), (None, "socketio", "s1", None), (None, "rest", "r1", None),
])
def test_whom_to_remember(customer, channel, sender, key):
    assert memory_key(customer, channel, sender) == key


async def test_the_memory_keeps_the_newest_views_first_and_forgets_everything(private_redis):
    memory = CustomerMemory(private_redis, "mem", clock=lambda: 1000.0)
    await memory.remember_search("customer:a", {"category": "跑步鞋", "budget": "500以内"},
                                 [{"id": "P1", "title": "一", "price": 100}, {"id": "P2", "title": "二", "price": 200}])
    await memory.remember_search("customer:a", {"category": "跑步鞋"}, [{"id": "P3", "title": "三", "price": 300},
                                                                     {"id": "P1", "title": "一", "price": 90}])
    recalled = await memory.recall("customer:a")
    assert [item["id"] for item in recalled.viewed] == ["P3", "P1", "P2"] and recalled.viewed[1]["price"] == 90
    assert recalled.conditions == {"category": "跑步鞋", "budget": "500以内"} and recalled.last_at == 1000.0
    await private_redis.hset("mem:profile:customer:a", "events", 3)
    assert await memory.forget("customer:a") and await memory.recall("customer:a") is None
    assert not await private_redis.exists("mem:profile:customer:a")


async def test_while_personalising_is_off_nothing_is_folded_into_the_profile(private_redis):
    memory, activity = CustomerMemory(private_redis, "mem"), CustomerActivityStore(private_redis, "mem")
    await activity.record(CustomerEvent("customer:b", "clicked", "P1", "跑步鞋", "耐克", 500.0))
    assert set((await activity.profile("customer:b")).brands) == {"耐克"}
    await memory.stop_personalising("customer:b")
    await activity.record(CustomerEvent("customer:b", "bought", "P2", "跑步鞋", "李宁", 400.0))
    await memory.remember_search("customer:b", {"category": "跑步鞋"}, [{"id": "P2", "title": "二", "price": 400}])
    assert (await activity.profile("customer:b")).is_empty and await memory.recall("customer:b") is None
    assert not await private_redis.exists("mem:profile:customer:b")  # turning it off forgot what was kept
    assert len(await activity.recent_events()) == 2  # the shop's event log still counts the visit (analytics)
    assert await memory.resume_personalising("customer:b") and await memory.personalises("customer:b")
    await activity.record(CustomerEvent("customer:b", "clicked", "P1", "跑步鞋", "耐克", 500.0))
    assert "耐克" in (await activity.profile("customer:b")).brands
