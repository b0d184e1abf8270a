"""The integration tests' model config: config.yml with fewer epochs and a fixed seed, nothing else changed."""

from pathlib import Path

import yaml

from tests.support.fast_config import FAST_EPOCHS, TEST_MODEL_SEED, write_fast_config

ROOT = Path(__file__).resolve().parents[2]


def test_the_test_model_is_the_production_pipeline_with_fewer_epochs_and_a_seed(tmp_path):
    production = yaml.safe_load((ROOT / "config.yml").read_text("utf-8"))
    fast = yaml.safe_load(write_fast_config(ROOT / "config.yml", tmp_path / "fast.yml").read_text("utf-8"))
    for part in ("pipeline", "policies"):
        assert [c["name"] for c in fast[part]] == [c["name"] for c in production[part]]
    trained = [c for c in fast["pipeline"] + fast["policies"] if c["name"] in FAST_EPOCHS]
    assert {c["name"] for c in trained} == set(FAST_EPOCHS)
    assert all(c["epochs"] == FAST_EPOCHS[c["name"]] and c["random_seed"] == TEST_MODEL_SEED for c in trained)


def test_an_unchanged_config_is_not_rewritten(tmp_path):
    target = write_fast_config(ROOT / "config.yml", tmp_path / "fast.yml")
    before = target.stat().st_mtime_ns
    write_fast_config(ROOT / "config.yml", target)
    assert target.stat().st_mtime_ns == before
