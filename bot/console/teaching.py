"""Teaching the bot (纠错标注): the NLU inbox, agents' corrections, and their export as training data.

The tracker store queues customer messages the NLU was unsure of (fallback or
low confidence) in the conversation index; agents relabel them (or any
customer message of a transcript) with an intent and entities; an agent's
label is *proposed*, a supervisor's, or one a supervisor accepts, is
*accepted*.  A supervisor's export writes the accepted ones to
``nlu_data/nlu/annotations.yml`` as Rasa YAML: texts the training data already
has (under any intent) are left out, so ``rasa data validate`` never sees the
same example twice, and the next ``make train`` learns the rest.

Keys: ``<p>:nlu:annotations:<conversation>`` hash (message id → JSON) and
``<p>:nlu:annotated`` set of conversations with annotations.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Set

import redis.asyncio
import yaml

from bot.console.accounts import AgentAccount
from bot.store.conversations import ConversationIndex

EXPORT_FILE = Path("nlu") / "annotations.yml"
_ANNOTATED_ENTITY = re.compile(r"\[([^\]]*)\]\((?:[^)]*)\)|\[([^\]]*)\]\{[^}]*\}")


class AnnotationError(ValueError):
    pass


def plain_text(example: str) -> str:
    """``[耐克](brand)的鞋`` → ``耐克的鞋``."""
    return _ANNOTATED_ENTITY.sub(lambda match: match.group(1) if match.group(1) is not None else match.group(2),
                                 example).strip()


def examples_in(path: Path) -> Dict[str, List[str]]:
    """intent → example texts (as written) of one Rasa NLU YAML file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return {}
    found: Dict[str, List[str]] = {}
    for block in data.get("nlu") or []:
        if isinstance(block, dict) and isinstance(block.get("intent"), str) and isinstance(block.get("examples"), str):
            lines = [line.strip()[2:].strip() for line in block["examples"].splitlines() if line.strip().startswith("- ")]
            found.setdefault(block["intent"], []).extend(lines)
    return found


def annotated_example(text: str, entities: Iterable[Dict[str, Any]]) -> str:
    """The text with ``[value](entity)`` marks, entities in order, overlapping ones left out."""
    marked, position = [], 0
    for entity in sorted(entities, key=lambda e: e["start"]):
        if entity["start"] < position:
            continue
        marked.append(text[position:entity["start"]])
        marked.append(f"[{text[entity['start']:entity['end']]}]({entity['entity']})")
        position = entity["end"]
    marked.append(text[position:])
    return "".join(marked)


def render_yaml(examples: Dict[str, List[str]]) -> str:
    lines = ['version: "3.1"', "", "# Corrections by agents in the console (bot/console/teaching.py), accepted by a",
             "# supervisor and exported with POST /api/nlu/export.  Regenerated on each export.", "nlu:"]
    for intent in sorted(examples):
        lines.append(f"  - intent: {intent}")
        lines.append("    examples: |")
        lines.extend(f"      - {example}" for example in examples[intent])
    return "\n".join(lines) + "\n"


