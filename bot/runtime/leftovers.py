"""What a run of this checkout started, written down, so the next start can clear what a killed run left.

Children die with the supervisor (bot/runtime/child.py), but a child that
ignores SIGTERM, or a kernel without ``PR_SET_PDEATHSIG``, could still hold
the ports.  Each child is recorded in ``$SHOPBOT_DATA_DIR/run/children.json``
with its pid and its start time from ``/proc`` (a pid alone may have been
reused by an unrelated process); a start stops the recorded ones that are
still the same processes, before checking the ports.
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path
from typing import Callable, List, Optional


def start_ticks(pid: int) -> Optional[int]:
    """The process's start time in clock ticks since boot (/proc/<pid>/stat field 22); None if gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # the command name (field 2) is in parentheses and may hold spaces: split after it
    return int(stat.rsplit(")", 1)[1].split()[19])


class ChildRecord:
    def __init__(self, run_dir: Path) -> None:
        self.path = run_dir / "children.json"

    def _read(self) -> List[dict]:
        try:
            entries = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return []
        return [entry for entry in entries if isinstance(entry, dict)] if isinstance(entries, list) else []

    def _write(self, entries: List[dict]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(entries))
        os.replace(temporary, self.path)

    def add(self, name: str, pid: int) -> None:
        ticks = start_ticks(pid)
        if ticks is None:
            return
        entries = [entry for entry in self._read() if start_ticks(entry.get("pid", -1)) == entry.get("ticks")]
        self._write(entries + [{"name": name, "pid": pid, "ticks": ticks}])

    def clear_leftovers(self, say: Callable[[str], None], grace_seconds: float = 10.0) -> List[str]:
        """Stops the recorded children still running (SIGTERM to their group, then SIGKILL); their names."""
        alive = [entry for entry in self._read() if isinstance(entry.get("pid"), int)
                 and start_ticks(entry["pid"]) == entry.get("ticks")]
        for entry in alive:
            say(f"stopping {entry.get('name')} (pid {entry['pid']}) left running by an earlier run")
            _signal(entry["pid"], signal.SIGTERM)
        deadline = time.monotonic() + grace_seconds
        while time.monotonic() < deadline and any(start_ticks(e["pid"]) == e["ticks"] for e in alive):
            time.sleep(0.1)
        for entry in alive:
            if start_ticks(entry["pid"]) == entry["ticks"]:
                _signal(entry["pid"], signal.SIGKILL)
        self._write([])
        return [str(entry.get("name")) for entry in alive]


def _signal(pid: int, number: int) -> None:
    try:
        os.killpg(pid, number)  # each child leads its own process group
    except ProcessLookupError:
        pass
    except PermissionError:
        os.kill(pid, number)
