"""A tracker store that gave up on Redis fails the turn, instead of Rasa answering from an empty tracker.

What Rasa 3.6.21 does: ``Agent`` wraps every tracker store in
``FailSafeTrackerStore``, which answers a failed read with no tracker (the
customer's conversation is forgotten: 要降噪的 after 蓝牙耳机 and 500以内 got
您想看哪一类商品呢) and keeps a failed save in memory only.

The patch: our tracker store (bot/store/rasa_stores.py) waits for Redis first
(``REDIS_OUTAGE_WAIT_SECONDS``); when it gives up with
:class:`bot.store.redis_client.StoreUnavailable`, that exception goes through
the wrapper, so the turn fails and the channel says 稍后再试
(bot/channels/texts.py).  Any other error is handled as Rasa does: the bodies
of ``retrieve``, ``retrieve_full_tracker`` and ``save`` are Rasa 3.6.21's, with
``StoreUnavailable`` re-raised.

Upstream: the wrapper is deliberate (RasaHQ/rasa#4699, "Tracker fallback").

Extension point: none.  ``Agent._create_tracker_store`` wraps the configured
store unconditionally, and the wrapper's error callbacks cannot be set from
endpoints.yml.  (An exception outside ``Exception`` would slip through the
wrapper, but also through the error handling of Sanic and of our channels.)
"""

from __future__ import annotations

from bot.runtime.patches._fence import fenced, replace

TARGETS = (
    "rasa.core.tracker_store:FailSafeTrackerStore.retrieve",
    "rasa.core.tracker_store:FailSafeTrackerStore.retrieve_full_tracker",
    "rasa.core.tracker_store:FailSafeTrackerStore.save",
)


@fenced
def apply() -> None:
    from rasa.core.tracker_store import FailSafeTrackerStore

    from bot.store.redis_client import StoreUnavailable

    async def retrieve(self: FailSafeTrackerStore, sender_id):
        try:
            return await self._tracker_store.retrieve(sender_id)
        except StoreUnavailable:
            raise
        except Exception as error:
            self.on_tracker_store_retrieve_error(error)
            return None

    async def retrieve_full_tracker(self: FailSafeTrackerStore, sender_id):
        try:
            return await self._tracker_store.retrieve_full_tracker(sender_id)
        except StoreUnavailable:
            raise
        except Exception as error:
            self.on_tracker_store_retrieve_error(error)
            return None

    async def save(self: FailSafeTrackerStore, tracker):
        try:
            await self._tracker_store.save(tracker)
        except StoreUnavailable:
            raise
        except Exception as error:
            self.on_tracker_store_error(error)
            await self.fallback_tracker_store.save(tracker)

    replace(FailSafeTrackerStore, "retrieve", retrieve)
    replace(FailSafeTrackerStore, "retrieve_full_tracker", retrieve_full_tracker)
    replace(FailSafeTrackerStore, "save", save)


def undo() -> None:
    from bot.runtime.patches import _fence

    _fence.undo(__name__)
