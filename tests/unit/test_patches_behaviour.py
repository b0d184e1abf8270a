"""Our patches to Rasa's hot path answer exactly as Rasa's own code does (bot/runtime/patches/)."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event, SlotSet, UserUttered
from rasa.shared.utils.common import all_subclasses
from rasa.utils.endpoints import EndpointConfig

from bot.runtime import patches
from bot.runtime.patches.graphs_without_dask import run_graph
from bot.runtime.patches.recent_events_to_actions import recent_events

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
    patches.undo_all()
    expected = [rasas_own_error(result) for result in INVALID]  # before the patch replaces the method
    patches.apply_all()
    yield RemoteAction("action_recommend_products", EndpointConfig("http://127.0.0.1:1")), expected
    patches.undo_all()  # the rest of the test run sees Rasa as it is


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
    ours = run_graph(graph, ["classifier", "featurizer"])
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
    assert recent_events(short) == short[1:]  # from the session start
    long = _conversation(30)
    recent = recent_events(long)
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


async def test_a_store_that_gave_up_on_redis_fails_the_turn_other_errors_fall_back_as_in_rasa(action):
    from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.store.redis_client import StoreUnavailable

    class Failing(InMemoryTrackerStore):
        error: Exception = StoreUnavailable("redis down")

        async def retrieve(self, sender_id):
            raise self.error

        async def retrieve_full_tracker(self, sender_id):
            raise self.error

        async def save(self, tracker):
            raise self.error

    store = Failing(Domain.empty())
    failsafe = FailSafeTrackerStore(store)
    tracker = DialogueStateTracker.from_events("u1", [])
    for call in (failsafe.retrieve("u1"), failsafe.retrieve_full_tracker("u1"), failsafe.save(tracker)):
        with pytest.raises(StoreUnavailable):
            await call
    store.error = ConnectionError("another failure")
    assert await failsafe.retrieve("u1") is None and await failsafe.retrieve_full_tracker("u1") is None
    await failsafe.save(tracker)  # kept in memory, as Rasa does
    assert await failsafe.fallback_tracker_store.retrieve("u1") is not None
