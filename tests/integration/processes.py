"""Real processes for integration tests, started with the run command's own supervisor parts."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Dict, List, Optional

from bot.runtime.embedded_redis import free_port
from bot.runtime.supervisor import ManagedProcess, Service, http_ok

ROOT = Path(__file__).resolve().parents[2]


class ServerProcess:
    """One child process with a readiness probe; its output goes to a log file."""

    def __init__(self, service: Service, log_path: Path) -> None:
        self.log_path = log_path
        self._log = open(log_path, "a", encoding="utf-8")
        self.process = ManagedProcess(service, self._log)

    def start(self) -> "ServerProcess":
        self.process.start()
        try:
            self.process.wait_ready(lambda: False)
        except Exception as error:
            self.stop()
            raise RuntimeError(f"{error}\n--- log {self.log_path} ---\n{self.log_tail()}") from error
        return self

    def stop(self) -> None:
        self.process.stop()
        self._log.flush()

    def log_tail(self, lines: int = 60) -> str:
        self._log.flush()
        return "\n".join(self.log_path.read_text(encoding="utf-8").splitlines()[-lines:])


def action_server(port: int, env: Dict[str, str], log_dir: Path) -> ServerProcess:
    service = Service(
        "actions",
        [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)],
        ready=http_ok(f"http://127.0.0.1:{port}/health"),
        env=env, cwd=ROOT, ready_timeout=120,
    )
    return ServerProcess(service, log_dir / "actions.log")


def recommender_server(port: int, env: Dict[str, str], log_dir: Path, name: str = "recommender") -> ServerProcess:
    service = Service(
        name,
        [sys.executable, "-m", "bot.recommender", "--port", str(port)],
        ready=http_ok(f"http://127.0.0.1:{port}/health"),
        env=env, cwd=ROOT, ready_timeout=300,
    )
    return ServerProcess(service, log_dir / f"{name}-{port}.log")


def console_server(port: int, env: Dict[str, str], log_dir: Path) -> ServerProcess:
    service = Service(
        "console",
        [sys.executable, "-m", "bot.console", "serve", "--port", str(port)],
        ready=http_ok(f"http://127.0.0.1:{port}/health"),
        env=env, cwd=ROOT, ready_timeout=60,
    )
    return ServerProcess(service, log_dir / f"console-{port}.log")


def order_system_server(port: int, env: Dict[str, str], log_dir: Path) -> ServerProcess:
    """The demo order system (bot/orders/demo_service), the way the run command starts it."""
    service = Service(
        "orders",
        [sys.executable, "-m", "bot.orders.demo_service", "--port", str(port)],
        ready=http_ok(f"http://127.0.0.1:{port}/health"),
        env=env, cwd=ROOT, ready_timeout=60,
    )
    return ServerProcess(service, log_dir / f"orders-{port}.log")


def alerts_server(port: int, env: Dict[str, str], log_dir: Path) -> ServerProcess:
    """The alert worker (``python -m bot.alerts``), the way the run command starts it."""
    service = Service(
        "alerts",
        [sys.executable, "-m", "bot.alerts", "--port", str(port)],
        ready=http_ok(f"http://127.0.0.1:{port}/health"),
        env=env, cwd=ROOT, ready_timeout=60,
    )
    return ServerProcess(service, log_dir / f"alerts-{port}.log")


def rasa_server(
    model: Path, port: int, env: Dict[str, str], log_dir: Path, token: str,
    extra_args: Optional[List[str]] = None,
) -> ServerProcess:
    service = Service(
        "rasa",
        [
            sys.executable, "-m", "bot.runtime.rasa_server", "run",
            "--model", str(model),
            "--endpoints", "endpoints.yml",
            "--credentials", "credentials.yml",
            "--interface", "127.0.0.1",
            "--port", str(port),
            "--enable-api", f"--auth-token={token}",  # a token may start with "-"
            *(extra_args or []),
        ],
        ready=http_ok(f"http://127.0.0.1:{port}/"),
        env=env, cwd=ROOT, ready_timeout=300,
    )
    return ServerProcess(service, log_dir / f"rasa-{port}.log")


__all__ = ["ServerProcess", "action_server", "alerts_server", "console_server", "order_system_server", "recommender_server",
           "rasa_server", "free_port", "ROOT"]
