"""Our Redis tracker store: a turn's save keeps every event, and earlier sessions survive."""

from __future__ import annotations

import json

import pytest
import redis
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.settings import RedisSettings
from bot.store.rasa_stores import RedisTrackerStore

DOMAIN = Domain.from_yaml("""
version: "3.1"
slots:
  budget:
    type: text
    mappings: [{type: custom}]
""")


@pytest.fixture
def store(private_redis_url):
    redis.Redis.from_url(private_redis_url).flushdb()
    return RedisTrackerStore(DOMAIN, settings=RedisSettings.from_url(private_redis_url, key_prefix="shop"))


def session(start: float, text: str) -> list:
    return [ActionExecuted("action_session_start", timestamp=start), SessionStarted(timestamp=start + 0.1),
            ActionExecuted("action_listen", timestamp=start + 0.2), UserUttered(text, timestamp=start + 0.3)]


def stored_texts(private_redis_url: str) -> list:
    stored = json.loads(redis.Redis.from_url(private_redis_url).get("shop:tracker:u1"))
    return [event.get("text") for event in stored["events"] if event["event"] == "user"]


async def test_each_turn_adds_its_events_to_the_stored_ones(store, private_redis_url):
    tracker = DialogueStateTracker.from_events("u1", session(1000, "你好"), slots=DOMAIN.slots)
    await store.save(tracker)
    again = await store.retrieve("u1")
    again.update(UserUttered("推荐跑步鞋", timestamp=1001))
    again.update(SlotSet("budget", "三百以内", timestamp=1001.1))
    await store.save(again)
    assert stored_texts(private_redis_url) == ["你好", "推荐跑步鞋"]
    assert (await store.retrieve("u1")).get_slot("budget") == "三百以内"


async def test_earlier_sessions_survive_a_save_of_the_last_session_only(store, private_redis_url):
    events = session(1000, "第一次来") + [UserUttered("看看耳机", timestamp=1000.5)] + session(5000, "又来了")
    await store.save(DialogueStateTracker.from_events("u1", events, slots=DOMAIN.slots))
    last_session = await store.retrieve("u1")
    assert [e.text for e in last_session.events if isinstance(e, UserUttered)] == ["又来了"]
    last_session.update(UserUttered("订单到哪了", timestamp=5001))
    await store.save(last_session)
    assert stored_texts(private_redis_url) == ["第一次来", "看看耳机", "又来了", "订单到哪了"]
    second_turn = await store.retrieve("u1")  # the saved last session, not decoded again
    assert second_turn is last_session
    second_turn.update(UserUttered("谢谢", timestamp=5002))
    await store.save(second_turn)
    assert stored_texts(private_redis_url) == ["第一次来", "看看耳机", "又来了", "订单到哪了", "谢谢"]
    full = await store.retrieve_full_tracker("u1")
    assert len([e for e in full.events if isinstance(e, SessionStarted)]) == 2


async def test_a_session_started_with_metadata_keeps_every_message_once(store, private_redis_url):
    """Rasa sets ``session_started_metadata`` just before a session starts when the message has
    metadata (WeChat, Telegram); retrieve then hands back the session without that slot, and Rasa's
    own merge used to append the next customer message a second time."""
    from rasa.shared.core.constants import SESSION_START_METADATA_SLOT

    first = [SlotSet(SESSION_START_METADATA_SLOT, {"wechat": {"msg_id": "1"}}, timestamp=999.9)] + session(1000, "你好")
    await store.save(DialogueStateTracker.from_events("u1", first, slots=DOMAIN.slots))
    for number, text in enumerate(["推荐跑步鞋", "有没有蓝牙耳机", "谢谢"], start=1):
        turn = await store.retrieve("u1")
        # as in Rasa, the message in memory is not equal to itself read back from JSON (a tuple here)
        turn.update(UserUttered(text, {"name": "request_recommendation", "confidence": 0.9},
                                parse_data={"text": text, "text_tokens": ((0, 2),)}, timestamp=1000 + number))
        turn.update(ActionExecuted("action_listen", timestamp=1000 + number + 0.5))
        await store.save(turn)
    assert stored_texts(private_redis_url) == ["你好", "推荐跑步鞋", "有没有蓝牙耳机", "谢谢"]
    stored = json.loads(redis.Redis.from_url(private_redis_url).get("shop:tracker:u1"))["events"]
    assert stored[0]["name"] == SESSION_START_METADATA_SLOT and stored[0]["value"] == {"wechat": {"msg_id": "1"}}


async def test_the_saved_tracker_is_handed_back_only_while_redis_holds_it(store, private_redis_url):
    tracker = DialogueStateTracker.from_events("u1", session(1000, "你好"), slots=DOMAIN.slots)
    await store.save(tracker)
    assert await store.retrieve("u1") is tracker

    # A turn that failed after adding events, before saving: Redis's version counts.
    tracker.update(UserUttered("没保存的话", timestamp=1001))
    retrieved = await store.retrieve("u1")
    assert retrieved is not tracker and "没保存的话" not in [getattr(e, "text", None) for e in retrieved.events]

    # Another rasa server saves the conversation: its events, not the ones kept here.
    other_server = RedisTrackerStore(DOMAIN, settings=RedisSettings.from_url(private_redis_url, key_prefix="shop"))
    elsewhere = await other_server.retrieve("u1")
    elsewhere.update(UserUttered("另一台服务器", timestamp=1002))
    await other_server.save(elsewhere)
    here = await store.retrieve("u1")
    assert here is not retrieved and here.events[-1].text == "另一台服务器"

    redis.Redis.from_url(private_redis_url).delete("shop:tracker:u1")
    assert await store.retrieve("u1") is None


def test_stored_json_is_rasas_own_even_when_events_were_encoded_before():
    from rasa.core.tracker_store import SerializedTrackerAsText

    from bot.store.rasa_stores import serialise_events

    tracker = DialogueStateTracker.from_events(
        "顾客-1", session(1000, "你好") + [SlotSet("budget", "三百以内", timestamp=1000.4)], slots=DOMAIN.slots)
    assert serialise_events(tracker.sender_id, tracker.events) == SerializedTrackerAsText.serialise_tracker(tracker)
    tracker.update(UserUttered("推荐跑步鞋", {"name": "request_product", "confidence": 0.9}, timestamp=1001))
    assert serialise_events(tracker.sender_id, tracker.events) == SerializedTrackerAsText.serialise_tracker(tracker)
    assert serialise_events("empty", []) == SerializedTrackerAsText.serialise_tracker(
        DialogueStateTracker.from_events("empty", [], slots=DOMAIN.slots))
