"""The objects of a loaded model are moved out of the garbage collector's view (``gc.freeze``).

What Rasa 3.6.21 does: nothing wrong as such, but Python's cyclic garbage
collector walks every object of the loaded model (TensorFlow, the domain, the
graph) in each full collection: 0.4 to 1.2 s during which no customer gets an
answer (measured with ``gc.callbacks``).

The patch: ``Agent.load_model`` unfreezes (a replaced model's objects become
collectable again), loads as Rasa does, collects, and freezes.  A full
collection under load then took 20 ms.

Upstream: none known.

Extension point: partial.  A Sanic ``after_server_start`` listener (on the
blueprint of one of our channels, bot/channels/) runs after Rasa's
``load_agent_on_start`` and could freeze the first model; a model replaced
later through the HTTP API (``PUT /model``) goes through ``Agent.load_model``
with no hook after it, so the listener alone would leave that one unfrozen.
"""

from __future__ import annotations

import functools
import gc
from typing import Any

from bot.runtime.patches._fence import fenced, replace

TARGETS = ("rasa.core.agent:Agent.load_model",)


@fenced
def apply() -> None:
    from rasa.core.agent import Agent

    original = Agent.load_model

    @functools.wraps(original)
    def load_model(self: Agent, *args: Any, **kwargs: Any) -> None:
        gc.unfreeze()  # a replaced model's objects become collectable again
        original(self, *args, **kwargs)
        gc.collect()
        gc.freeze()

    replace(Agent, "load_model", load_model)


def undo() -> None:
    from bot.runtime.patches import _fence

    _fence.undo(__name__)
