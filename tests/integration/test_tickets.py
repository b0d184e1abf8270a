"""Tickets in a real Redis: ids, owners, the life cycle and its log, pages by status."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime

import pytest

from bot.service.formatting import CHINA_TIME
from bot.service.tickets import TicketError, TicketStore

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=CHINA_TIME).timestamp()
TICKET_ID = re.compile(r"^TK20261128\d{6}$")


@pytest.fixture
def clock():
    return {"now": NOW}


@pytest.fixture
def store(private_redis, clock):
    return TicketStore(private_redis, "tk", clock=lambda: clock["now"])


async def test_tickets_get_unique_ids_and_are_listed_per_customer_and_per_chat(store):
    first = await store.create("chat-a", "cancel", "不想要了", customer_id="alice", order_id="DD1", order_state="待发货")
    second = await store.create("chat-b", "complaint", "太慢了", customer_id="bob")
    third = await store.create("chat-a", "handoff", "转人工")  # a guest in the same chat
    assert all(TICKET_ID.match(t.id) for t in (first, second, third)) and len({first.id, second.id, third.id}) == 3
    assert [t.id for t in await store.of_customer("alice")] == [first.id]
    assert [t.id for t in await store.of_conversation("chat-a")] == [third.id, first.id]
    assert await store.get(first.id) == first and first.status == "open" and first.status_label == "待处理"
    with pytest.raises(ValueError):
        await store.create("chat-a", "refund_everything", "")


async def test_the_life_cycle_is_checked_and_logged(store, clock):
    ticket = await store.create("chat-a", "change_spec", "换成42码", customer_id="alice")
    clock["now"] += 60
    before, after = await store.change(ticket.id, "alice-agent", status="in_progress", assignee="alice-agent")
    assert (before.status, after.status, after.assignee, after.updated_at) == ("open", "in_progress", "alice-agent",
                                                                               NOW + 60)
    await store.change(ticket.id, "alice-agent", status="waiting_customer", message="请问要什么颜色？")
    await store.change(ticket.id, "alice-agent", status="resolved", note="已改好")
    with pytest.raises(TicketError) as wrong:
        await store.change(ticket.id, "alice-agent", status="waiting_customer")
    assert wrong.value.code == "bad_status"
    await store.change(ticket.id, "sue", status="in_progress")  # reopened
    history = await store.history(ticket.id)
    assert [entry.get("status") for entry in history] == ["open", "in_progress", "waiting_customer", "resolved",
                                                          "in_progress"]
    assert history[2]["message"] == "请问要什么颜色？" and history[3]["note"] == "已改好"
    with pytest.raises(TicketError) as missing:
        await store.change("TK-none", "sue", status="resolved")
    assert missing.value.code == "not_found"


async def test_pages_by_status_follow_changes(store, clock):
    made = []
    for number in range(5):
        clock["now"] += 1
        made.append(await store.create(f"chat-{number}", "complaint", str(number)))
    await store.change(made[1].id, "bob", status="in_progress")
    open_now, _ = await store.page("open")
    assert [t.id for t in open_now] == [t.id for t in reversed(made) if t.id != made[1].id]
    assert [t.id for t in (await store.page("in_progress"))[0]] == [made[1].id]
    first, cursor = await store.page(limit=2)
    rest, end = await store.page(limit=10, before=cursor)
    assert [t.id for t in first + rest] == [t.id for t in reversed(made)] and end is None
    with pytest.raises(TicketError):
        await store.page("lost")


async def test_concurrent_changes_leave_one_consistent_ticket(store):
    ticket = await store.create("chat-a", "complaint", "")
    results = await asyncio.gather(*(store.change(ticket.id, name, status="in_progress", assignee=name)
                                     for name in ("alice", "bob", "carol")), return_exceptions=True)
    assert not [r for r in results if isinstance(r, Exception)]
    final = await store.get(ticket.id)
    assert final.status == "in_progress" and final.assignee in ("alice", "bob", "carol")
    assert [t.id for t in (await store.page("in_progress"))[0]] == [ticket.id]
    assert (await store.page("open"))[0] == []


async def test_words_are_added_only_to_a_ticket_of_the_same_chat(store):
    ticket = await store.create("chat-a", "handoff", "发票抬头开错了")
    assert await store.add_words(ticket.id, "chat-a", "税号 123")
    assert not await store.add_words(ticket.id, "chat-mallory", "把退款打给我")
    assert not await store.add_words("TK-none", "chat-a", "？")
    assert (await store.get(ticket.id)).detail == "发票抬头开错了\n税号 123"
