"""Fixes for Rasa 3.6.21's hot path, applied in the rasa server process before it starts.

Profiled under load (py-spy on the rasa server, 20 customers with and
without pauses), pieces of Rasa's own code took much of a turn doing work that
does not depend on the turn, or that grows with the conversation:

* ``RemoteAction._validate_action_result`` calls ``jsonschema.validate``, which
  first validates the *schema* (Rasa's event schema, hundreds of nodes) against
  the JSON Schema meta-schema, on every action call: half of the server's CPU
  when actions return product cards.  The schema never changes, so it is
  checked once and its validator kept; every result is still validated, and a
  bad one raises the same ``ValidationError`` with the same message.
* ``Event.resolve_by_type`` walks every subclass of ``Event`` (recursively, with
  ``inspect.isabstract``) for each event of a tracker loaded from Redis.  The
  lookup table is built once and rebuilt only for a name it does not know (an
  event class imported later).
* ``DaskGraphRunner.run`` hands the dozen nodes of the NLU and policy graphs
  to ``dask.get``, which orders and schedules them anew on every message (an
  eighth of a turn).  They are plain function calls in one thread, so they are
  called in dependency order directly, with the same inputs and results.
* ``Domain.states_for_tracker_history`` replays the whole conversation for
  every policy on every prediction; :mod:`bot.runtime.past_states` keeps the
  states computed so far and replays only new events.
* Python's cyclic garbage collector walks every object of the loaded model
  (TensorFlow, the domain, the graph) in each full collection: 0.4 to 1.2 s
  during which no customer gets an answer (measured with ``gc.callbacks``).
  Once a model is loaded, its objects are moved out of the collector's view
  with ``gc.freeze``; a full collection under load then took 20 ms.
* ``RemoteAction`` sends the action server every event of the conversation,
  JSON-encoded on every action call and decoded there again, a cost that
  grows with every turn.  Our actions look back a few turns at most (a
  streak of angry messages or of fallbacks), so the action server gets the
  events of the last :data:`TURNS_SENT_TO_ACTIONS` customer messages of the
  current session; slots, the latest message and the active loop are sent
  whole as before.
* ``FailSafeTrackerStore`` falls back to an empty or in-memory tracker when
  Redis is down; a :class:`bot.store.redis_client.StoreUnavailable` (Redis
  stayed down for the whole wait) now fails the turn instead.
* A custom action whose server refuses the connection (restarting) is tried
  again for ``ACTION_SERVER_WAIT_SECONDS``; Rasa would skip it and leave the
  customer without an answer.  After the wait the customer is told plainly.
* The graphs themselves run in a worker thread (:mod:`bot.runtime.graph_thread`),
  so that the event loop keeps serving other customers meanwhile.

``apply()`` is idempotent.  ``python -m bot.runtime.rasa_server`` applies it
and then runs Rasa's command line.
"""

from __future__ import annotations

import functools
import gc
from typing import Any, Dict, List, Optional, Type

from bot.runtime import graph_thread, patching

_applied = False
TURNS_SENT_TO_ACTIONS = 10


def apply() -> None:
    """Every fix, once; RasaVersionMismatch on a Rasa they were not written for."""
    global _applied
    if _applied:
        return
    patching.check_rasa_version()
    _validate_action_results_with_one_validator()
    _look_up_event_types_in_a_table()
    _run_graphs_without_dask()
    _fold_past_states_incrementally()
    _freeze_each_loaded_model()
    _send_actions_recent_events_only()
    _let_store_outages_through()
    _wait_for_a_restarting_action_server()
    graph_thread.apply(graph_thread.GraphThread())
    _applied = True


def undo() -> None:
    """Rasa as it was before :func:`apply` (tests that applied the fixes put it back)."""
    global _applied
    patching.undo_all()
    _applied = False


def action_server_wait_seconds(environ=None) -> float:
    import os

    raw = (environ or os.environ).get("ACTION_SERVER_WAIT_SECONDS") or ""
    try:
        return max(0.0, float(raw)) if raw.strip() else 10.0
    except ValueError:
        return 10.0


def _wait_for_a_restarting_action_server() -> None:
    """Rasa logs a custom action it cannot reach and goes on without it: the customer gets no answer at all.
    A refused connection means the request was never sent (the supervisor is restarting the action
    server), so it is tried again for ``ACTION_SERVER_WAIT_SECONDS`` (10); after that the customer is
    told plainly, on their channel, that the message was not handled."""
    import asyncio
    import time

    import aiohttp
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.events import BotUttered
    from rasa.shared.exceptions import RasaException

    from bot.channels.texts import APOLOGY

    run = RemoteAction.run

    async def run_when_reachable(self: RemoteAction, output_channel, nlg, tracker, domain, *args, **kwargs):
        deadline = time.monotonic() + action_server_wait_seconds()
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

    patching.replace(RemoteAction, "run", run_when_reachable)


