"""Read and validate the knowledge YAML files; refuse to start with a clear list of problems.

All problems of all files are collected before raising, so one run of the bot (or of the
tests) shows every mistake of an edit, each as `file: field: what is wrong`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bot.knowledge.base import CommuneDirectory, Entry, KnowledgeBase
from bot.knowledge.checks import CAVEAT_PHRASE, text_problems, today_local
from bot.knowledge.eligibility import EligibilityCheck, checks_from_documents
from bot.knowledge.errors import KnowledgeError, Problem, read_yaml, validate_model
from bot.knowledge.facts import (
    FactBook,
    boundary_days,
    check_template,
    fact_names,
    load_facts,
    render,
)
from bot.knowledge.intents import CONTRACT_INTENTS, FACTUAL_INTENTS

DATA_DIR = Path(__file__).resolve().parent / "data"
_TOP_LEVEL_KEYS = frozenset({"answers", "communes", "facts"})

Documents = list[tuple[str, dict[str, Any]]]
# Rendered texts are checked on each day a fact changes from this day on (older values are
# history: an answer today never shows them as current).
START_OF_CHECKS = dt.date(2025, 7, 1)


def load_knowledge(
    path: str | Path | None = None,
    *,
    today: dt.date | None = None,
    clock: Callable[[], dt.date] | None = None,
) -> KnowledgeBase:
    """Load every `*.yml` in the directory `path` (default: bot/knowledge/data).

    A single file may be given instead; it must then hold `communes:`, `facts:` and every
    answer. The eligibility checks in `path/eligibility/` are loaded and validated with them.
    Raises `KnowledgeError` naming each file and field that is wrong: a contract intent
    without an answer, an unknown intent, a factual answer without sources, a bad or
    future `reviewed_on`, a text too long (with its facts filled in) or with HTML Telegram
    would refuse, an unknown fact, target_group or commune, a follow-up naming an unknown
    intent. `today` is the day checked against ("no review in the future"); `clock` the day
    answers are given for (default: today in Asia/Ho_Chi_Minh).
    """
    documents, checks_documents = read_documents(path)
    return build_knowledge(documents, checks_documents, today=today, clock=clock)


def read_documents(path: str | Path | None = None) -> tuple[Documents, Documents]:
    """The parsed answer files and eligibility files under `path`; unreadable ones raise."""
    root = Path(path) if path is not None else DATA_DIR
    files = sorted([root] if root.is_file() else [*root.glob("*.yml"), *root.glob("*.yaml")])
    if not files:
        raise KnowledgeError([Problem(str(root), "(directory)", "no *.yml files found")])
    problems: list[Problem] = []
    documents: Documents = []
    for file in files:
        name = _display(file, root)
        data, found = read_yaml(file, name)
        problems += found
        if not found:
            documents.append((name, data))
    checks_documents: Documents = []
    if root.is_dir() and (root / "eligibility").is_dir():
        for file in sorted((root / "eligibility").glob("*.yml")):
            name = f"eligibility/{file.name}"
            data, found = read_yaml(file, name)
            problems += found
            if not found:
                checks_documents.append((name, data))
    if problems:
        raise KnowledgeError(problems)
    return documents, checks_documents


def build_knowledge(
    documents: Documents,
    checks_documents: Documents,
    *,
    today: dt.date | None = None,
    clock: Callable[[], dt.date] | None = None,
) -> KnowledgeBase:
    """Validate parsed knowledge (YAML seed, possibly with officers' published edits applied)
    and build the knowledge base; every problem is collected into one KnowledgeError."""
    context: dict[str, Any] = {"today": today or today_local()}
    problems: list[Problem] = []
    kept: Documents = []
    for name, data in documents:
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
        kept.append((name, data))

    book, found = _facts(kept, context)
    problems += found
    context["facts"] = book
    directory, found = _communes(kept, context)
    problems += found
    context["communes"] = directory
    entries, found = _entries(kept, context)
    problems += found
    checks: Mapping[str, EligibilityCheck] = MappingProxyType({})
    if checks_documents:
        try:
            checks = checks_from_documents(checks_documents, today=context["today"], facts=book)
        except KnowledgeError as error:
            problems += error.problems
    if problems:
        raise KnowledgeError(problems)
    assert directory is not None  # _communes reports a problem when it is missing
    return KnowledgeBase(entries, directory, checks, book, clock=clock or today_local)


def _facts(documents: Documents, context: Mapping[str, Any]) -> tuple[FactBook, list[Problem]]:
    holders = [(name, data) for name, data in documents if "facts" in data]
    if len(holders) != 1:
        where = ", ".join(name for name, _ in holders) or "no file"
        return FactBook({}), [
            Problem(
                "(all files)", "facts", f"exactly one file must have `facts:` (found in {where})"
            )
        ]
    name, data = holders[0]
    book, problems = load_facts(data, file=name, context=context)
    return book or FactBook({}), problems


def _communes(
    documents: Documents, context: Mapping[str, Any]
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
    documents: Documents, context: Mapping[str, Any]
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
                problems += _template_checks(name, intent, entry, context)
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
    lists = [(f"answers.{intent}.follow_ups", entry.follow_ups)]
    lists += [
        (f"answers.{intent}.variants<{variant.key}>.follow_ups", variant.follow_ups)
        for variant in entry.variants
    ]
    for where, follow_ups in lists:
        if len(set(follow_ups)) != len(follow_ups):
            problems.append(
                Problem(file, where, f"follow_ups repeat an intent: {list(follow_ups)}")
            )
        for index, follow_up in enumerate(follow_ups):
            if follow_up not in CONTRACT_INTENTS:
                problems.append(Problem(file, f"{where}[{index}]", f"unknown intent {follow_up!r}"))
            elif follow_up == intent:
                problems.append(
                    Problem(
                        file, f"{where}[{index}]", "an answer must not offer itself as a follow-up"
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


def _template_checks(
    file: str, intent: str, entry: Entry, context: Mapping[str, Any]
) -> list[Problem]:
    """Facts named in a text exist, and the text with its facts filled in still fits and is
    safe on every day a fact it uses changes value, and today."""
    book: FactBook = context["facts"]
    problems: list[Problem] = []
    for variant in entry.all_variants():
        field = "default" if variant.key == "default" else f"variants<{variant.key}>"
        where = f"answers.{intent}.{field}.text"
        found = check_template(variant.text, book)
        if found:
            problems += [Problem(file, where, message) for message in found]
            continue
        names = fact_names(variant.text)
        days = {context["today"], *(d for d in boundary_days(book, names) if d >= START_OF_CHECKS)}
        for day in sorted(days):
            try:
                rendered = render(variant.text, book, day)
            except ValueError:
                continue
            for message in text_problems(rendered.text):
                problems.append(Problem(file, where, f"on {day.isoformat()}: {message}"))
            if rendered.unverified and variant.verified:
                weak = ", ".join(v.name for v in rendered.unverified)
                problems.append(
                    Problem(
                        file,
                        where,
                        f"uses unverified facts ({weak}): say "
                        f"verified: false and {CAVEAT_PHRASE!r}",
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
