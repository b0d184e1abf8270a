"""Rasa's NLU and policy graphs run in a worker thread, off the server's event loop.

Rasa calls ``graph_runner.run`` synchronously inside its async message
handling: 25 to 60 ms per call (the encoder, DIET, TED and the rules) during
which the event loop serves nobody.  With twenty customers talking at once,
every await of every other turn (Redis, the action server) queued behind those
blocks; the loop stalled for up to a third of a second and a turn that needed
50 ms of CPU took 400 ms (measured with a loop-lag probe).

The calls stay where Rasa makes them.  Just before each one, at the last
await before it, the same computation is started in one worker thread and
awaited; the synchronous call then finds its result ready.  While the graph
runs, the loop keeps serving the other customers: TensorFlow and ONNX Runtime
release the GIL, and Python hands it over every few milliseconds otherwise.

Each graph has its own thread (a lane): the NLU graph of one customer's
message runs beside the policy graph of another's, but a graph never runs
twice at once.  The two share no mutable state: the encoder, DIET and the
featurizers belong to the NLU graph; the policies and their dialogue states
(bot/policies/past_states.py) to the other.  With one thread for both, a
turn's short prediction (5 ms) queued behind other customers' parses (30 ms)
and 20 paused customers saw p50 / p95 of 235 / 516 ms; with a lane each,
82 / 125 ms (``bench/dialogue_load.py``, its paused run of 60 s).

A result is used only for the same message, or for the same tracker with the
same events; anything else (an API call, a follow-up action) runs as before.

What Rasa 3.6.21 does wrong, in short: ``MessageProcessor`` runs its graphs
synchronously inside its async message handling (``_parse_message_with_graph``,
``_predict_next_with_tracker``).  The patch replaces five of its methods: the
two synchronous ones take the result computed ahead, and ``parse_message``,
``_run_prediction_loop`` and ``_run_action`` compute it ahead at their last
await.

Upstream: none known for the blocking itself (RasaHQ/rasa#11828, slow
responses with many simultaneous customers, is the symptom).

Extension point: for the NLU half, yes: the ``nlu:`` endpoint of
endpoints.yml makes Rasa parse messages with an awaited HTTP call
(``RasaNLUHttpInterpreter``), and this patch already steps aside then
(``self.http_interpreter``).  It costs a second process holding the NLU model
(and the encoder) and an HTTP hop per message; it is not cheap to set up here.
For the policy half, none: the prediction is a synchronous call inside
``MessageProcessor`` whatever the policies are.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Dict, Hashable, Optional, Tuple

from bot.runtime.patches._fence import fenced, replace

PENDING_KEPT = 1024
TARGETS = (
    "rasa.core.processor:MessageProcessor._parse_message_with_graph",
    "rasa.core.processor:MessageProcessor.parse_message",
    "rasa.core.processor:MessageProcessor._predict_next_with_tracker",
    "rasa.core.processor:MessageProcessor._run_prediction_loop",
    "rasa.core.processor:MessageProcessor._run_action",
)
current: Optional["GraphThread"] = None  # the threads of the applied patch


def tracker_version(tracker: Any) -> Tuple[int, int, Optional[int]]:
    """Which tracker, and how many events it had with which last one."""
    events = tracker.events
    return id(tracker), len(events), id(events[-1]) if events else None


class GraphThread:
    """Results computed ahead in the worker thread, each waiting for the one call that wants it."""

    def __init__(self) -> None:
        self._lanes: Dict[str, ThreadPoolExecutor] = {}
        self._ready: "OrderedDict[Hashable, Tuple[Hashable, Any]]" = OrderedDict()
        self.used = 0  # results taken, for tests and profiling

    def _lane(self, name: str) -> ThreadPoolExecutor:
        if name not in self._lanes:
            self._lanes[name] = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"rasa-{name}")
        return self._lanes[name]

    async def compute_ahead(self, slot: Tuple[str, Hashable], version: Hashable,
                            compute: Callable[[], Any]) -> None:
        """Run ``compute`` in the thread of its lane, ``slot[0]``, and keep its result for ``take``."""
        lane = self._lane(slot[0])
        result = await asyncio.get_running_loop().run_in_executor(lane, compute)
        self._ready.pop(slot, None)
        self._ready[slot] = (version, result)
        while len(self._ready) > PENDING_KEPT:
            self._ready.popitem(last=False)

    def take(self, slot: Hashable, version: Hashable, compute: Callable[[], Any]) -> Any:
        """The result computed ahead for ``slot`` at ``version``, else ``compute()`` here."""
        ready = self._ready.pop(slot, None)
        if ready is not None and ready[0] == version:
            self.used += 1
            return ready[1]
        return compute()

    def shutdown(self) -> None:
        for lane in self._lanes.values():
            lane.shutdown(wait=False)


@fenced
def apply() -> None:
    """Make Rasa's ``MessageProcessor`` compute its graphs in a :class:`GraphThread`."""
    global current
    from rasa.core.processor import MessageProcessor
    from rasa.shared.core.trackers import DialogueStateTracker

    parse_with_graph = MessageProcessor._parse_message_with_graph
    predict_next = MessageProcessor._predict_next_with_tracker
    parse_message = MessageProcessor.parse_message
    run_prediction_loop = MessageProcessor._run_prediction_loop
    run_action = MessageProcessor._run_action
    graph_thread = current = GraphThread()

    def _parse_message_with_graph(self, message, tracker, only_output_properties=True):
        return graph_thread.take(("parse", id(message)), (id(message), only_output_properties),
                                 lambda: parse_with_graph(self, message, tracker, only_output_properties))

    async def _parse_message(self, message, tracker=None, only_output_properties=True):
        if not self.http_interpreter:
            # Rasa's own parse_message makes this tracker too when none is given.
            graph_tracker = tracker or DialogueStateTracker.from_events(message.sender_id, [])
            await graph_thread.compute_ahead(
                ("parse", id(message)), (id(message), only_output_properties),
                lambda: parse_with_graph(self, message, graph_tracker, only_output_properties))
        return await parse_message(self, message, tracker, only_output_properties)

    def _predict_next_with_tracker(self, tracker):
        if tracker.followup_action:  # Rasa's path changes the tracker: not computed ahead
            return predict_next(self, tracker)
        return graph_thread.take(("predict", tracker.sender_id), tracker_version(tracker),
                                 lambda: predict_next(self, tracker))

    async def predict_ahead(self, tracker) -> None:
        if tracker.followup_action or not self._should_handle_message(tracker):
            return
        await graph_thread.compute_ahead(("predict", tracker.sender_id), tracker_version(tracker),
                                         lambda: predict_next(self, tracker))

    async def _run_prediction_loop(self, output_channel, tracker):
        await predict_ahead(self, tracker)
        return await run_prediction_loop(self, output_channel, tracker)

    async def _run_action(self, action, tracker, output_channel, nlg, prediction):
        another = await run_action(self, action, tracker, output_channel, nlg, prediction)
        if another:
            await predict_ahead(self, tracker)
        return another

    replace(MessageProcessor, "_parse_message_with_graph", _parse_message_with_graph)
    replace(MessageProcessor, "parse_message", _parse_message)
    replace(MessageProcessor, "_predict_next_with_tracker", _predict_next_with_tracker)
    replace(MessageProcessor, "_run_prediction_loop", _run_prediction_loop)
    replace(MessageProcessor, "_run_action", _run_action)


def undo() -> None:
    global current
    from bot.runtime.patches import _fence

    _fence.undo(__name__)
    if current is not None:
        current.shutdown()
        current = None
