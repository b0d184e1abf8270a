"""Dialogue states (对话状态) of a conversation, computed once and extended turn by turn.

What Rasa 3.6.21 does: every policy asks for its tracker's states on every
prediction (``TrackerFeaturizer._create_states`` → ``tracker.past_states``), and
Rasa answers by replaying the whole conversation from its first event
(``Domain.states_for_tracker_history``): RulePolicy, MemoizationPolicy and
TEDPolicy each do it, two to four times per customer message.  The cost grows
with the conversation; on a conversation of forty turns it was a sixth of the
rasa server's CPU (profiled).

:class:`PastStates` folds the same computation over the applied events and
keeps where it stopped, per conversation and per set of options.  When asked
again for a conversation whose applied events start with the ones it has seen
(the same event objects: the tracker is the same, or was handed back by the
tracker store's cache), it only replays the new events.  Anything else, a
reverted action, a restart, another tracker, starts again from the first
event, so the answer is always the one Rasa's loop gives (tested event by event
against it in ``tests/unit/test_past_states.py``).

The policies use it through their featurizer, Rasa's extension point for this
(bot/policies/states_featurizer.py, named in config.yml).  ``_Fold._visit`` is
one iteration of Rasa 3.6.21's loop, private helpers of ``Domain`` included: on
another Rasa this module refuses to load (the version fence of bot/runtime/patches/).
"""

from __future__ import annotations

import operator
from collections import OrderedDict
from typing import Any, Dict, Hashable, List, Optional, Tuple

from rasa.shared.core.constants import PREVIOUS_ACTION
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import ActionExecuted, Event
from rasa.shared.core.trackers import DialogueStateTracker

from bot.runtime.patches._fence import check_rasa_version

check_rasa_version()

CONVERSATIONS_KEPT = 512


def copy_state(state: State) -> State:
    """A state whose dictionaries the caller may change: featurizers delete keys in place."""
    return {kind: dict(sub_state) for kind, sub_state in state.items()}


class _Fold:
    """Rasa's loop over the prior trackers, stopped after ``len(self.events)`` applied events."""

    def __init__(self, domain: Domain, tracker: DialogueStateTracker, omit_unset_slots: bool,
                 ignore_rule_only_turns: bool, rule_only_data: Optional[Dict[str, Any]]) -> None:
        self.domain = domain
        self.omit_unset_slots = omit_unset_slots
        self.ignore_rule_only_turns = ignore_rule_only_turns
        self.rule_only_data = rule_only_data
        self.replay = tracker.init_copy()
        self.events: List[Event] = []
        self.states: List[State] = []
        self.last_ml_action_sub_state: Optional[Dict[str, str]] = None
        self.turn_was_hidden = False

    def continues(self, applied: List[Event]) -> bool:
        seen = len(self.events)
        return len(applied) >= seen and all(map(operator.is_, applied[:seen], self.events))

    def advance(self, applied: List[Event]) -> None:
        for event in applied[len(self.events):]:
            if isinstance(event, ActionExecuted):
                state, self.last_ml_action_sub_state, self.turn_was_hidden = self._visit(
                    event.hide_rule_turn, self.last_ml_action_sub_state, self.turn_was_hidden)
                if state is not None:
                    self.states.append(state)
            self.replay.update(event)
            self.events.append(event)

    def result(self) -> List[State]:
        states = [copy_state(state) for state in self.states]
        # The last prior tracker is the whole conversation: visited, not kept,
        # because the next event may be an ActionExecuted that visits it again.
        final, _, _ = self._visit(False, self.last_ml_action_sub_state, self.turn_was_hidden)
        if final is not None:
            states.append(copy_state(final))
        return states

    def _visit(self, hide_rule_turn: bool, last_ml_action_sub_state: Optional[Dict[str, str]],
               turn_was_hidden: bool) -> Tuple[Optional[State], Optional[Dict[str, str]], bool]:
        """One iteration of ``Domain.states_for_tracker_history``'s loop, on ``self.replay``."""
        domain, tracker = self.domain, self.replay
        if self.ignore_rule_only_turns:
            if not turn_was_hidden:
                last_ml_action_sub_state = domain._get_prev_action_sub_state(tracker)
            if not tracker.followup_action and not tracker.latest_action_name == tracker.active_loop_name:
                turn_was_hidden = hide_rule_turn
            if turn_was_hidden:
                return None, last_ml_action_sub_state, turn_was_hidden
        state = domain.get_active_state(tracker, omit_unset_slots=self.omit_unset_slots)
        if self.ignore_rule_only_turns:
            domain._remove_rule_only_features(state, self.rule_only_data)
            if self.states:
                domain._substitute_rule_only_user_input(state, self.states[-1])
            if last_ml_action_sub_state:
                state[PREVIOUS_ACTION] = last_ml_action_sub_state
        return domain._clean_state(state), last_ml_action_sub_state, turn_was_hidden


def _freeze(value: Any) -> Hashable:
    if isinstance(value, dict):
        return tuple(sorted((key, _freeze(item)) for key, item in value.items()))
    if isinstance(value, (list, tuple, set)):
        return tuple(_freeze(item) for item in value)
    return value


class PastStates:
    """``Domain.states_for_tracker_history`` with the work of earlier calls kept."""

    def __init__(self, conversations_kept: int = CONVERSATIONS_KEPT) -> None:
        self._folds: "OrderedDict[Hashable, _Fold]" = OrderedDict()
        self._kept = conversations_kept
        self.replayed_events = 0  # how many events were replayed, to show what was saved
        # The three policies ask in turn about the same tracker: its applied
        # events (a pass over the whole conversation) are worked out once.
        self._last_applied: Tuple[Optional[DialogueStateTracker], int, Optional[Event], List[Event]] = (
            None, 0, None, [])

    def __len__(self) -> int:
        return len(self._folds)

    def states(self, domain: Domain, tracker: DialogueStateTracker, omit_unset_slots: bool = False,
               ignore_rule_only_turns: bool = False,
               rule_only_data: Optional[Dict[str, Any]] = None) -> List[State]:
        key = (id(domain), tracker.sender_id, tracker.is_rule_tracker, omit_unset_slots,
               ignore_rule_only_turns, _freeze(rule_only_data))
        applied = self._applied_events(tracker)
        fold = self._folds.pop(key, None)
        if fold is None or fold.domain is not domain or not fold.continues(applied):
            fold = _Fold(domain, tracker, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
        self.replayed_events += len(applied) - len(fold.events)
        fold.advance(applied)
        self._folds[key] = fold
        while len(self._folds) > self._kept:
            self._folds.popitem(last=False)
        return fold.result()

    def _applied_events(self, tracker: DialogueStateTracker) -> List[Event]:
        events = tracker.events
        last = events[-1] if events else None
        seen_tracker, seen_count, seen_last, applied = self._last_applied
        if seen_tracker is not tracker or seen_count != len(events) or seen_last is not last:
            applied = tracker.applied_events()
            self._last_applied = (tracker, len(events), last, applied)
        return applied
