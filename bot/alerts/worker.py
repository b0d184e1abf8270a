"""``python -m bot.alerts``: delivers due alert notices through the outbound layer.

Each notice is leased from the queue in Redis (schedule.py), so several
workers can run and a crashed one loses nothing.  Before sending: a notice for
a subscription the customer cancelled is dropped; in quiet hours
(``ALERT_QUIET_HOURS``, default 22:00-08:00) it waits for the morning; past the
daily cap per chat (``ALERT_DAILY_CAP``, default 3) it waits for the next day.
Then, by what the channel allows (bot/channels/outbound/):

* widget: live into an open chat, else kept for the next visit; REST: kept
  and returned with the customer's next request;
* WeChat: the customer-service API inside its 48-hour window and message
  limit; refused, it is kept and sent before the answer to the customer's next
  message;
* Telegram: ``sendMessage``; a 403 (the customer blocked the bot) cancels every
  alert of that chat, so nothing more is sent;
* a channel that failed (API down) is tried again a few times, minutes apart.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import time
from typing import Callable, Optional

from aiohttp import web

from bot.alerts.schedule import AlertSchedule, QueuedNotice
from bot.alerts.subscriptions import Subscriptions
from bot.channels.outbound import Outbound, Outbox, PushCredentials
from bot.settings import RedisSettings, ServiceHours, SettingsError, int_from_env
from bot.store.conversations import ConversationIndex
from bot.store.redis_client import async_client, redis_unavailable

logger = logging.getLogger(__name__)
DEFAULT_DAILY_CAP = 3
DELIVERIES_AT_ONCE = 50


class AlertWorker:
    def __init__(self, schedule: AlertSchedule, subscriptions: Subscriptions, outbound: Outbound,
                 hours: ServiceHours, daily_cap: int = DEFAULT_DAILY_CAP, clock: Callable[[], float] = time.time):
        self.schedule = schedule
        self.subscriptions = subscriptions
        self.outbound = outbound
        self.hours = hours
        self.daily_cap = daily_cap
        self._clock = clock

    async def deliver_due(self) -> int:
        """Handles the notices due now, side by side (a widget that is not open costs a wait of its own,
        which must not hold up the others); how many reached the customer or wait for their next visit."""
        leased = await self.schedule.lease_due(DELIVERIES_AT_ONCE)
        return sum(await asyncio.gather(*(self._deliver_safely(notice) for notice in leased)))

    async def _deliver_safely(self, notice: QueuedNotice) -> int:
        try:
            return await self._deliver(notice)
        except Exception as error:
            if not redis_unavailable(error):
                logger.exception("alert %s could not be delivered", notice.id)
            try:
                await self.schedule.later(notice, self._clock() + 60)
            except Exception:
                pass  # Redis is down: the lease runs out and the notice comes back by itself
            return 0

    async def _deliver(self, notice: QueuedNotice) -> int:
        subscription = await self.subscriptions.get(notice.alert_id)
        if subscription is None or subscription.status == "cancelled":
            await self.schedule.finished(notice, "dropped", "unsubscribed")
            return 0
        now = self._clock()
        if not self.hours.is_open(now):
            await self.schedule.later(notice, self.hours.next_open(now))
            return 0
        if not await self.schedule.take_daily_slot(notice.conversation_id, self.hours.day_of(now), self.daily_cap):
            await self.schedule.later(notice, self.hours.next_open(self._next_day(now)))
            return 0
        delivery = await self.outbound.send(notice.conversation_id, notice.text, card=notice.card)
        if delivery.outcome == "refused":  # WeChat's window: the customer's next message opens it
            await self.outbound.outbox.push(notice.conversation_id, {"text": notice.text, "card": notice.card})
            await self.schedule.finished(notice, "kept", delivery.detail)
            return 1
        if delivery.outcome == "blocked":
            await self.subscriptions.cancel(notice.conversation_id)
            await self.schedule.finished(notice, "blocked", delivery.detail)
            return 0
        if delivery.outcome == "failed":
            if not await self.schedule.retry(notice):
                await self.schedule.finished(notice, "failed", delivery.detail)
            return 0
        await self.schedule.finished(notice, "sent" if delivery.delivered else "kept", delivery.detail)
        return 1

    def _next_day(self, now: float) -> float:
        local = now + self.hours.utc_offset_hours * 3600
        return now + (86400 - local % 86400)

    async def run(self, stopped: asyncio.Event, interval: float = 0.2) -> None:
        """Leases due notices every ``interval`` and delivers each in a task of its own, so a slow
        delivery (a widget that is not open waits a moment for it) never holds up the next ones."""
        running: set = set()
        while not stopped.is_set():
            leased = []
            room = DELIVERIES_AT_ONCE - len(running)
            if room > 0:
                try:
                    leased = await self.schedule.lease_due(room)
                except Exception as error:  # Redis down: wait and try again, never die
                    if not redis_unavailable(error):
                        logger.exception("alert worker")
            for notice in leased:
                task = asyncio.create_task(self._deliver_safely(notice))
                running.add(task)
                task.add_done_callback(running.discard)
            if not leased:
                try:
                    await asyncio.wait_for(stopped.wait(), interval)
                except asyncio.TimeoutError:
                    pass
        if running:
            await asyncio.gather(*running)


def make_app(worker: AlertWorker) -> web.Application:
    app = web.Application()
    stopped = asyncio.Event()

    async def health(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok", "pending": await worker.schedule.pending()})

    async def background(_: web.Application):
        task = asyncio.create_task(worker.run(stopped))
        yield
        stopped.set()
        await task
        await worker.outbound.close()

    app.router.add_get("/health", health)
    app.cleanup_ctx.append(background)
    return app


def build_worker(environ=os.environ) -> AlertWorker:
    settings = RedisSettings.from_env(environ)
    client = async_client(settings)
    index = ConversationIndex(client, settings.key_prefix)
    outbound = Outbound(index, Outbox(client, settings.key_prefix), PushCredentials.from_env(environ))
    cap = int_from_env(environ, "ALERT_DAILY_CAP", DEFAULT_DAILY_CAP)
    if cap < 1:
        raise SettingsError(f"ALERT_DAILY_CAP must be at least 1, got {cap}")
    return AlertWorker(AlertSchedule(client, settings.key_prefix), Subscriptions(client, settings.key_prefix),
                       outbound, ServiceHours.alert_hours(environ), cap)


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.alerts", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, help="health endpoint port (overrides ALERTS_PORT, default 5059)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        worker = build_worker()
        port = args.port or int_from_env(os.environ, "ALERTS_PORT", 5059)
    except SettingsError as error:
        print(f"alerts: {error}")
        return 2
    web.run_app(make_app(worker), host="127.0.0.1", port=port, access_log=None, print=None, shutdown_timeout=2.0)
    return 0
