"""Clearing what a killed run left behind: only the recorded processes that are still the same ones."""

from __future__ import annotations

import subprocess
import time

from bot.runtime.leftovers import ChildRecord, start_ticks


def test_a_recorded_child_still_running_is_stopped_and_a_reused_pid_is_left_alone(tmp_path):
    record = ChildRecord(tmp_path / "run")
    leftover = subprocess.Popen(["sleep", "300"], start_new_session=True)
    bystander = subprocess.Popen(["sleep", "300"], start_new_session=True)
    try:
        record.add("redis", leftover.pid)
        record.add("rasa", bystander.pid)
        # the bystander's pid now stands for another process: its recorded start time differs
        entries = record._read()
        entries[1]["ticks"] -= 1
        record._write(entries)
        said = []
        assert record.clear_leftovers(said.append, grace_seconds=5) == ["redis"]
        leftover.wait(5)
        assert leftover.returncode is not None and "redis" in said[0]
        time.sleep(0.2)
        assert bystander.poll() is None and start_ticks(bystander.pid) is not None
        assert record.clear_leftovers(said.append) == []  # the record was emptied
    finally:
        for process in (leftover, bystander):
            if process.poll() is None:
                process.kill()
                process.wait()


def test_start_ticks_of_a_process_that_is_gone():
    done = subprocess.Popen(["true"])
    done.wait()
    assert start_ticks(done.pid) is None
