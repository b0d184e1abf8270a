import io
import sys
import threading
import time

import psutil
import pytest

from bot.runtime.supervisor import Service, StartError, Supervisor


def sleeper(name, seconds=60):
    return Service(name, [sys.executable, "-c", f"import time; print('up'); time.sleep({seconds})"],
                   ready=lambda: True, ready_timeout=10)


def test_start_and_stop_all_leaves_nothing_running():
    out = io.StringIO()
    supervisor = Supervisor([sleeper("a"), sleeper("b")], out=out)
    supervisor.start_all()
    pids = [p.popen.pid for p in supervisor.processes]
    assert all(psutil.pid_exists(pid) for pid in pids)
    supervisor.stop_all()
    assert all(p.popen.poll() is not None for p in supervisor.processes)
    assert "a is ready" in out.getvalue() and "b is ready" in out.getvalue()


def test_a_crashed_service_is_restarted():
    supervisor = Supervisor([sleeper("flaky", seconds=0.2)], out=io.StringIO(), max_restarts=100)
    supervisor.start_all()
    first_pid = supervisor.processes[0].popen.pid
    watcher = threading.Thread(target=supervisor.watch, kwargs={"poll_interval": 0.05})
    watcher.start()
    time.sleep(1.0)
    supervisor.request_stop()
    watcher.join(5)
    supervisor.stop_all()
    assert supervisor.processes[0].popen.pid != first_pid
    assert "restarting it" in supervisor.out.getvalue()


def test_a_crash_loop_stops_the_bot():
    supervisor = Supervisor([sleeper("broken", seconds=0.3)], out=io.StringIO(),
                            max_restarts=2, restart_window=60)
    supervisor.processes[0].service.ready = lambda: True
    with pytest.raises(StartError, match="crashed 3 times"):
        supervisor.start_all()
        supervisor.watch(poll_interval=0.05)
    supervisor.stop_all()


def test_a_service_that_dies_while_starting_is_reported():
    dying = Service("dying", [sys.executable, "-c", "raise SystemExit(3)"],
                    ready=lambda: False, ready_timeout=10)
    supervisor = Supervisor([dying], out=io.StringIO())
    with pytest.raises(StartError, match="exited with code 3"):
        supervisor.start_all()
    supervisor.stop_all()
