"""The run command itself: start-up checks, supervision, a REST answer, Ctrl-C stops everything."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import psutil
import requests

from bot.runtime.embedded_redis import free_port
from tests.integration.processes import ROOT


def run_command(env: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "bot.runtime", *args],
        cwd=ROOT, env={**os.environ, **env},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def test_a_port_in_use_is_reported_in_one_line(tmp_path):
    with socket.socket() as holder:
        holder.bind(("0.0.0.0", 0))
        holder.listen()
        busy = holder.getsockname()[1]
        process = run_command({"RASA_PORT": str(busy), "SHOPBOT_DATA_DIR": str(tmp_path)}, "check")
        output, _ = process.communicate(timeout=60)
    assert process.returncode == 2
    problem_lines = [line for line in output.splitlines() if "cannot start" in line]
    assert len(problem_lines) == 1, output
    assert f"port {busy}" in problem_lines[0] and "RASA_PORT" in problem_lines[0]
    assert "Traceback" not in output


def test_an_unreachable_redis_is_reported_in_one_line(tmp_path):
    dead = free_port()
    process = run_command(
        {"REDIS_URL": f"redis://127.0.0.1:{dead}/0", "RASA_PORT": str(free_port()),
         "ACTION_PORT": str(free_port()), "SHOPBOT_DATA_DIR": str(tmp_path)},
        "check",
    )
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 2
    assert "Redis" in output and "unreachable" in output and "Traceback" not in output


def every_port_free(tmp_path) -> dict:
    return {
        "RASA_PORT": str(free_port()), "ACTION_PORT": str(free_port()), "EMBEDDED_REDIS_PORT": str(free_port()),
        "RECOMMENDER_PORT": str(free_port()), "CONSOLE_PORT": str(free_port()),
        "ORDER_SYSTEM_PORT": str(free_port()), "ALERTS_PORT": str(free_port()),
        "SHOPBOT_DATA_DIR": str(tmp_path), "REDIS_URL": "",
    }


def wait_for_banner(process: subprocess.Popen, timeout: float = 180) -> list:
    lines = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        assert line or process.poll() is None, "\n".join(lines)
        lines.append(line.rstrip())
        if "press Ctrl-C" in line:
            return lines
    raise AssertionError(f"no banner within {timeout:.0f} s:\n" + "\n".join(lines[-40:]))


def test_a_supervisor_killed_with_9_leaves_no_children_and_the_next_start_works(trained_model, tmp_path):
    env = {**every_port_free(tmp_path), "RASA_MODEL": str(trained_model)}
    first = run_command(env, "run")
    try:
        wait_for_banner(first)
        children = psutil.Process(first.pid).children(recursive=True)
        assert len(children) >= 7  # redis, orders, recommender, actions, rasa, console, alerts
    finally:
        first.kill()  # -9: no chance to stop its children itself
        first.communicate(timeout=30)
    gone, alive = psutil.wait_procs(children, timeout=30)
    assert not alive, f"still running after the supervisor was killed: {alive}"
    second = run_command(env, "run")  # the same ports and data directory
    try:
        lines = wait_for_banner(second)
        assert not [line for line in lines if "cannot start" in line]
        reply = requests.post(f"http://127.0.0.1:{env['RASA_PORT']}/webhooks/rest/webhook",
                              json={"sender": "after-kill", "message": "你好"}, timeout=60)
        assert reply.status_code == 200 and reply.json()
    finally:
        second.send_signal(signal.SIGINT)
        second.communicate(timeout=60)
    assert second.returncode == 0


def test_run_answers_rest_and_ctrl_c_stops_every_process(trained_model, tmp_path):
    rasa_port, action_port, redis_port = free_port(), free_port(), free_port()
    process = run_command({
        "RASA_PORT": str(rasa_port), "ACTION_PORT": str(action_port),
        "EMBEDDED_REDIS_PORT": str(redis_port), "SHOPBOT_DATA_DIR": str(tmp_path),
        "RASA_MODEL": str(trained_model), "REDIS_URL": "",
    }, "run")
    try:
        wait_for_banner(process)

        children = psutil.Process(process.pid).children(recursive=True)
        assert len(children) >= 3  # redis, action server, rasa server

        reply = requests.post(
            f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook",
            json={"sender": "run-test", "message": "你好"}, timeout=30,
        )
        assert reply.status_code == 200 and reply.json(), reply.text
        assert (tmp_path / "redis" / "appendonly.aof").exists() or any(
            (tmp_path / "redis").glob("appendonly*")
        )
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=60)
    assert process.returncode == 0, output
    gone, alive = psutil.wait_procs(children, timeout=10)
    assert not alive, f"still running after Ctrl-C: {alive}"
