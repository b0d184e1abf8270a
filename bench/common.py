"""What several benchmarks share: starting the whole bot on free ports, percentiles."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, Optional

import aiohttp

from bot.runtime.embedded_redis import free_port

ROOT = Path(__file__).resolve().parents[1]


def start_bot(data_dir: str, rasa_port: int, extra_env: Optional[Dict[str, str]] = None,
              log_path: Optional[str] = None) -> subprocess.Popen:
    """`python -m bot.runtime run` with every port free and its own data directory and Redis.

    Its output is dropped, or written to ``log_path`` (to find what went wrong behind a failure).
    """
    env = {**os.environ, "RASA_PORT": str(rasa_port), "ACTION_PORT": str(free_port()),
           "RECOMMENDER_PORT": str(free_port()), "EMBEDDED_REDIS_PORT": str(free_port()),
           "CONSOLE_PORT": str(free_port()), "ORDER_SYSTEM_PORT": str(free_port()), "ALERTS_PORT": str(free_port()),
           "SHOPBOT_DATA_DIR": data_dir,
           **(extra_env or {})}
    env.pop("REDIS_URL", None)
    # the bot dies with the benchmark, also one stopped by a signal that skips its clean-up
    output = open(log_path, "ab") if log_path else subprocess.DEVNULL
    try:
        return subprocess.Popen([sys.executable, "-m", "bot.runtime.child", str(os.getpid()), "--",
                                 sys.executable, "-m", "bot.runtime", "run"], cwd=ROOT, env=env,
                                stdout=output, stderr=subprocess.STDOUT if log_path else subprocess.DEVNULL)
    finally:
        if log_path:
            output.close()  # the child has its own copy


def percentile(values: list, share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def wait_http(url: str, timeout: float = 900) -> None:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            try:
                async with session.get(url, timeout=aiohttp.ClientTimeout(total=5)) as response:
                    if response.status == 200:
                        return
            except (aiohttp.ClientError, asyncio.TimeoutError):
                pass
            await asyncio.sleep(0.5)
    raise SystemExit(f"{url} did not answer")
