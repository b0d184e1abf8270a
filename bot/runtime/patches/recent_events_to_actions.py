"""The action server gets the events of the last few customer messages, not the whole conversation.

What Rasa 3.6.21 does: ``RemoteAction._action_call_format`` puts every event of
the conversation's session in every action call, JSON-encoded by the rasa
server and decoded by the action server again: a cost that grows with every
turn.

The patch: ``tracker.events`` holds the events from the
:data:`TURNS_SENT_TO_ACTIONS`-th last customer message of the current session
on (:func:`recent_events`); slots, the latest message and the active loop are
sent whole as before, and the domain is sent exactly when Rasa would
(``enable_selective_domain`` in endpoints.yml).  Our actions look back a few
turns at most (a streak of complaints or of fallbacks, actions/service.py).

Upstream: RasaHQ/rasa#6334 and RasaHQ/rasa#4713 ask for a way to send fewer
events; 3.6 has only the option for the domain.

Extension point: none for what is sent.  "Slots instead of trimmed events"
would make the actions independent of the history (the complaint and fallback
streaks kept in slots that actions/service.py updates), which is worth doing,
but Rasa would still encode and send every event of the session: only this
patch removes that cost.
"""

from __future__ import annotations

from typing import Any, Dict, List

from bot.runtime.patches._fence import fenced, replace

TARGETS = ("rasa.core.actions.action:RemoteAction._action_call_format",)
TURNS_SENT_TO_ACTIONS = 10


def recent_events(events: List[Any], turns: int = TURNS_SENT_TO_ACTIONS) -> List[Any]:
    """The events from the ``turns``-th last customer message on, within the current session."""
    from rasa.shared.core.events import Restarted, SessionStarted, UserUttered

    start = 0
    seen = 0
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if isinstance(event, (SessionStarted, Restarted)):
            start = index
            break
        if isinstance(event, UserUttered):
            seen += 1
            if seen == turns:
                start = index
                break
    return events[start:]


@fenced
def apply() -> None:
    import rasa
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.trackers import EventVerbosity

    def _action_call_format(self: RemoteAction, tracker, domain) -> Dict[str, Any]:
        state = tracker.current_state(EventVerbosity.NONE)
        state["events"] = [event.as_dict() for event in recent_events(list(tracker.events))]
        call = {"next_action": self._name, "sender_id": tracker.sender_id, "tracker": state,
                "version": rasa.__version__}
        # As Rasa decides whether to send the domain.
        if not self._is_selective_domain_enabled() or domain.does_custom_action_explicitly_need_domain(self.name()):
            call["domain"] = domain.as_dict()
        return call

    replace(RemoteAction, "_action_call_format", _action_call_format)


def undo() -> None:
    from bot.runtime.patches import _fence

    _fence.undo(__name__)
