"""Rasa's NLU and policy graphs are run by plain calls in dependency order, without ``dask.get``.

What Rasa 3.6.21 does: ``DaskGraphRunner.run`` hands the dozen nodes of the
NLU and policy graphs to ``dask.get``, which orders and schedules them anew on
every message: an eighth of a turn (profiled).  The nodes are plain function
calls in one thread (``dask.get`` is dask's synchronous scheduler).

The patch: :func:`run_graph` calls each node once, after the nodes it needs,
with the same inputs, results and targets; a ``RuntimeError`` becomes Rasa's
``GraphRunError`` as before.  Training runs plain ``rasa train``
(bot/runtime/model_store.py), unpatched; ``rasa_server test`` runs patched.

Upstream: RasaHQ/rasa#10754 discusses the runner's scheduler (for training).

Extension point: none.  ``GraphRunner`` is an interface, but
``MessageProcessor._load_model`` passes ``DaskGraphRunner`` to
``rasa.engine.loader.load_predict_graph_runner`` itself; no setting chooses
another runner.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from bot.runtime.patches._fence import fenced, replace

TARGETS = ("rasa.engine.runner.dask:DaskGraphRunner.run",)


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


@fenced
def apply() -> None:
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

    replace(DaskGraphRunner, "run", run)


def undo() -> None:
    from bot.runtime.patches import _fence

    _fence.undo(__name__)
