"""Event classes are looked up by name in a table, not by walking every subclass of ``Event``.

What Rasa 3.6.21 does: ``Event.resolve_by_type`` walks every subclass of
``Event`` (recursively, ``rasa.shared.utils.common.all_subclasses``) for each
event it deserialises: every event of a tracker loaded from Redis, every event
an action returns.

The patch: the table of ``type_name -> class`` is built once and rebuilt only
for a name it does not know (an event class imported later).  The first
subclass in Rasa's order wins, as in its loop; ``"topic"``, defaults and
unknown names are answered by Rasa's own method.

Upstream: none known.

Extension point: partial.  Our tracker store (bot/store/rasa_stores.py) could
deserialise trackers with its own table (override ``deserialise_tracker``), but
the events of action responses and of the HTTP API go through
``Event.from_parameters`` -> ``resolve_by_type`` whatever the store does.  That
store also hands back the tracker it saved last (``RecentTrackers``) instead of
decoding it again, so most turns no longer deserialise a tracker at all: this
patch's gain should be measured again, it may have become removable.
"""

from __future__ import annotations

from typing import Dict, Optional, Type

from bot.runtime.patches._fence import fenced, replace

TARGETS = ("rasa.shared.core.events:Event.resolve_by_type",)


@fenced
def apply() -> None:
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    original = Event.resolve_by_type
    table: Dict[str, Type[Event]] = {}

    def rebuild() -> None:
        table.clear()
        # First match wins, as in Rasa's loop over the same list.
        for cls in reversed(all_subclasses(Event)):
            table[cls.type_name] = cls

    def resolve_by_type(type_name: str, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
        found = table.get(type_name)
        if found is None:
            rebuild()
            found = table.get(type_name)
        if found is not None:
            return found
        return original(type_name, default)  # Rasa's own answer for "topic", defaults and errors

    replace(Event, "resolve_by_type", staticmethod(resolve_by_type))


def undo() -> None:
    from bot.runtime.patches import _fence

    _fence.undo(__name__)
