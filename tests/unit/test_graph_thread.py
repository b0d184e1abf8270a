"""Graph results computed ahead in the worker thread are used once, for the same version only."""

from __future__ import annotations

import asyncio
import threading
import time

from bot.runtime.patches.graph_thread import GraphThread, tracker_version


class Tracker:
    def __init__(self, events):
        self.events = events


async def test_a_result_computed_ahead_is_taken_once_for_its_version():
    graph = GraphThread()
    threads = []

    def compute(label):
        threads.append(threading.current_thread().name)
        return label

    slot = ("predict", "u1")
    await graph.compute_ahead(slot, ("v", 1), lambda: compute("ahead"))
    assert threads == ["rasa-predict_0"]
    assert graph.take(slot, ("v", 1), lambda: compute("here")) == "ahead"
    assert graph.take(slot, ("v", 1), lambda: compute("here")) == "here"  # used up
    await graph.compute_ahead(slot, ("v", 1), lambda: compute("ahead"))
    assert graph.take(slot, ("v", 2), lambda: compute("here")) == "here"  # another version
    assert graph.used == 1
    graph.shutdown()


async def test_the_event_loop_serves_others_while_a_graph_runs():
    graph = GraphThread()
    ticks = []

    async def ticker():
        for _ in range(10):
            ticks.append(time.perf_counter())
            await asyncio.sleep(0.01)

    began = time.perf_counter()
    await asyncio.gather(graph.compute_ahead(("parse", 1), 1, lambda: time.sleep(0.2)), ticker())
    assert len([t for t in ticks if t - began < 0.2]) >= 5
    graph.shutdown()


async def test_each_graph_has_its_own_lane_and_runs_one_at_a_time():
    graph = GraphThread()
    running = {"parse": 0, "predict": 0}
    overlaps = []

    def job(lane):
        running[lane] += 1
        overlaps.append(dict(running))
        time.sleep(0.05)
        running[lane] -= 1

    await asyncio.gather(*(graph.compute_ahead((lane, n), n, lambda lane=lane: job(lane))
                           for n in range(3) for lane in ("parse", "predict")))
    assert all(state["parse"] <= 1 and state["predict"] <= 1 for state in overlaps)
    assert any(state["parse"] == 1 and state["predict"] == 1 for state in overlaps)
    graph.shutdown()


def test_a_tracker_version_changes_with_every_event():
    events = [object()]
    tracker = Tracker(events)
    first = tracker_version(tracker)
    events.append(object())
    assert tracker_version(tracker) != first
    assert tracker_version(Tracker([]))[1:] == (0, None)
