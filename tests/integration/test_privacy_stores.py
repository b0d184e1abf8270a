"""Privacy in the stores, on a Redis of the module's own.

Retention limits with a shortened clock (bot/privacy/retention.py): what is past its
time goes, the rest stays.  A message waiting in the outbox with personal data in it
is kept sealed and delivered whole.
"""

from __future__ import annotations

import time

from bot.analytics.turns import TurnLog, turns_key
from bot.channels.outbound.outbox import Outbox
from bot.privacy.erasure import Eraser
from bot.privacy.retention import DAY, RetentionPolicy, RetentionSweeper
from bot.service.tickets import TicketStore
from bot.store.conversations import ConversationIndex
from bot.store.customer_activity import CustomerActivityStore, CustomerEvent
from bot.store.privacy_records import PrivacyRecords
from bot.store.sealing import Sealer

P = "rt"


def sweeper(client, days_ahead: float) -> RetentionSweeper:
    records = PrivacyRecords(client, P, Sealer(Sealer.new_key().encode()))
    return RetentionSweeper(client, P, Eraser(client, P, records), RetentionPolicy(),
                            clock=lambda: time.time() + days_ahead * DAY)


async def test_each_store_keeps_its_data_exactly_as_long_as_its_limit(private_redis):
    index = ConversationIndex(private_redis, P)
    await index.record("old-chat", "customer", "电话139****5678", "rest", at=time.time() - 40 * DAY)
    await private_redis.set(f"{P}:tracker:old-chat", "{}")
    await index.record("new-chat", "customer", "你好", "rest")
    await private_redis.set(f"{P}:tracker:new-chat", "{}")
    await TurnLog(private_redis, P).record([{"person": "chat:new-chat", "conversation": "new-chat"}])
    await CustomerActivityStore(private_redis, P).record(CustomerEvent("chat:new-chat", "clicked", "P1"))
    tickets = TicketStore(private_redis, P)
    ticket = await tickets.create("new-chat", "complaint", "坏了")
    await tickets.change(ticket.id, "alice", status="resolved")

    first = await sweeper(private_redis, 0).sweep()  # today: only the 40-day-old chat is past 30 days
    assert first["conversations"] == 1 and first["tickets"] == 0
    assert not await private_redis.exists(f"{P}:tracker:old-chat", f"{P}:conv:old-chat")
    assert await private_redis.exists(f"{P}:tracker:new-chat")
    assert await private_redis.xlen(f"{P}:events") == 1

    later = await sweeper(private_redis, 200).sweep()  # 200 days on: chats and events gone, analytics kept
    assert later["conversations"] == 1 and await private_redis.xlen(f"{P}:events") == 0
    assert await private_redis.xlen(turns_key(P)) == 1 and await tickets.get(ticket.id) is not None

    await sweeper(private_redis, 400).sweep()  # past a year: analytics and the resolved ticket too
    assert await private_redis.xlen(turns_key(P)) == 0 and await tickets.get(ticket.id) is None
    assert await private_redis.zcard(f"{P}:tickets:all") == 0


async def test_an_agent_message_with_personal_data_waits_sealed_and_arrives_whole(private_redis):
    outbox = Outbox(private_redis, P, Sealer(Sealer.new_key().encode()))
    text = "您的新地址是上海市徐汇区漕溪北路88号1502室，快递员会打13912345678"
    await outbox.push("chat-1", {"text": text, "agent": "alice"})
    await outbox.push("chat-1", {"text": "好的，马上处理"})
    stored = " ".join(await private_redis.lrange(f"{P}:outbox:chat-1", 0, -1))
    assert "13912345678" not in stored and "漕溪北路" not in stored and "马上处理" in stored
    taken = await outbox.take("chat-1")
    assert [message["text"] for message in taken] == [text, "好的，马上处理"]
    await outbox.give_back("chat-1", taken)  # undelivered: back in the queue, sealed again
    assert "13912345678" not in " ".join(await private_redis.lrange(f"{P}:outbox:chat-1", 0, -1))
    assert [message["text"] for message in await outbox.take("chat-1")] == [text, "好的，马上处理"]


async def test_replies_kept_for_a_repeated_wechat_delivery_are_sealed_when_personal(private_redis):
    from bot.channels.dedup import MessageLedger

    ledger = MessageLedger(private_redis, P, "wechat", sealer=Sealer(Sealer.new_key().encode()))
    await ledger.claim("m1")
    await ledger.settle("m1", "replied", ["好的，新地址：上海市徐汇区漕溪北路88号1502室", "电话13912345678已记下"])
    raw = await private_redis.get(f"{P}:wechat:msgid:m1")
    assert "13912345678" not in raw and "漕溪北路" not in raw
    outcome = await ledger.outcome("m1")
    assert outcome.state == "replied" and outcome.replies[1] == "电话13912345678已记下"
    await ledger.settle("m2", "replied", ["您好，有什么可以帮您？"])
    assert "有什么可以帮您" in await private_redis.get(f"{P}:wechat:msgid:m2")
