"""The training data and the domain honour the NLU contract (../shared/spec/nlu-taxonomy.md)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT.parent / "shared" / "spec" / "nlu-taxonomy.md"
ENTITY_MARKUP = re.compile(r"\[([^\]]+)\](?:\(([a-z_]+)\)|\{\"entity\": ?\"([a-z_]+)\"[^}]*\})")


def spec_names():
    if not SPEC.exists():
        pytest.skip(f"{SPEC} is not beside this checkout")
    intents_part, entities_part = SPEC.read_text("utf-8").split("## Entities")
    row = re.compile(r"^\| `([a-z_]+)` \|", re.M)
    return row.findall(intents_part), row.findall(entities_part)


def training_examples():
    examples = Counter()
    entities = set()
    for path in (ROOT / "nlu_data").rglob("*.yml"):
        for item in (yaml.safe_load(path.read_text("utf-8")) or {}).get("nlu") or []:
            if "intent" in item:
                lines = [l for l in item["examples"].splitlines() if l.strip().startswith("- ")]
                examples[item["intent"]] += len(lines)
                for match in ENTITY_MARKUP.finditer(item["examples"]):
                    entities.add(match.group(2) or match.group(3))
    return examples, entities


def test_domain_has_exactly_the_contract_names():
    intents, entities = spec_names()
    domain = yaml.safe_load((ROOT / "domain.yml").read_text("utf-8"))
    assert sorted(domain["intents"]) == sorted(intents)
    assert sorted(domain["entities"]) == sorted(entities)


def test_every_intent_has_at_least_40_examples_and_no_other_labels_exist():
    intents, entities = spec_names()
    examples, used_entities = training_examples()
    assert set(examples) == set(intents)
    assert min(examples.values()) >= 40, examples.most_common()[-3:]
    assert used_entities == set(entities)


def test_the_unseen_set_is_also_scored_without_the_messages_that_are_in_training():
    """Two sets written apart share short messages (嗯 · ok · 谢谢); bench-nlu scores both ways."""
    from bench.nlu_benchmark import HELDOUT, training_texts

    seen = training_texts()
    examples = [line.strip()[2:] for item in yaml.safe_load(HELDOUT.read_text("utf-8"))["nlu"]
                for line in item["examples"].splitlines() if line.strip()]
    plain = {re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", example).strip() for example in examples}
    assert "嗯" in seen and "L码" in seen  # annotations are removed before comparing
    assert 400 < len(plain - seen) < len(plain)
