"""The lock store's ticket locks on a real Redis: one holder at a time, in ticket order, expiry of a crashed holder.

Two ``TicketLocks`` on separate connections stand for two rasa servers.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

import pytest
import redis.asyncio

from bot.store.ticket_locks import LockLost, TicketLocks


async def test_two_servers_never_hold_one_chat_at_once_and_serve_tickets_in_order(private_redis_url):
    clients = [redis.asyncio.Redis.from_url(private_redis_url, decode_responses=True) for _ in range(2)]
    servers = [TicketLocks(client, "lk", poll_seconds=0.005) for client in clients]
    holding, served, overlaps = [], [], []

    async def turn(number: int) -> None:
        await asyncio.sleep(number * 0.003)  # taken in this order, from alternating servers
        async with servers[number % 2].held("chat-1", lifetime_seconds=10):
            if holding:
                overlaps.append(number)
            holding.append(number)
            await asyncio.sleep(0.01)  # a read-modify-write of the tracker would interleave here
            served.append(number)
            holding.remove(number)

    try:
        for server in servers:  # connected and the scripts loaded first: a slow first call would take its ticket late
            async with server.held("warm-up", lifetime_seconds=10):
                pass
        await asyncio.gather(*(turn(number) for number in range(30)))
        assert overlaps == [] and served == list(range(30))
        assert await clients[0].keys("lk:lock:*") == []  # the last one out cleans up
    finally:
        for client in clients:
            await client.close()


async def test_a_crashed_holder_blocks_the_chat_only_until_its_ticket_expires(private_redis):
    locks = TicketLocks(private_redis, "lk", poll_seconds=0.01)
    await locks.take("chat-2", lifetime_seconds=0.5)  # taken, never given back: the holder died
    started = time.monotonic()
    async with locks.held("chat-2", lifetime_seconds=5):
        waited = time.monotonic() - started
    assert 0.4 < waited < 2


async def test_a_ticket_that_expires_while_waiting_is_refused(private_redis):
    locks = TicketLocks(private_redis, "lk", poll_seconds=0.01)
    await locks.take("chat-3", lifetime_seconds=5)  # a long holder
    mine = await locks.take("chat-3", lifetime_seconds=0.2)
    with pytest.raises(LockLost):
        await locks.wait_for_turn("chat-3", mine, lifetime_seconds=0.2)


async def test_a_crashed_holder_blocks_the_chat_for_its_lease_not_for_raas_lock_lifetime(private_redis):
    locks = TicketLocks(private_redis, "lk", poll_seconds=0.01, lease_seconds=0.5)
    await locks.take("chat-4", lifetime_seconds=60)  # Rasa's default lifetime; the server died right after
    started = time.monotonic()
    async with locks.held("chat-4", lifetime_seconds=60):
        waited = time.monotonic() - started
    assert 0.4 < waited < 2


async def test_a_live_holder_keeps_the_chat_beyond_its_lease_and_a_waiting_ticket_stays_queued(private_redis_url):
    clients = [redis.asyncio.Redis.from_url(private_redis_url, decode_responses=True) for _ in range(2)]
    servers = [TicketLocks(client, "lk", poll_seconds=0.01, lease_seconds=0.3) for client in clients]
    events = []

    async def slow_turn() -> None:
        async with servers[0].held("chat-5", lifetime_seconds=10):
            events.append("slow in")
            await asyncio.sleep(1.2)  # four leases: only the heartbeat keeps the ticket
            events.append("slow out")

    async def next_turn() -> None:
        await asyncio.sleep(0.05)
        async with servers[1].held("chat-5", lifetime_seconds=10):  # waits four leases in the queue
            events.append("next in")

    try:
        await asyncio.gather(slow_turn(), next_turn())
        assert events == ["slow in", "slow out", "next in"]
    finally:
        for client in clients:
            await client.close()


async def test_a_hung_holder_loses_the_chat_when_the_lock_lifetime_is_used_up(private_redis):
    locks = TicketLocks(private_redis, "lk", poll_seconds=0.01, lease_seconds=0.2)
    entered = asyncio.Event()

    async def hung() -> None:
        async with locks.held("chat-6", lifetime_seconds=0.6):
            entered.set()
            await asyncio.sleep(5)

    holder = asyncio.create_task(hung())
    await entered.wait()
    started = time.monotonic()
    try:
        async with locks.held("chat-6", lifetime_seconds=5):
            waited = time.monotonic() - started
        assert 0.3 < waited < 1.5
    finally:
        holder.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await holder  # it gives its ticket back before the loop closes
