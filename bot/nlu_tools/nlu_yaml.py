"""Read Rasa-format NLU YAML (`version: "3.1"`, `nlu:` / `- intent:` / `examples: |`).

The evaluation reads test files itself (instead of asking Rasa) because it runs in the bot's
environment, which never imports Rasa. Entity annotations `[text](entity)` and
`[text]{"entity": ..., "value": ...}` are turned into plain text plus spans.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

_ANNOTATION = re.compile(r"\[(?P<text>[^\]]+)\](?:\((?P<entity>[^)]+)\)|(?P<json>\{[^}]+\}))")


@dataclass(frozen=True)
class Entity:
    """An entity annotation: type, canonical value and span in the plain text."""

    entity: str
    value: str
    start: int
    end: int


@dataclass(frozen=True)
class Example:
    """One annotated sentence of a test file."""

    text: str
    intent: str
    entities: tuple[Entity, ...] = field(default=())


def parse_annotated(line: str) -> tuple[str, tuple[Entity, ...]]:
    """Plain text and entities of one annotated example line."""
    plain: list[str] = []
    entities: list[Entity] = []
    position = 0
    cursor = 0
    for match in _ANNOTATION.finditer(line):
        before = line[cursor : match.start()]
        plain.append(before)
        position += len(before)
        surface = match.group("text")
        if match.group("json"):
            spec = json.loads(match.group("json"))
            entity, value = str(spec["entity"]), str(spec.get("value", surface))
        else:
            entity, _, value = match.group("entity").partition(":")
            value = value or surface
        entities.append(Entity(entity, value, position, position + len(surface)))
        plain.append(surface)
        position += len(surface)
        cursor = match.end()
    plain.append(line[cursor:])
    return "".join(plain), tuple(entities)


def load_examples(path: Path) -> list[Example]:
    """Every intent example in a Rasa NLU YAML file (other blocks are ignored)."""
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    examples: list[Example] = []
    for block in document.get("nlu", []) or []:
        intent = block.get("intent")
        if not intent:
            continue
        for raw in str(block.get("examples", "")).splitlines():
            line = raw.strip()
            if not line.startswith("- "):
                continue
            text, entities = parse_annotated(line[2:].strip())
            if text:
                examples.append(Example(text=text, intent=str(intent), entities=entities))
    return examples


def load_many(paths: list[Path]) -> list[Example]:
    """Examples of several files or directories of `.yml` files."""
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.rglob("*.yml")) if path.is_dir() else [path])
    return [example for file in files for example in load_examples(file)]
