"""Helpers for driving the widget page in Chromium (browser test and benchmark)."""

from __future__ import annotations

import time


def wait_until(page, expression: str, timeout: float = 60_000) -> None:
    """Polls a JavaScript expression until it is true.  (wait_for_function evaluates strings with
    eval, which the demo page's Content-Security-Policy rightly forbids.)"""
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(f"() => Boolean({expression})"):
        if time.monotonic() > deadline:
            raise TimeoutError(f"still false after {timeout / 1000:.0f} s: {expression}")
        time.sleep(0.02)
