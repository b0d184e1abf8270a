"""Writes one benchmark's section into docs/benchmarks.md, replacing its previous run."""

from __future__ import annotations

import os
import platform
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import List

BENCHMARKS = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
HEADER = "# Benchmarks\n\nEach section is written by the command it names; rerun it to refresh.\n"


def write_section(title: str, command: str, body: List[str]) -> None:
    text = BENCHMARKS.read_text("utf-8") if BENCHMARKS.exists() else HEADER
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    section = "\n".join([
        f"## {title}", "", f"Command: `{command}` — run {stamp} on {machine}.", "", *body, "",
    ])
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(lambda _: section + "\n", text) if pattern.search(text) else text.rstrip() + "\n\n" + section
    BENCHMARKS.parent.mkdir(exist_ok=True)
    BENCHMARKS.write_text(text.rstrip() + "\n", "utf-8")
