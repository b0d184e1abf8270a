"""Starts child processes in order, waits until each is healthy, restarts crashed ones.

Children run in their own session so that Ctrl-C reaches only the supervisor,
which then stops them in reverse order (rasa before the action server before
Redis) and waits for each: nothing is left running.  Should the supervisor be
killed outright (-9), the kernel stops the children (bot/runtime/child.py),
and the next start clears anything still recorded (bot/runtime/leftovers.py).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Deque, Dict, List, Optional, TextIO

from bot.runtime.leftovers import ChildRecord


def http_ok(url: str, timeout: float = 2.0) -> Callable[[], bool]:
    """A readiness probe: true once ``GET url`` answers 2xx."""

    def probe() -> bool:
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                return 200 <= response.status < 300
        except (urllib.error.URLError, OSError, ValueError):
            return False

    return probe


@dataclass
class Service:
    name: str
    argv: List[str]
    ready: Callable[[], bool]
    env: Dict[str, str] = field(default_factory=dict)
    cwd: Optional[Path] = None
    ready_timeout: float = 300.0


class StartError(RuntimeError):
    pass


class ManagedProcess:
    def __init__(self, service: Service, out: TextIO, record: Optional[ChildRecord] = None) -> None:
        self.service = service
        self.out = out
        self.record = record
        self.popen: Optional[subprocess.Popen] = None
        self._pump: Optional[threading.Thread] = None

    def start(self) -> None:
        env = {**os.environ, **self.service.env}
        self.popen = subprocess.Popen(
            # through bot/runtime/child.py, so the child dies with this supervisor even if it is killed -9
            [sys.executable, "-m", "bot.runtime.child", str(os.getpid()), "--", *self.service.argv],
            cwd=self.service.cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._pump = threading.Thread(target=self._copy_output, daemon=True)
        self._pump.start()
        if self.record is not None:
            self.record.add(self.service.name, self.popen.pid)

    def _copy_output(self) -> None:
        assert self.popen is not None and self.popen.stdout is not None
        label = self.service.name
        for raw in iter(self.popen.stdout.readline, b""):
            line = raw.decode("utf-8", errors="replace").rstrip()
            self.out.write(f"{label:>9} | {line}\n")
            self.out.flush()

    @property
    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    @property
    def returncode(self) -> Optional[int]:
        return None if self.popen is None else self.popen.poll()

    def wait_ready(self, should_stop: Callable[[], bool]) -> None:
        deadline = time.monotonic() + self.service.ready_timeout
        while time.monotonic() < deadline:
            if should_stop():
                raise StartError(f"{self.service.name}: start interrupted")
            if not self.alive:
                raise StartError(
                    f"{self.service.name} exited with code {self.returncode} while starting "
                    "(its log is above)"
                )
            if self.service.ready():
                return
            time.sleep(0.25)
        raise StartError(
            f"{self.service.name} was not ready within {self.service.ready_timeout:.0f}s"
        )

    def stop(self, timeout: float = 15.0) -> None:
        if self.popen is None or self.popen.poll() is not None:
            return
        try:
            os.killpg(self.popen.pid, signal.SIGTERM)
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()
        except ProcessLookupError:
            pass
        if self._pump is not None:
            self._pump.join(timeout=2)


class Supervisor:
    """Keeps a list of services running until asked to stop.

    A service that dies is restarted; one that dies ``max_restarts`` times
    within ``restart_window`` seconds stops the whole bot, since a crash loop
    would only hide the cause.
    """

    def __init__(
        self,
        services: List[Service],
        out: TextIO = sys.stdout,
        max_restarts: int = 3,
        restart_window: float = 300.0,
        record: Optional[ChildRecord] = None,
    ) -> None:
        self.processes = [ManagedProcess(service, out, record) for service in services]
        self.out = out
        self.max_restarts = max_restarts
        self.restart_window = restart_window
        self.stop_requested = threading.Event()
        self._restarts: Dict[str, Deque[float]] = {s.name: deque() for s in services}

    def say(self, message: str) -> None:
        self.out.write(f"{'shopbot':>9} | {message}\n")
        self.out.flush()

    def request_stop(self, *_signal_args) -> None:
        self.stop_requested.set()

    def start_all(self) -> None:
        for process in self.processes:
            self.say(f"starting {process.service.name}...")
            process.start()
            process.wait_ready(self.stop_requested.is_set)
            self.say(f"{process.service.name} is ready")

    def watch(self, poll_interval: float = 0.5) -> None:
        while not self.stop_requested.wait(poll_interval):
            for process in self.processes:
                if process.alive:
                    continue
                name = process.service.name
                history = self._restarts[name]
                now = time.monotonic()
                while history and now - history[0] > self.restart_window:
                    history.popleft()
                if len(history) >= self.max_restarts:
                    raise StartError(
                        f"{name} crashed {len(history) + 1} times within "
                        f"{self.restart_window:.0f}s (last exit code {process.returncode}); stopping"
                    )
                history.append(now)
                self.say(f"{name} exited with code {process.returncode}; restarting it")
                process.start()
                process.wait_ready(self.stop_requested.is_set)
                self.say(f"{name} is ready again")

    def stop_all(self) -> None:
        for process in reversed(self.processes):
            if process.alive:
                self.say(f"stopping {process.service.name}...")
            process.stop()
