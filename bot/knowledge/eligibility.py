"""Eligibility checks (housing support, monthly social allowance) as data plus a pure evaluator.

Rules live in YAML (data/eligibility/*.yml) so that a policy change is a reviewed data edit,
each rule with its source; this module only asks "which rules hold for these answers?".
A verdict is never a promise: it says what the citizen *may* qualify for, and that the
commune People's Committee decides. Where a fact is unconfirmed, the rule carries a caveat
or sends the citizen to an officer.

Outcome precedence: likely_eligible > needs_officer > likely_not. Rules are written so a
blocking circumstance (a pension, earlier support) is part of the eligible rule's conditions,
which keeps the precedence simple and every verdict explainable by the rules that matched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from pydantic import Field, ValidationInfo, field_validator, model_validator

from bot.knowledge.base import Source, StrictModel, parse_iso_date, sources_line
from bot.knowledge.checks import (
    CAVEAT_PHRASE,
    CONFIRM_PLACE,
    text_problems,
    today_local,
)
from bot.knowledge.errors import KnowledgeError, Problem, read_yaml, validate_model

ELIGIBILITY_DIR = Path(__file__).resolve().parent / "data" / "eligibility"
NEVER_PROMISE = ("chắc chắn", "được duyệt", "sẽ được hưởng", "cam kết", "đảm bảo được")
OFFICER_DECIDES = "UBND xã nơi cư trú sẽ xét duyệt"
MAX_LABEL_CHARS = 60
_LABELS = {
    "reasons": "Vì sao",
    "caveats": "Lưu ý",
    "documents": "Giấy tờ nên mang",
    "where": "Nơi nộp",
}


class Outcome(StrEnum):
    """What a check concludes; the order of the members is their precedence."""

    LIKELY_ELIGIBLE = "likely_eligible"
    NEEDS_OFFICER = "needs_officer"
    LIKELY_NOT = "likely_not"


Conditions = dict[str, tuple[str, ...]]


class IncompleteAnswers(ValueError):
    """`evaluate` was called before every applicable question was answered."""


def _checked_text(value: str) -> str:
    problems = text_problems(value)
    if problems:
        raise ValueError("; ".join(problems))
    return value.strip()


class Option(StrictModel):
    """One answer button: `value` is stored, `label` is shown."""

    value: str = Field(pattern=r"^[a-z0-9_]+$")
    label: str = Field(min_length=1, max_length=MAX_LABEL_CHARS)


class Question(StrictModel):
    """A button question, asked only when `ask_if` holds; `when_skipped` fills it otherwise."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    text: str
    options: tuple[Option, ...] = Field(min_length=2, max_length=8)
    ask_if: Conditions = Field(default_factory=dict)
    when_skipped: str | None = None

    @field_validator("text")
    @classmethod
    def _readable(cls, value: str) -> str:
        return _checked_text(value)

    def values(self) -> tuple[str, ...]:
        """The values an answer to this question may take."""
        return tuple(option.value for option in self.options)


