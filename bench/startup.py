"""Time from starting the run command to the first answered REST message.

    python bench/startup.py        (make bench-startup)

Starts `python -m bot.runtime run` on free ports with a fresh data directory
(embedded Redis, the model that `make train` leaves in models/), posts 你好
until the rasa server answers, then stops it with SIGINT and times that too.
"""

from __future__ import annotations

import signal
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import start_bot  # noqa: E402
from bench.report import write_section  # noqa: E402
from bot.runtime.embedded_redis import free_port  # noqa: E402


def main() -> None:
    rasa_port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        started = time.perf_counter()
        process = start_bot(data_dir, rasa_port)
        answered = None
        try:
            while time.perf_counter() - started < 600 and process.poll() is None:
                try:
                    reply = requests.post(f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook",
                                          json={"sender": "bench", "message": "你好"}, timeout=30)
                    if reply.ok and reply.json():
                        answered = time.perf_counter() - started
                        break
                except requests.RequestException:
                    pass
                time.sleep(0.5)
        finally:
            stop_started = time.perf_counter()
            process.send_signal(signal.SIGINT)
            process.wait(60)
            stopped = time.perf_counter() - stop_started
    if answered is None:
        raise SystemExit("the bot never answered (is there a trained model? run make train)")
    body = [
        "| step | seconds |", "| --- | --- |",
        f"| start → first REST answer (model already trained) | {answered:.1f} |",
        f"| Ctrl-C → every process stopped | {stopped:.1f} |",
    ]
    write_section("Start-up of the run command", "make bench-startup", body)
    print("\n".join(body))


if __name__ == "__main__":
    main()
