"""Fixes for Rasa 3.6.21's hot path, applied in the rasa server process before it starts.

Profiled under load (py-spy on the rasa server, 20 customers without pauses),
three pieces of Rasa's own code took much of a turn doing work that does not
depend on the turn:

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

``apply()`` is idempotent.  ``python -m bot.runtime.rasa_server`` applies it
and then runs Rasa's command line.
"""

from __future__ import annotations

import functools
from typing import Any, Dict, List, Optional, Type

_applied = False


def apply() -> None:
    global _applied
    if _applied:
        return
    _validate_action_results_with_one_validator()
    _look_up_event_types_in_a_table()
    _run_graphs_without_dask()
    _applied = True


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

    RemoteAction._validate_action_result = _validate_action_result


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

    Event.resolve_by_type = staticmethod(resolve_by_type)


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

    DaskGraphRunner.run = run