class Rule(StrictModel):
    """If every condition in `when` holds, the rule gives `outcome` with its reason."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    outcome: Outcome
    when: Conditions = Field(min_length=1)
    reason: str
    caveat: str | None = None
    documents: tuple[str, ...] = ()
    sources: tuple[Source, ...] = Field(min_length=1)
    verified: bool = True

    @field_validator("reason", "caveat")
    @classmethod
    def _plain(cls, value: str | None) -> str | None:
        if value is None:
            return None
        lowered = value.lower()
        promises = [phrase for phrase in NEVER_PROMISE if phrase in lowered]
        if promises:
            raise ValueError(f"never promise: remove {promises}")
        return _checked_text(value)

    @model_validator(mode="after")
    def _hedged(self) -> Rule:
        if self.outcome is Outcome.LIKELY_ELIGIBLE and "có thể" not in self.reason:
            raise ValueError("a likely_eligible reason must say 'có thể' (never a promise)")
        if not self.verified and not (
            self.caveat and CAVEAT_PHRASE in self.caveat and CONFIRM_PLACE in self.caveat
        ):
            raise ValueError(
                f"verified: false needs a caveat saying {CAVEAT_PHRASE!r} and {CONFIRM_PLACE!r}"
            )
        return self


class Fallback(StrictModel):
    """The verdict when no rule holds."""

    outcome: Outcome
    reason: str
    documents: tuple[str, ...] = ()
    sources: tuple[Source, ...] = Field(min_length=1)

    @field_validator("reason")
    @classmethod
    def _readable(cls, value: str) -> str:
        return _checked_text(value)


class Headlines(StrictModel):
    """The first line of a verdict, per outcome."""

    likely_eligible: str
    needs_officer: str
    likely_not: str

    @field_validator("*")
    @classmethod
    def _readable(cls, value: str) -> str:
        return _checked_text(value)


@dataclass(frozen=True)
class Verdict:
    """The result of a check, with everything the citizen needs to act on it."""

    check: str
    outcome: Outcome
    headline: str
    reasons: list[str]
    caveats: list[str]
    documents: list[str]
    where_to_apply: str
    disclaimer: str
    sources: list[Source]
    reviewed_on: dt.date
    rule_ids: list[str] = field(default_factory=list)

    def render_html(self) -> str:
        """The verdict as a Telegram HTML message (rule texts are validated HTML)."""
        parts = [f"<b>{self.headline}</b>"]
        for key, items in (
            ("reasons", self.reasons),
            ("caveats", self.caveats),
            ("documents", self.documents),
        ):
            if items:
                parts.append(f"{_LABELS[key]}:\n" + "\n".join(f"• {item}" for item in items))
        parts.append(f"{_LABELS['where']}: {self.where_to_apply}")
        parts.append(f"<i>{self.disclaimer}</i>")
        parts.append(f"<i>{sources_line(self.sources, self.reviewed_on)}</i>")
        return "\n\n".join(parts)


class EligibilityCheck(StrictModel):
    """One check: its questions, its rules and how to present the verdict."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str
    reviewed_on: dt.date
    where_to_apply: str
    disclaimer: str
    headlines: Headlines
    multiple_note: str | None = None
    documents_always: tuple[str, ...] = ()
    questions: tuple[Question, ...] = Field(min_length=1)
    rules: tuple[Rule, ...] = Field(min_length=1)
    fallback: Fallback

    @field_validator("reviewed_on", mode="before")
    @classmethod
    def _iso_reviewed(cls, value: Any, info: ValidationInfo) -> dt.date:
        return parse_iso_date(value, info)

    @field_validator("title", "where_to_apply", "disclaimer", "multiple_note")
    @classmethod
    def _texts(cls, value: str | None) -> str | None:
        return None if value is None else _checked_text(value)

    @model_validator(mode="after")
    def _consistent(self) -> EligibilityCheck:
        if OFFICER_DECIDES not in self.disclaimer:
            raise ValueError(f"disclaimer must say {OFFICER_DECIDES!r}")
        problems: list[str] = []
        seen: dict[str, Question] = {}
        for question in self.questions:
            if question.id in seen:
                problems.append(f"question {question.id!r} defined twice")
            problems += _condition_problems(f"question {question.id}.ask_if", question.ask_if, seen)
            skipped = question.when_skipped
            if skipped is not None and skipped not in question.values():
                problems.append(f"question {question.id}.when_skipped: {skipped!r} not an option")
            seen[question.id] = question
        rule_ids = [rule.id for rule in self.rules]
        problems += [
            f"rule {r!r} defined twice" for r in sorted(set(rule_ids)) if rule_ids.count(r) > 1
        ]
        for rule in self.rules:
            problems += _condition_problems(f"rule {rule.id}.when", rule.when, seen)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def effective_answers(self, answers: Mapping[str, str]) -> dict[str, str]:
        """Given answers, plus `when_skipped` for questions not asked; bad input raises."""
        by_id = {q.id: q for q in self.questions}
        for qid, value in answers.items():
            if qid not in by_id:
                raise ValueError(f"check {self.id!r} has no question {qid!r}")
            if value not in by_id[qid].values():
                raise ValueError(f"{value!r} is not an answer to {self.id}.{qid}")
        effective: dict[str, str] = {}
        for question in self.questions:
            if question.id in answers:
                effective[question.id] = answers[question.id]
            elif not _holds(question.ask_if, effective) and question.when_skipped is not None:
                effective[question.id] = question.when_skipped
        return effective

    def next_question(self, answers: Mapping[str, str]) -> Question | None:
        """The next question to ask, or None when the check can be evaluated."""
        effective = self.effective_answers(answers)
        for question in self.questions:
            if question.id not in effective and _holds(question.ask_if, effective):
                return question
        return None

    def evaluate(self, answers: Mapping[str, str]) -> Verdict:
        """The verdict for complete answers: the rules that hold, best outcome first.

        Raises `IncompleteAnswers` while `next_question` still has a question: a verdict on
        half the facts could tell a citizen "likely not" who would qualify.
        """
        pending = self.next_question(answers)
        if pending is not None:
            raise IncompleteAnswers(f"check {self.id!r}: question {pending.id!r} is unanswered")
        effective = self.effective_answers(answers)
        matched = [rule for rule in self.rules if _holds(rule.when, effective)]
        if not matched:
            return self._verdict(
                self.fallback.outcome,
                [self.fallback.reason],
                [],
                self.fallback.documents,
                self.fallback.sources,
                [],
            )
        order = list(Outcome)
        matched.sort(key=lambda rule: order.index(rule.outcome))  # stable: YAML order kept
        outcome = matched[0].outcome
        caveats = [rule.caveat for rule in matched if rule.caveat]
        eligible = [rule for rule in matched if rule.outcome is Outcome.LIKELY_ELIGIBLE]
        if len(eligible) > 1 and self.multiple_note:
            caveats.append(self.multiple_note)
        return self._verdict(
            outcome,
            [rule.reason for rule in matched],
            caveats,
            [doc for rule in matched for doc in rule.documents],
            [source for rule in matched for source in rule.sources],
            [rule.id for rule in matched],
        )

    def _verdict(
        self,
        outcome: Outcome,
        reasons: list[str],
        caveats: list[str],
        documents: Iterable[str],
        sources: Iterable[Source],
        rule_ids: list[str],
    ) -> Verdict:
        unique_sources = list({source.document: source for source in sources}.values())
        return Verdict(
            check=self.id,
            outcome=outcome,
            headline=getattr(self.headlines, outcome.value),
            reasons=reasons,
            caveats=_unique(caveats),
            documents=_unique([*self.documents_always, *documents]),
            where_to_apply=self.where_to_apply,
            disclaimer=self.disclaimer,
            sources=unique_sources,
            reviewed_on=self.reviewed_on,
            rule_ids=rule_ids,
        )