class Teaching:
    def __init__(self, index: ConversationIndex, nlu_dir: Path, intents: List[str], entities: List[str],
                 clock=time.time) -> None:
        self.index = index
        self._redis: redis.asyncio.Redis = index.client
        self._prefix = index.prefix
        self.nlu_dir = Path(nlu_dir)
        self.intents = intents
        self.entities = entities
        self._clock = clock

    @classmethod
    def from_domain(cls, index: ConversationIndex, domain_file: Path, nlu_dir: Path) -> "Teaching":
        domain = yaml.safe_load(Path(domain_file).read_text(encoding="utf-8")) or {}
        names = lambda items: [next(iter(i)) if isinstance(i, dict) else str(i) for i in items or []]  # noqa: E731
        return cls(index, nlu_dir, names(domain.get("intents")), names(domain.get("entities")))

    def _key(self, conversation_id: str) -> str:
        return f"{self._prefix}:nlu:annotations:{conversation_id}"

    async def inbox(self, limit: int = 100) -> List[Dict[str, Any]]:
        return await self.index.review_queue(limit)

    async def annotations_of(self, conversation_id: str) -> Dict[str, Dict[str, Any]]:
        raw = await self._redis.hgetall(self._key(conversation_id))
        return {message_id: json.loads(value) for message_id, value in raw.items()}

    async def annotate(self, conversation_id: str, message_id: str, text: str, intent: Any, entities: Any,
                       by: AgentAccount) -> Dict[str, Any]:
        if intent not in self.intents:
            raise AnnotationError(f'"intent" must be one of: {", ".join(self.intents)}')
        if not isinstance(entities, list) or len(entities) > 20:
            raise AnnotationError('"entities" must be a list of {"entity": ..., "value": ...}')
        placed = []
        for entity in entities:
            if not isinstance(entity, dict) or entity.get("entity") not in self.entities:
                raise AnnotationError(f'each entity needs "entity", one of: {", ".join(self.entities)}')
            value = entity.get("value")
            start = text.find(value) if isinstance(value, str) and value else -1
            if start < 0:
                raise AnnotationError(f'entity value {value!r} is not in the message text')
            placed.append({"entity": entity["entity"], "value": value, "start": start, "end": start + len(value)})
        annotation = {
            "conversation_id": conversation_id, "message_id": message_id, "text": text, "intent": intent,
            "entities": placed, "by": by.name, "status": "accepted" if by.is_supervisor else "proposed",
            "accepted_by": by.name if by.is_supervisor else None, "at": self._clock(),
        }
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._key(conversation_id), message_id, json.dumps(annotation, ensure_ascii=False))
            pipe.sadd(f"{self._prefix}:nlu:annotated", conversation_id)
            await pipe.execute()
        await self.index.done_reviewing(conversation_id, message_id)
        return annotation

    async def accept(self, conversation_id: str, message_id: str, by: AgentAccount) -> Optional[Dict[str, Any]]:
        raw = await self._redis.hget(self._key(conversation_id), message_id)
        if raw is None:
            return None
        annotation = {**json.loads(raw), "status": "accepted", "accepted_by": by.name}
        await self._redis.hset(self._key(conversation_id), message_id, json.dumps(annotation, ensure_ascii=False))
        return annotation

    async def accepted(self) -> List[Dict[str, Any]]:
        found = []
        for conversation_id in sorted(await self._redis.smembers(f"{self._prefix}:nlu:annotated")):
            for annotation in (await self.annotations_of(conversation_id)).values():
                if annotation.get("status") == "accepted":
                    found.append(annotation)
        return sorted(found, key=lambda a: a.get("at") or 0)

    async def export(self) -> Dict[str, Any]:
        """Writes the accepted annotations the training data lacks; says what was written and skipped."""
        target = self.nlu_dir / EXPORT_FILE
        taken: Set[str] = set()
        for path in sorted(self.nlu_dir.rglob("*.yml")):
            if path.resolve() != target.resolve():
                for examples in examples_in(path).values():
                    taken.update(plain_text(example) for example in examples)
        kept = examples_in(target) if target.exists() else {}
        written: Dict[str, List[str]] = {intent: list(dict.fromkeys(examples)) for intent, examples in kept.items()
                                         if intent in self.intents}
        in_file = {plain_text(example) for examples in written.values() for example in examples}
        added, skipped = 0, 0
        for annotation in await self.accepted():
            text = " ".join(annotation["text"].split())
            if not text or text in taken or text in in_file or text.startswith("/"):
                skipped += 1
                continue
            example = annotated_example(annotation["text"], annotation["entities"])
            written.setdefault(annotation["intent"], []).append(" ".join(example.split()))
            in_file.add(text)
            added += 1
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(render_yaml({intent: examples for intent, examples in written.items() if examples}),
                          encoding="utf-8")
        return {"file": str(target), "added": added, "skipped_as_duplicates": skipped,
                "examples": sum(len(examples) for examples in written.values())}
