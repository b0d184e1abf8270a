"""`rasa test core` over the end-to-end stories of tests/e2e: NLU and dialogue together, on the patched Rasa
(`python -m bot.runtime.rasa_server` applies bot/runtime/patches/ first, as the served bot does)."""

from __future__ import annotations

import subprocess
import sys

from tests.integration.processes import ROOT


def test_end_to_end_stories_pass(trained_model, tmp_path, server_env):
    result = subprocess.run(
        [sys.executable, "-m", "bot.runtime.rasa_server", "test", "core", "--model", str(trained_model),
         "--stories", str(ROOT / "tests" / "e2e"), "--out", str(tmp_path / "results"),
         "--fail-on-prediction-errors", "--no-plot"],
        cwd=ROOT, env={**server_env, "PATH": "/usr/bin:/bin"}, capture_output=True, text=True, timeout=600,
    )
    failed = tmp_path / "results" / "failed_test_stories.yml"
    details = failed.read_text("utf-8") if failed.exists() else result.stdout[-3000:] + result.stderr[-3000:]
    assert result.returncode == 0, details