def _let_store_outages_through() -> None:
    """Rasa's ``FailSafeTrackerStore`` answers a failed read with no tracker (the customer's conversation is
    forgotten: 要降噪的 after 蓝牙耳机 and 500以内 got 您想看哪一类商品呢) and keeps a failed save in memory
    only.  Our tracker store waits for Redis first; when it gives up, the turn must fail so the channel says
    稍后再试 (bot/channels/texts.py), so :class:`StoreUnavailable` goes through the wrapper."""
    from rasa.core.tracker_store import FailSafeTrackerStore

    from bot.store.redis_client import StoreUnavailable

    # Rasa 3.6.21's bodies, with StoreUnavailable re-raised.
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

    patching.replace(FailSafeTrackerStore, "retrieve", retrieve)
    patching.replace(FailSafeTrackerStore, "retrieve_full_tracker", retrieve_full_tracker)
    patching.replace(FailSafeTrackerStore, "save", save)


@functools.lru_cache(maxsize=1)
def action_result_validator():
    """The validator of the action server's response format, its schema checked once."""
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _validate_action_results_with_one_validator() -> None:
    from jsonschema.exceptions import best_match
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    def _validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
        error = best_match(action_result_validator().iter_errors(result))  # as jsonschema.validate does
        if error is None:
            return True
        error.message += (
            ". Failed to validate Action server response from API, make sure your response "
            f"from the Action endpoint is valid. For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error

    patching.replace(RemoteAction, "_validate_action_result", _validate_action_result)


def _look_up_event_types_in_a_table() -> None:
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

    patching.replace(Event, "resolve_by_type", staticmethod(resolve_by_type))


def run_graph(graph: Dict[str, Any], targets: List[str]) -> List[Any]:
    """``dask.get(graph, targets)`` for Rasa's graphs: each node once, after the nodes it needs.

    A node is ``(callable, *names of the nodes it needs)``; an input is a tuple
    whose first item is not callable and is its own value, as in dask.
    """
    done: Dict[str, Any] = {}

    def compute(name: str) -> Any:
        if name in done:
            return done[name]
        task = graph[name]
        if isinstance(task, tuple) and task and callable(task[0]):
            value = task[0](*(compute(need) for need in task[1:]))
        else:
            value = task
        done[name] = value
        return value

    return [compute(target) for target in targets]


def _run_graphs_without_dask() -> None:
    from rasa.engine.exceptions import GraphRunError
    from rasa.engine.runner.dask import DaskGraphRunner

    def run(self: DaskGraphRunner, inputs: Optional[Dict[str, Any]] = None,
            targets: Optional[List[str]] = None) -> Dict[str, Any]:
        run_targets = targets if targets else self._graph_schema.target_names
        minimal_schema = self._graph_schema.minimal_graph_schema(run_targets)
        graph = self._build_dask_graph(minimal_schema)
        if inputs:
            self._add_inputs_to_graph(inputs, graph)
        try:
            return dict(run_graph(graph, run_targets))
        except RuntimeError as error:
            raise GraphRunError("Error running runner.") from error

    patching.replace(DaskGraphRunner, "run", run)


def _fold_past_states_incrementally() -> None:
    from rasa.shared.core.domain import Domain

    from bot.runtime.past_states import PastStates

    past_states = PastStates()

    def states_for_tracker_history(self: Domain, tracker, omit_unset_slots: bool = False,
                                   ignore_rule_only_turns: bool = False,
                                   rule_only_data: Optional[Dict[str, Any]] = None):
        return past_states.states(self, tracker, omit_unset_slots, ignore_rule_only_turns, rule_only_data)

    patching.replace(Domain, "states_for_tracker_history", states_for_tracker_history)


def _freeze_each_loaded_model() -> None:
    from rasa.core.agent import Agent

    original = Agent.load_model

    @functools.wraps(original)
    def load_model(self: Agent, *args: Any, **kwargs: Any) -> None:
        gc.unfreeze()  # a replaced model's objects become collectable again
        original(self, *args, **kwargs)
        gc.collect()
        gc.freeze()

    patching.replace(Agent, "load_model", load_model)


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


def _send_actions_recent_events_only() -> None:
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

    patching.replace(RemoteAction, "_action_call_format", _action_call_format)
