"""A custom action whose server refuses connections (restarting) is tried again, then the customer is told.

What Rasa 3.6.21 does: ``RemoteAction.run`` raises when the action server
cannot be reached; the processor logs "Encountered an exception while running
action" and goes on without the action's events: the customer gets no answer
at all.

The patch: a refused connection means the request was never sent (the
supervisor is restarting the action server), so the call is tried again, with
pauses from 0.1 s doubling to 1 s, for ``ACTION_SERVER_WAIT_SECONDS`` (10);
after that the customer is told plainly, on their channel, that the message
was not handled (``bot.channels.texts.APOLOGY``).  Any other error is raised as
before.

Upstream: RasaHQ/rasa#7630 ("Action server failure handling", open).

Extension point: none in Rasa: ``action_endpoint`` has no retry setting and
``RemoteAction`` cannot be swapped.  Outside Rasa, the scale-out's HAProxy
(deploy/haproxy/haproxy.cfg, ``retries``/``redispatch``) already sends a
refused request to another action server; a single-machine install has no
other one to send it to, and no proxy could give the plain answer after the
wait.
"""

from __future__ import annotations

from bot.runtime.patches._fence import fenced, replace

TARGETS = ("rasa.core.actions.action:RemoteAction.run",)


@fenced
def apply() -> None:
    import asyncio
    import time

    import aiohttp
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.events import BotUttered
    from rasa.shared.exceptions import RasaException

    from bot.channels.texts import APOLOGY
    from bot.settings import turn_wait_seconds

    run = RemoteAction.run
    wait_seconds = turn_wait_seconds("ACTION_SERVER_WAIT_SECONDS")

    async def run_when_reachable(self: RemoteAction, output_channel, nlg, tracker, domain, *args, **kwargs):
        deadline = time.monotonic() + wait_seconds
        pause = 0.1
        while True:
            try:
                return await run(self, output_channel, nlg, tracker, domain, *args, **kwargs)
            except RasaException as error:
                if not isinstance(error.__context__, aiohttp.ClientConnectorError):
                    raise
                if time.monotonic() + pause > deadline:
                    await output_channel.send_text_message(tracker.sender_id, APOLOGY)
                    return [BotUttered(APOLOGY)]
            await asyncio.sleep(pause)
            pause = min(pause * 2, 1.0)

    replace(RemoteAction, "run", run_when_reachable)


def undo() -> None:
    from bot.runtime.patches import _fence

    _fence.undo(__name__)
