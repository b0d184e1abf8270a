"""The conversation index in a real Redis: statuses, the queue, the inbox's pages and search."""

from __future__ import annotations

import asyncio
import json

import pytest

from bot.store.conversations import ConversationIndex, ConversationNotFound, TransitionRefused


class Clock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def tick(self, seconds: float = 1.0) -> float:
        self.now += seconds
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def index(private_redis, clock):
    return ConversationIndex(private_redis, "shop", clock=clock)


async def test_a_customer_message_opens_a_conversation_with_the_bot(index, clock):
    assert await index.record("c1", "customer", "推荐个耳机", "socketio", ["low_confidence"], clock.tick()) \
        == ("bot", False)
    conversation = await index.get("c1")
    assert (conversation.channel, conversation.status, conversation.last_text) == ("socketio", "bot", "推荐个耳机")
    assert conversation.flags == ("low_confidence",)
    item = conversation.item()
    assert item["last_message_at"].endswith("Z") and item["assigned_to"] is None


async def test_the_queue_is_oldest_first_and_a_second_request_keeps_the_place(index, clock):
    for name in ("early", "late"):
        await index.record(name, "customer", "转人工", "rest", at=clock.tick())
        clock.tick()
        before, position = await index.request_agent(name, "asked", "rest")
        assert before == "bot"
    assert position == 2
    clock.tick()
    assert await index.request_agent("early", "again") == ("waiting", 1)
    page = await index.page(status="waiting")
    assert [c.id for c in page.conversations] == ["early", "late"]
    assert (await index.get("early")).flags == ("handoff",)


async def test_only_one_agent_owns_a_conversation_and_only_the_owner_hands_back(index, clock):
    await index.record("c1", "customer", "转人工", "rest", at=clock.tick())
    await index.request_agent("c1", "asked")
    assert await index.take_over("c1", "alice") == "waiting"
    with pytest.raises(TransitionRefused) as refused:
        await index.take_over("c1", "bob")
    assert refused.value.owner == "alice"
    assert await index.take_over("c1", "alice") == "agent"  # taking it again is harmless
    with pytest.raises(TransitionRefused):
        await index.hand_back("c1", "bob")
    assert await index.hand_back("c1", "alice") == "agent"
    assert (await index.get("c1")).status == "bot"
    assert await index.queue_position("c1") == 0


async def test_two_agents_taking_over_at_once_one_wins(index, clock):
    await index.record("c1", "customer", "人呢", "rest", at=clock.tick())
    await index.request_agent("c1", "asked")
    results = await asyncio.gather(*(index.take_over("c1", f"agent{n}") for n in range(8)), return_exceptions=True)
    assert sum(1 for result in results if not isinstance(result, Exception)) == 1
    assert (await index.page(status="agent")).conversations[0].assigned_to.startswith("agent")


async def test_a_closed_conversation_reopens_with_the_bot_when_the_customer_writes(index, clock):
    await index.record("c1", "customer", "你好", "rest", at=clock.tick())
    await index.take_over("c1", "alice")
    await index.close("c1", "alice")
    assert (await index.get("c1")).status == "closed"
    assert await index.record("c1", "bot", "再见", at=clock.tick()) == ("closed", False)
    assert await index.record("c1", "customer", "又来了", "rest", at=clock.tick()) == ("bot", True)
    assert [c.id for c in (await index.page(status="closed")).conversations] == []


async def test_an_unknown_conversation_is_not_found_and_not_created(index):
    with pytest.raises(ConversationNotFound):
        await index.take_over("nobody", "alice")
    assert await index.get("nobody") is None


async def test_pages_follow_cursors_newest_first_without_gaps_or_repeats(index, clock):
    for number in range(25):
        await index.record(f"c{number:02d}", "customer", f"消息{number}", "rest" if number % 2 else "socketio",
                           at=clock.tick())
    seen, cursor = [], None
    while True:
        page = await index.page(limit=7, cursor=cursor)
        seen += [c.id for c in page.conversations]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == [f"c{number:02d}" for number in reversed(range(25))]
    rest = await index.page(channel="rest", limit=100)
    assert len(rest.conversations) == 12 and all(c.channel == "rest" for c in rest.conversations)


async def test_text_search_finds_older_messages_of_a_conversation(index, clock):
    await index.record("c1", "customer", "我想买 AirPods 耳机", "rest", at=clock.tick())
    await index.record("c1", "bot", "为您找到这些", at=clock.tick())
    await index.record("c2", "customer", "跑步鞋", "rest", at=clock.tick())
    assert [c.id for c in (await index.page(query="airpods")).conversations] == ["c1"]
    assert [c.id for c in (await index.page(query="跑步")).conversations] == ["c2"]
    assert (await index.page(query="没有这个词")).conversations == []


async def test_idle_agent_conversations_are_found_and_returned_once(index, clock):
    await index.record("quiet", "customer", "在吗", "rest", at=clock.tick())
    await index.take_over("quiet", "alice")
    clock.tick(600)
    await index.record("busy", "customer", "在吗", "rest", at=clock.tick())
    await index.take_over("busy", "alice")
    cutoff = clock.now - 300
    assert await index.stale_agent_conversations(cutoff) == ["quiet"]
    await index.hand_back("quiet", "", idle_before=cutoff)
    with pytest.raises(TransitionRefused):
        await index.hand_back("quiet", "", idle_before=cutoff)
    with pytest.raises(TransitionRefused):  # active since the cutoff
        await index.hand_back("busy", "", idle_before=cutoff)


async def test_status_changes_reach_subscribers(private_redis, index, clock):
    pubsub = private_redis.pubsub(ignore_subscribe_messages=True)
    await pubsub.subscribe(index.events_channel)
    await index.record("c1", "customer", "转人工", "telegram", at=clock.tick())
    await index.request_agent("c1", "asked")
    await index.publish("handoff", "c1")
    message = None
    for _ in range(50):
        message = await pubsub.get_message(timeout=0.1)
        if message:
            break
    await pubsub.close()
    event = json.loads(message["data"])
    assert event["event"] == "handoff" and event["data"]["id"] == "c1" and event["data"]["status"] == "waiting"


async def test_the_review_queue_keeps_unsure_messages_until_reviewed(index, clock):
    await index.flag_for_review("c1", "1.5", "嗯那个", "nlu_fallback", 0.31, clock.tick())
    await index.flag_for_review("c2", "2.5", "随便", "affirm", 0.52, clock.tick())
    assert [item["text"] for item in await index.review_queue()] == ["随便", "嗯那个"]
    await index.done_reviewing("c2", "2.5")
    assert [item["conversation_id"] for item in await index.review_queue()] == ["c1"]
