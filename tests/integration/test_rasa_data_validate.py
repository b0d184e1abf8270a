import os
import subprocess
import sys

from bot.runtime.settings import CHILD_ENVIRONMENT
from tests.integration.processes import ROOT


def test_rasa_data_validate_passes():
    result = subprocess.run(
        [sys.executable, "-m", "rasa", "data", "validate", "--data", "nlu_data",
         "--domain", "domain.yml", "--config", "config.yml"],
        cwd=ROOT, env={**os.environ, **CHILD_ENVIRONMENT},
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
