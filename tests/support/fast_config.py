"""The production config.yml with fewer training epochs, for the integration tests' model.

Derived, never copied: a test model always has the production pipeline and policies
(our NLU components, UnderstandingPolicy), so what the tests check is what runs.
"""

from __future__ import annotations

from pathlib import Path

import yaml

# Epochs per component in the test model; everything else as in config.yml.
FAST_EPOCHS = {"DIETClassifier": 30, "TEDPolicy": 5}
# A fixed seed: a clean clone trains the same test model as this machine did, so a message
# near a decision boundary does not pass here and fail in CI (我的工单怎么样了 did).
TEST_MODEL_SEED = 20261202


def write_fast_config(production: Path, target: Path) -> Path:
    config = yaml.safe_load(production.read_text("utf-8"))
    config["assistant_id"] = "shopbot-tests"
    for component in [*config.get("pipeline", []), *config.get("policies", [])]:
        if component.get("name") in FAST_EPOCHS:
            component["epochs"] = FAST_EPOCHS[component["name"]]
            component["random_seed"] = TEST_MODEL_SEED
    text = "# Written by tests/support/fast_config.py from config.yml; do not edit.\n" + yaml.safe_dump(
        config, allow_unicode=True, sort_keys=False)
    if not target.exists() or target.read_text("utf-8") != text:  # same bytes, same model fingerprint
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
    return target
