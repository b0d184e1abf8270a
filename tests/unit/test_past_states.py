"""Incremental dialogue states give Rasa's answer after every event, and save the replay."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    FollowupAction,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
    UserUtteranceReverted,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.policies.past_states import PastStates
from bot.policies.states_featurizer import KeptStatesFeaturizer, shared_past_states

RASAS_STATES_FOR_TRACKER_HISTORY = Domain.states_for_tracker_history

ROOT = Path(__file__).resolve().parents[2]

# A domain with what ours lacks, so that every branch of Rasa's loop runs:
# a form (active loops, happy-path undo) and slots that shape the state.
FORM_DOMAIN = """
version: "3.1"
intents: [greet, request_product, inform, affirm, deny]
entities: [product_category, color]
slots:
  product_category: {type: text, mappings: [{type: from_entity, entity: product_category}]}
  color: {type: categorical, values: [白色, 黑色], mappings: [{type: from_entity, entity: color}]}
  requested_slot: {type: text, influence_conversation: false, mappings: [{type: custom}]}
forms:
  shopping_form: {required_slots: [product_category, color]}
responses:
  utter_greet: [{text: 您好}]
  utter_ask_color: [{text: 要什么颜色？}]
actions: [action_recommend_products]
"""

OPTIONS = [
    {},
    {"omit_unset_slots": True},
    {"ignore_rule_only_turns": True, "rule_only_data": {"rule_only_slots": ["color"],
                                                        "rule_only_loops": ["shopping_form"]}},
    {"ignore_rule_only_turns": True, "rule_only_data": {}},
]


def random_event(rng: random.Random, domain: Domain):
    intents = list(domain.intents)
    actions = [name for name in domain.action_names_or_texts if not name.startswith("utter_") or rng.random() < .5]
    roll = rng.random()
    if roll < 0.3:
        entities = [{"entity": "product_category", "value": rng.choice(["跑步鞋", "耳机"])}] if rng.random() < .5 else []
        return UserUttered(rng.choice(["有没有跑步鞋", "白色的", "好的"]),
                           {"name": rng.choice(intents), "confidence": 1.0}, entities)
    if roll < 0.65:
        return ActionExecuted(rng.choice(actions), hide_rule_turn=rng.random() < .3)
    if roll < 0.75:
        slot = rng.choice(list(domain.slots)).name
        return SlotSet(slot, rng.choice([None, "白色", "跑步鞋"]))
    if roll < 0.82 and domain.form_names:
        return ActiveLoop(rng.choice(domain.form_names + [None]))
    if roll < 0.86:
        return FollowupAction(rng.choice(actions))
    return rng.choice([ActionReverted, UserUtteranceReverted, Restarted, SessionStarted,
                       lambda: ActionExecuted("action_listen")])()


@pytest.mark.parametrize("domain", [
    Domain.load(str(ROOT / "domain.yml")),
    Domain.from_yaml(FORM_DOMAIN),
], ids=["shop domain", "form domain"])
def test_states_equal_rasas_after_every_event(domain):
    rng = random.Random(7)
    past = PastStates()
    for conversation in range(12):
        tracker = DialogueStateTracker(f"customer-{conversation}", domain.slots)
        for _ in range(60):
            tracker.update(random_event(rng, domain))
            for options in OPTIONS:
                expected = RASAS_STATES_FOR_TRACKER_HISTORY(domain, tracker, **options)
                assert past.states(domain, tracker, **options) == expected


def test_a_growing_conversation_replays_only_its_new_events():
    domain = Domain.load(str(ROOT / "domain.yml"))
    past = PastStates()
    tracker = DialogueStateTracker("growing", domain.slots)
    for turn in range(20):
        tracker.update(UserUttered("推荐一款蓝牙耳机", {"name": "request_product", "confidence": 1.0}))
        tracker.update(ActionExecuted("action_recommend_products"))
        tracker.update(ActionExecuted("action_listen"))
        past.states(domain, tracker)
    assert past.replayed_events == len(tracker.events)

    # A reverted turn changes the history: computed again from the start, and still right.
    tracker.update(UserUtteranceReverted())
    assert past.states(domain, tracker) == RASAS_STATES_FOR_TRACKER_HISTORY(domain, tracker)
    assert past.replayed_events == 60 + len(tracker.applied_events())


def test_callers_may_change_the_states_they_get():
    domain = Domain.load(str(ROOT / "domain.yml"))
    past = PastStates()
    tracker = DialogueStateTracker("changer", domain.slots)
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered("推荐一款蓝牙耳机", {"name": "request_product", "confidence": 1.0}))
    first = past.states(domain, tracker)
    first[-1]["user"].clear()  # as featurizers delete the text of a user sub-state
    first[-1].clear()
    assert past.states(domain, tracker) == RASAS_STATES_FOR_TRACKER_HISTORY(domain, tracker)


def test_conversations_beyond_the_limit_are_forgotten():
    domain = Domain.load(str(ROOT / "domain.yml"))
    past = PastStates(conversations_kept=2)
    trackers = [DialogueStateTracker(f"c{n}", domain.slots) for n in range(3)]
    for tracker in trackers:
        tracker.update(ActionExecuted("action_listen"))
        past.states(domain, tracker)
    assert len(past) == 2
    before = past.replayed_events
    past.states(domain, trackers[0])  # forgotten: replayed again
    assert past.replayed_events == before + 1


def test_the_policies_of_one_prediction_share_one_pass_over_the_applied_events():
    domain = Domain.load(str(ROOT / "domain.yml"))
    past = PastStates()
    tracker = DialogueStateTracker("shared", domain.slots)
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered("推荐一款蓝牙耳机", {"name": "request_product", "confidence": 1.0}))
    passes = []
    rasas_applied_events = tracker.applied_events
    tracker.applied_events = lambda: passes.append(1) or rasas_applied_events()
    for options in OPTIONS:  # as RulePolicy, MemoizationPolicy and TEDPolicy ask in turn
        assert past.states(domain, tracker, **options) == RASAS_STATES_FOR_TRACKER_HISTORY(domain, tracker, **options)
    assert len(passes) == 1 + len(OPTIONS)  # ours once; Rasa's loop once per call
    tracker.update(ActionExecuted("action_recommend_products"))
    past.states(domain, tracker)
    assert len(passes) == 2 + len(OPTIONS)


def test_the_policies_featurizer_predicts_from_the_same_states_as_rasas():
    from rasa.core.featurizers.single_state_featurizer import SingleStateFeaturizer
    from rasa.core.featurizers.tracker_featurizers import MaxHistoryTrackerFeaturizer

    domain = Domain.load(str(ROOT / "domain.yml"))
    rng = random.Random(11)
    tracker = DialogueStateTracker("featurizer", domain.slots)
    ours = KeptStatesFeaturizer(SingleStateFeaturizer(), max_history=5)
    rasas = MaxHistoryTrackerFeaturizer(SingleStateFeaturizer(), max_history=5)
    replayed = shared_past_states().replayed_events
    for _ in range(60):
        tracker.update(random_event(rng, domain))
        for options in ({}, {"ignore_rule_only_turns": True, "rule_only_data": {}}):
            assert ours.prediction_states([tracker], domain, **options) == \
                rasas.prediction_states([tracker], domain, **options)
    # the states came from the shared fold, event by event (a restart or revert replays some again)
    assert replayed + 60 <= shared_past_states().replayed_events < replayed + 60 * 10