def _holds(conditions: Conditions, answers: Mapping[str, str]) -> bool:
    return all(answers.get(qid) in allowed for qid, allowed in conditions.items())


def _condition_problems(
    where: str, conditions: Conditions, known: Mapping[str, Question]
) -> list[str]:
    """Conditions may only name earlier questions and their option values."""
    problems = []
    for qid, allowed in conditions.items():
        if qid not in known:
            problems.append(f"{where}: {qid!r} is not an earlier question")
            continue
        bad = [value for value in allowed if value not in known[qid].values()]
        if bad or not allowed:
            problems.append(
                f"{where}.{qid}: {bad or 'empty list'} not among {list(known[qid].values())}"
            )
    return problems


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def load_checks(
    path: str | Path | None = None, *, today: dt.date | None = None
) -> Mapping[str, EligibilityCheck]:
    """Every check in `path` (default data/eligibility), keyed by id; raises KnowledgeError."""
    root = Path(path) if path is not None else ELIGIBILITY_DIR
    files = sorted([root] if root.is_file() else root.glob("*.yml"))
    context = {"today": today or today_local()}
    checks: dict[str, EligibilityCheck] = {}
    problems: list[Problem] = []
    for file in files:
        name = f"eligibility/{file.name}"
        data, found = read_yaml(file, name)
        if not found:
            if isinstance(data, dict):
                data = {k: v for k, v in data.items() if not str(k).startswith("x-")}
            check, found = validate_model(
                EligibilityCheck, data, file=name, prefix="", context=context
            )
            if check is not None and check.id in checks:
                found = [Problem(name, "id", f"check {check.id!r} is defined twice")]
            elif check is not None:
                checks[check.id] = check
        problems += found
    if not files:
        problems.append(Problem(str(root), "(directory)", "no eligibility *.yml files"))
    if problems:
        raise KnowledgeError(problems)
    return MappingProxyType(checks)


@lru_cache(maxsize=1)
def default_checks() -> Mapping[str, EligibilityCheck]:
    """The checks shipped in the repository, loaded once."""
    return load_checks()


def evaluate(check: str, answers: Mapping[str, str]) -> Verdict:
    """Evaluate the shipped check `check` ('allowance' or 'housing') for `answers`."""
    return default_checks()[check].evaluate(answers)
