"""HAProxy for the deployment tests: Debian's package, installed once by scripts/haproxy.sh.

``haproxy_binary()`` returns the binary's path and, when there is none, why:
the tests that need it are then skipped with that reason.  ``LoadBalancer``
runs deploy/haproxy/haproxy.cfg itself (its addresses come from the
environment) and reads its state from the admin socket.
"""

from __future__ import annotations

import csv
import functools
import grp
import io
import os
import pwd
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Dict, Optional, Tuple

ROOT = Path(__file__).resolve().parents[2]
HAPROXY_CFG = ROOT / "deploy" / "haproxy" / "haproxy.cfg"


def _installed() -> Optional[str]:
    found = shutil.which("haproxy")
    if found:
        return found
    for candidate in ("/usr/sbin/haproxy", "/usr/local/sbin/haproxy"):
        if os.access(candidate, os.X_OK):
            return candidate
    return None


@functools.lru_cache(maxsize=None)
def haproxy_binary() -> Tuple[Optional[str], str]:
    """(path, "") or (None, the reason it is missing); installs it once when it can (root and apt)."""
    found = _installed()
    if found:
        return found, ""
    try:
        result = subprocess.run(["bash", str(ROOT / "scripts" / "haproxy.sh")], capture_output=True, text=True,
                                timeout=600)
        said = result.stderr.strip()
    except (OSError, subprocess.TimeoutExpired) as error:
        said = f"scripts/haproxy.sh failed: {error}"
    found = _installed()
    if found:
        return found, ""
    return None, said.splitlines()[-1] if said else "haproxy is not installed"


def current_user_env() -> Dict[str, str]:
    """HAProxy runs as whoever runs the tests (the configuration's default, ``haproxy``, needs root)."""
    return {"SHOPBOT_LB_USER": pwd.getpwuid(os.getuid()).pw_name, "SHOPBOT_LB_GROUP": grp.getgrgid(os.getgid()).gr_name}


def admin_command(socket_path: Path, command: str, timeout: float = 5.0) -> str:
    """One command on HAProxy's admin socket (``show stat``, ``show table <name>``), its whole answer."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(timeout)
        connection.connect(str(socket_path))
        connection.sendall(command.encode() + b"\n")
        chunks = []
        while True:
            chunk = connection.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks).decode()


def server_stats(socket_path: Path) -> Dict[Tuple[str, str], Dict[str, str]]:
    """``show stat`` as {(proxy, server): row}; rows have ``status``, ``stot`` (requests), ``check_status``."""
    text = admin_command(socket_path, "show stat").lstrip("# ")
    return {(row["pxname"], row["svname"]): row for row in csv.DictReader(io.StringIO(text))}


def stick_table(socket_path: Path, table: str) -> Dict[str, Dict[str, str]]:
    """``show table <table>`` as {key: {"gpt0": ..., "exp": ..., ...}}."""
    entries = {}
    for line in admin_command(socket_path, f"show table {table}").splitlines():
        if line.startswith("#") or "key=" not in line:
            continue
        fields = dict(part.split("=", 1) for part in line.split()[1:] if "=" in part)
        entries[fields.pop("key")] = fields
    return entries


class LoadBalancer:
    """deploy/haproxy/haproxy.cfg, unchanged, with the given environment (addresses, binds, socket)."""

    def __init__(self, binary: str, env: Dict[str, str], socket_path: Path, log_path: Path,
                 config: Path = HAPROXY_CFG) -> None:
        self.binary = binary
        self.env = env
        self.socket_path = socket_path
        self.log_path = log_path
        self.config = config
        self.process: Optional[subprocess.Popen] = None

    def start(self, servers=(), timeout: float = 30.0) -> "LoadBalancer":
        """Starts HAProxy and waits until every (proxy, server) in ``servers`` passed its health check."""
        self._log = open(self.log_path, "a", encoding="utf-8")
        self.process = subprocess.Popen([self.binary, "-db", "-f", str(self.config)], env={**os.environ, **self.env},
                                        stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"haproxy exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                stats = server_stats(self.socket_path)
                if all(stats.get(key, {}).get("status") == "UP"
                       and stats[key].get("check_status", "").startswith("L7OK") for key in servers):
                    return self
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"haproxy's servers {list(servers)} not all up after {timeout} s:\n{self.log_tail()}")
            time.sleep(0.2)

    def stats(self) -> Dict[Tuple[str, str], Dict[str, str]]:
        return server_stats(self.socket_path)

    def requests_served(self, proxy: str) -> Dict[str, int]:
        """Requests each server of ``proxy`` has been sent so far (health checks not counted)."""
        return {server: int(row["stot"] or 0) for (name, server), row in self.stats().items()
                if name == proxy and server not in ("FRONTEND", "BACKEND")}

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "_log", None) is not None:
            self._log.close()

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return ""
