"""Our fixes to Rasa's hot path answer exactly as Rasa's own code does."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event, SlotSet, UserUttered
from rasa.shared.utils.common import all_subclasses
from rasa.utils.endpoints import EndpointConfig

from bot.runtime import rasa_fixes

VALID = {"events": [{"event": "slot", "name": "budget", "value": "三百以内"}],
         "responses": [{"text": "为你挑了这几款：", "custom": {"type": "product_cards", "products": []}}]}
INVALID = [
    {"events": "not a list"},
    {"events": [{"event": "slot", "timestamp": "yesterday"}]},
    {"responses": ["just a string"]},
]


def rasas_own_error(result) -> str:
    with pytest.raises(jsonschema.ValidationError) as raised:
        jsonschema.validate(result, RemoteAction.action_response_format_spec())
    return raised.value.message


@pytest.fixture(scope="module")
def action():
    expected = [rasas_own_error(result) for result in INVALID]  # before the fix replaces the method
    rasa_fixes.apply()
    rasa_fixes.apply()  # idempotent
    yield RemoteAction("action_recommend_products", EndpointConfig("http://127.0.0.1:1")), expected
    rasa_fixes.undo()  # the rest of the test run sees Rasa as it is


def test_valid_action_results_pass_and_invalid_ones_fail_with_rasas_message(action):
    remote, expected = action
    assert remote._validate_action_result(VALID) is True
    for result, message in zip(INVALID, expected):
        with pytest.raises(jsonschema.ValidationError) as raised:
            remote._validate_action_result(result)
        assert raised.value.message.startswith(message)
        assert "Failed to validate Action server response" in raised.value.message


def test_every_event_type_resolves_to_the_class_rasas_loop_finds(action):
    for cls in all_subclasses(Event):
        first = next(c for c in all_subclasses(Event) if c.type_name == cls.type_name)
        assert Event.resolve_by_type(cls.type_name) is first
    assert Event.resolve_by_type("slot") is SlotSet and Event.resolve_by_type("user") is UserUttered
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="no_such_event"):
        Event.resolve_by_type("no_such_event")


def test_an_event_class_defined_later_is_found_too(action):
    class ShopNoted(Event):
        type_name = "shop_noted_for_test"

        def as_story_string(self):
            return None

        def __eq__(self, other):
            return isinstance(other, ShopNoted)

    assert Event.resolve_by_type("shop_noted_for_test") is ShopNoted


def test_graphs_run_each_node_once_after_its_needs_with_dasks_results():
    import dask

    calls = []

    def node(name):
        def call(*inputs):
            calls.append(name)
            return name, [value for _, value in inputs]
        return call

    graph = {
        "tokenizer": (node("tokenizer"), "__message__"),
        "featurizer": (node("featurizer"), "tokenizer"),
        "classifier": (node("classifier"), "tokenizer", "featurizer"),
        "unused": (node("unused"), "tokenizer"),
        "__message__": ("__message__", "推荐跑步鞋"),
    }
    ours = rasa_fixes.run_graph(graph, ["classifier", "featurizer"])
    assert calls == ["tokenizer", "featurizer", "classifier"]
    calls.clear()
    assert ours == list(dask.get(graph, ["classifier", "featurizer"]))



def _conversation(turns: int) -> list:
    from rasa.shared.core.events import ActionExecuted, SessionStarted

    events = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
    for turn in range(turns):
        events += [UserUttered(f"第{turn}句", {"name": "request_product", "confidence": 1.0}),
                   ActionExecuted("action_recommend_products"), ActionExecuted("action_listen")]
    return events


def test_actions_get_the_last_customer_turns_of_the_current_session_only():
    short = _conversation(3)
    assert rasa_fixes.recent_events(short) == short[1:]  # from the session start
    long = _conversation(30)
    recent = rasa_fixes.recent_events(long)
    assert [e.text for e in recent if isinstance(e, UserUttered)] == [f"第{n}句" for n in range(20, 30)]
    assert recent[-1] is long[-1]


def test_the_action_call_carries_recent_events_whole_slots_and_no_domain(action):
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = Domain.from_yaml("""
version: "3.1"
intents: [request_product]
slots:
  budget: {type: text, mappings: [{type: custom}]}
actions: [action_recommend_products]
""")
    tracker = DialogueStateTracker.from_events("u1", _conversation(30) + [SlotSet("budget", "三百以内")],
                                               slots=domain.slots)
    selective = RemoteAction("action_recommend_products",
                             EndpointConfig("http://127.0.0.1:1", enable_selective_domain=True))
    call = selective._action_call_format(tracker, domain)
    assert call["sender_id"] == "u1" and call["next_action"] == "action_recommend_products"
    assert call["tracker"]["slots"]["budget"] == "三百以内"
    assert call["tracker"]["latest_message"]["text"] == "第29句"
    assert len([e for e in call["tracker"]["events"] if e["event"] == "user"]) == 10
    assert "domain" not in call
    remote, _ = action
    assert "domain" in remote._action_call_format(tracker, domain)  # without the option, as Rasa does


def test_the_fixes_refuse_another_rasa_version_and_can_be_undone():
    from rasa.core.processor import MessageProcessor
    from rasa.core.tracker_store import FailSafeTrackerStore

    from bot.runtime import patching

    with pytest.raises(patching.RasaVersionMismatch, match="3.7.0"):
        patching.check_rasa_version("3.7.0")
    rasa_fixes.undo()  # Rasa as shipped, whatever applied the fixes before
    originals = (FailSafeTrackerStore.save, MessageProcessor._run_action, RemoteAction._action_call_format)
    rasa_fixes.apply()
    try:
        assert FailSafeTrackerStore.save is not originals[0] and MessageProcessor._run_action is not originals[1]
    finally:
        rasa_fixes.undo()
    assert (FailSafeTrackerStore.save, MessageProcessor._run_action, RemoteAction._action_call_format) == originals
