"""Read and validate the knowledge YAML files; refuse to start with a clear list of problems.

All problems of all files are collected before raising, so one run of the bot (or of the
tests) shows every mistake of an edit, each as `file: field: what is wrong`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bot.knowledge.base import CommuneDirectory, Entry, KnowledgeBase
from bot.knowledge.checks import today_local
from bot.knowledge.eligibility import EligibilityCheck, load_checks
from bot.knowledge.errors import KnowledgeError, Problem, read_yaml, validate_model
from bot.knowledge.intents import CONTRACT_INTENTS, FACTUAL_INTENTS

DATA_DIR = Path(__file__).resolve().parent / "data"
_TOP_LEVEL_KEYS = frozenset({"answers", "communes"})


def load_knowledge(
    path: str | Path | None = None, *, today: dt.date | None = None
) -> KnowledgeBase:
    """Load every `*.yml` in the directory `path` (default: bot/knowledge/data).

    A single file may be given instead; it must then hold `communes:` and every answer.
    The eligibility checks in `path/eligibility/` are loaded and validated with them.
    Raises `KnowledgeError` naming each file and field that is wrong: a contract intent
    without an answer, an unknown intent, a factual answer without sources, a bad or
    future `reviewed_on`, a text too long or with HTML Telegram would refuse, an unknown
    target_group or commune, a follow-up naming an unknown intent.
    """
    root = Path(path) if path is not None else DATA_DIR
    files = sorted([root] if root.is_file() else [*root.glob("*.yml"), *root.glob("*.yaml")])
    if not files:
        raise KnowledgeError([Problem(str(root), "(directory)", "no *.yml files found")])
    context: dict[str, Any] = {"today": today or today_local()}
    problems: list[Problem] = []
    documents: list[tuple[str, dict[str, Any]]] = []
    for file in files:
        name = _display(file, root)
        data, found = read_yaml(file, name)
        problems += found
        if found:
            continue
        if not isinstance(data, dict) or not data:
            problems.append(Problem(name, "(top level)", "must be a mapping with `answers:`"))
            continue
        # `x-…` keys only hold YAML anchors (shared sources), as in Docker Compose files.
        unknown = sorted(k for k in set(data) - _TOP_LEVEL_KEYS if not str(k).startswith("x-"))
        if unknown:
            problems.append(
                Problem(
                    name,
                    "(top level)",
                    f"unknown keys {unknown}; allowed: {sorted(_TOP_LEVEL_KEYS)}",
                )
            )
        documents.append((name, data))

    directory, found = _communes(documents, context)
    problems += found
    context["communes"] = directory
    entries, found = _entries(documents, context)
    problems += found
    checks: Mapping[str, EligibilityCheck] = MappingProxyType({})
    if root.is_dir() and (root / "eligibility").is_dir():
        try:
            checks = load_checks(root / "eligibility", today=context["today"])
        except KnowledgeError as error:
            problems += error.problems
    if problems:
        raise KnowledgeError(problems)
    assert directory is not None  # _communes reports a problem when it is missing
    return KnowledgeBase(entries=MappingProxyType(entries), communes=directory, checks=checks)


def _communes(
    documents: list[tuple[str, dict[str, Any]]], context: Mapping[str, Any]
) -> tuple[CommuneDirectory | None, list[Problem]]:
    holders = [(name, data["communes"]) for name, data in documents if "communes" in data]
    if len(holders) != 1:
        where = ", ".join(name for name, _ in holders) or "no file"
        return None, [
            Problem(
                "(all files)",
                "communes",
                f"exactly one file must have `communes:` (found in {where})",
            )
        ]
    name, data = holders[0]
    directory, problems = validate_model(
        CommuneDirectory, data, file=name, prefix="communes", context=context
    )
    return directory, problems


def _entries(
    documents: list[tuple[str, dict[str, Any]]], context: Mapping[str, Any]
) -> tuple[dict[str, Entry], list[Problem]]:
    entries: dict[str, Entry] = {}
    defined_in: dict[str, str] = {}
    problems: list[Problem] = []
    for name, data in documents:
        answers = data.get("answers", {})
        if not isinstance(answers, dict):
            problems.append(Problem(name, "answers", "must map intent names to answers"))
            continue
        for intent, raw in answers.items():
            field = f"answers.{intent}"
            if intent not in CONTRACT_INTENTS:
                problems.append(
                    Problem(
                        name,
                        field,
                        f"{intent!r} is not an intent of the NLU "
                        "contract (bot/knowledge/intents.py)",
                    )
                )
                continue
            if intent in defined_in:
                problems.append(Problem(name, field, f"already answered in {defined_in[intent]}"))
                continue
            defined_in[intent] = name
            entry, found = validate_model(Entry, raw, file=name, prefix=field, context=context)
            problems += found
            if entry is not None:
                problems += _cross_checks(name, intent, entry)
                entries[intent] = entry
    missing = [intent for intent in CONTRACT_INTENTS if intent not in defined_in]
    if missing:
        problems.append(
            Problem(
                "(all files)", "answers", f"no answer for contract intents: {', '.join(missing)}"
            )
        )
    return entries, problems


def _cross_checks(file: str, intent: str, entry: Entry) -> list[Problem]:
    """Checks that need the intent: follow-ups and sources of factual answers."""
    problems = []
    for index, follow_up in enumerate(entry.follow_ups):
        if follow_up not in CONTRACT_INTENTS:
            problems.append(
                Problem(
                    file, f"answers.{intent}.follow_ups[{index}]", f"unknown intent {follow_up!r}"
                )
            )
        elif follow_up == intent:
            problems.append(
                Problem(
                    file,
                    f"answers.{intent}.follow_ups[{index}]",
                    "an answer must not offer itself as a follow-up",
                )
            )
    if intent in FACTUAL_INTENTS:
        for variant in entry.all_variants():
            if not variant.sources:
                field = "default" if variant.key == "default" else f"variants<{variant.key}>"
                problems.append(
                    Problem(
                        file,
                        f"answers.{intent}.{field}.sources",
                        "a factual answer needs at least one source",
                    )
                )
    return problems


def _display(path: Path, root: Path) -> str:
    """File names relative to the data directory, as a maintainer knows them."""
    base = root if root.is_dir() else root.parent
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)
