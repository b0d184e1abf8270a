"""The policies' tracker featurizer: Rasa's, with dialogue states kept between predictions.

Each policy of config.yml names it as its ``featurizer`` (Rasa looks it up by
module path, ``Policy._create_featurizer``) and it is stored in the model.  It
is Rasa's ``MaxHistoryTrackerFeaturizer`` in every respect but one: a tracker's
states come from one :class:`bot.policies.past_states.PastStates` shared by all
policies of the process, so a conversation is not replayed from its first event
three times per message (bot/policies/past_states.py says why that matters).

Training trackers keep Rasa's own path: ``TrackerWithCachedStates`` caches its
states itself, and thousands of them would only crowd the shared cache.

Config (as for Rasa's featurizer; ``max_history`` comes from the policy)::

    featurizer:
      - name: bot.policies.states_featurizer.KeptStatesFeaturizer
        state_featurizer:          # TEDPolicy only
          - name: SingleStateFeaturizer
"""

from __future__ import annotations

import threading
from typing import Any, Dict, List, Optional

from rasa.core.featurizers.tracker_featurizers import MaxHistoryTrackerFeaturizer
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot.policies.past_states import PastStates

# One for all policies and featurizers of the process: they ask in turn about the same tracker.
_SHARED = PastStates()
_SHARED_LOCK = threading.Lock()  # the policies run in one graph thread, but nothing here relies on it


class KeptStatesFeaturizer(MaxHistoryTrackerFeaturizer):
    """``MaxHistoryTrackerFeaturizer`` whose states are extended turn by turn, not replayed."""

    def _create_states(self, tracker: DialogueStateTracker, domain: Domain, omit_unset_slots: bool = False,
                       ignore_rule_only_turns: bool = False,
                       rule_only_data: Optional[Dict[str, Any]] = None) -> List[State]:
        if isinstance(tracker, TrackerWithCachedStates):
            return super()._create_states(tracker, domain, omit_unset_slots, ignore_rule_only_turns,
                                          rule_only_data)
        with _SHARED_LOCK:
            return _SHARED.states(domain, tracker, omit_unset_slots, ignore_rule_only_turns, rule_only_data)


def shared_past_states() -> PastStates:
    """The process's :class:`PastStates` (tests read how many events it replayed)."""
    return _SHARED
