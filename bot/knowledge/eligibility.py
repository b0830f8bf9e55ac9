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
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from pydantic import Field, PrivateAttr, ValidationInfo, field_validator, model_validator

from bot.knowledge.checks import (
    CAVEAT_PHRASE,
    CONFIRM_PLACE,
    MAX_TEXT_CHARS,
    NEVER_PROMISE,
    template_problems,
    today_local,
)
from bot.knowledge.errors import KnowledgeError, Problem, read_yaml, validate_model
from bot.knowledge.facts import (
    FactBook,
    FactValue,
    check_template,
    format_money,
    load_facts,
    render,
)
from bot.knowledge.sources import Source, StrictModel, parse_iso_date, sources_line

ELIGIBILITY_DIR = Path(__file__).resolve().parent / "data" / "eligibility"
OFFICER_DECIDES = "UBND xã nơi cư trú sẽ xét duyệt"
MAX_LABEL_CHARS = 60
_LABELS = {
    "reasons": "Vì sao",
    "caveats": "Lưu ý",
    "documents": "Giấy tờ nên mang",
    "where": "Nơi nộp",
    "formula": "Cách tính",
}
# Who the check is about: the first question of every check. Verdicts say "bạn" or "người này".
FOR_WHOM = "for_whom"
SUBJECTS = {"self": ("bạn", "Bạn"), "other": ("người này", "Người này")}
# What a verdict shows at most, so that every verdict fits one screen (900 characters).
MAX_REASONS = 2
MAX_CAVEATS = 2
MAX_DOCUMENTS = 4
MAX_VERDICT_SOURCES = 2
STALE_VERDICT = "Số liệu có thể đã cũ ({labels}); hãy hỏi UBND xã nơi cư trú trước khi dựa vào."


class Outcome(StrEnum):
    """What a check concludes; the order of the members is their precedence."""

    LIKELY_ELIGIBLE = "likely_eligible"
    NEEDS_OFFICER = "needs_officer"
    LIKELY_NOT = "likely_not"


Conditions = dict[str, tuple[str, ...]]


class IncompleteAnswers(ValueError):
    """`evaluate` was called before every applicable question was answered."""


def _checked_text(value: str) -> str:
    problems = template_problems(value)
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
    # The monthly amount, as a fact or a product of facts ("qn_standard*coef_disability_severe"),
    # led with in the verdict; `formula` explains it (never on the first line).
    amount: str | None = None
    amount_label: str | None = None
    formula: str | None = None

    @field_validator("reason", "caveat", "formula", "amount_label")
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
        if self.amount is not None and self.outcome is not Outcome.LIKELY_ELIGIBLE:
            raise ValueError("only a likely_eligible rule states an amount")
        if self.amount is not None and not (self.formula and self.amount_label):
            raise ValueError("a rule with an amount needs `amount_label` and `formula`")
        if self.outcome is Outcome.LIKELY_NOT and self.documents:
            raise ValueError("a likely_not rule lists no papers to bring")
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
    """The first line of a verdict, per outcome; {subject}/{Subject} is "bạn" or "người này",
    {amount} the monthly amount and {what} what it is (only in `with_amount`)."""

    likely_eligible: str
    with_amount: str
    needs_officer: str
    likely_not: str

    @field_validator("*")
    @classmethod
    def _readable(cls, value: str) -> str:
        return _checked_text(value)


@dataclass(frozen=True)
class Verdict:
    """The result of a check, with everything the citizen needs to act on it.

    Texts are final (facts filled in for `on`, "bạn"/"người này" chosen); `amount` is the
    monthly amount in đồng when a rule states one, and leads the message.
    """

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
    amount: int | None = None
    formula: str | None = None
    on: dt.date | None = None
    about_someone_else: bool = False

    def render_html(self) -> str:
        """The verdict as a Telegram HTML message (rule texts are validated HTML)."""
        return self._compose(self.reasons, self.caveats, self.documents, self.sources)

    def fitted(self, max_chars: int = MAX_TEXT_CHARS) -> Verdict:
        """This verdict cut to fit `max_chars` when rendered: the least needed lines go
        first (papers beyond two, a second reason, a second source, a second caveat); the
        headline, the first reason and caveat, where to apply and the disclaimer stay."""
        reasons, caveats = list(self.reasons), list(self.caveats)
        documents, sources = list(self.documents), list(self.sources)
        # (list, how many items always stay), in the order they give way.
        trims: list[tuple[list[Any], int]] = [
            (documents, 2),
            (reasons, 1),
            (sources, 1),
            (caveats, 1),
        ]
        text = self._compose(reasons, caveats, documents, sources)
        while len(text) > max_chars and trims:
            items, keep = trims[0]
            if len(items) > keep:
                items.pop()
            else:
                trims.pop(0)
            text = self._compose(reasons, caveats, documents, sources)
        return replace(self, reasons=reasons, caveats=caveats, documents=documents, sources=sources)

    def _compose(
        self, reasons: list[str], caveats: list[str], documents: list[str], sources: list[Source]
    ) -> str:
        parts = [f"<b>{self.headline}</b>"]
        if self.formula:
            parts.append(f"{_LABELS['formula']}: {self.formula}")
        for key, items in (("reasons", reasons), ("caveats", caveats), ("documents", documents)):
            if items:
                parts.append(f"{_LABELS[key]}:\n" + "\n".join(f"• {item}" for item in items))
        parts.append(f"{_LABELS['where']}: {self.where_to_apply}")
        parts.append(f"<i>{self.disclaimer}</i>")
        parts.append(f"<i>{sources_line(sources, self.reviewed_on)}</i>")
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
    # The facts the check was loaded with (a knowledge base binds its own, so verdicts use
    # the published facts, not only the shipped YAML).
    _facts: FactBook | None = PrivateAttr(default=None)

    def bound_to(self, facts: FactBook) -> EligibilityCheck:
        """This check, evaluated with `facts` unless a caller passes others."""
        copy = self.model_copy()
        copy._facts = facts
        return copy

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
        first = self.questions[0]
        if first.id != FOR_WHOM or set(first.values()) != set(SUBJECTS):
            raise ValueError(
                f"the first question must be {FOR_WHOM!r} with options "
                f"{sorted(SUBJECTS)}: verdicts say 'bạn' or 'người này'"
            )
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

    def evaluate(
        self,
        answers: Mapping[str, str],
        *,
        facts: FactBook | None = None,
        on: dt.date | None = None,
    ) -> Verdict:
        """The verdict for complete answers: the rules that hold, best outcome first, with the
        facts valid on `on` (default today; the shipped facts when `facts` is None).

        Raises `IncompleteAnswers` while `next_question` still has a question: a verdict on
        half the facts could tell a citizen "likely not" who would qualify.
        """
        pending = self.next_question(answers)
        if pending is not None:
            raise IncompleteAnswers(f"check {self.id!r}: question {pending.id!r} is unanswered")
        effective = self.effective_answers(answers)
        filler = _Filler(
            facts if facts is not None else (self._facts or default_facts()),
            on or today_local(),
            other=effective.get(FOR_WHOM) == "other",
        )
        matched = [rule for rule in self.rules if _holds(rule.when, effective)]
        if not matched:
            fb = self.fallback
            papers = fb.documents if fb.outcome is not Outcome.LIKELY_NOT else ()
            return self._verdict(filler, fb.outcome, [fb.reason], [], papers, fb.sources, [], None)
        order = list(Outcome)
        matched.sort(key=lambda rule: order.index(rule.outcome))  # stable: YAML order kept
        outcome = matched[0].outcome
        winners = [rule for rule in matched if rule.outcome is outcome]
        caveats = [rule.caveat for rule in winners if rule.caveat]
        if len(winners) > 1 and outcome is Outcome.LIKELY_ELIGIBLE and self.multiple_note:
            caveats.append(self.multiple_note)
        # The higher of two benefits: lead with the largest amount a matching rule states.
        priced = [(filler.amount(rule.amount), rule) for rule in winners if rule.amount]
        best = max(priced, key=lambda pair: pair[0]) if priced else None
        documents: list[str] = (
            []
            if outcome is Outcome.LIKELY_NOT
            else [doc for rule in winners for doc in rule.documents]
        )
        return self._verdict(
            filler,
            outcome,
            [rule.reason for rule in winners],
            caveats,
            documents,
            [source for rule in winners for source in rule.sources],
            [rule.id for rule in matched],
            best,
        )

    def _verdict(
        self,
        filler: _Filler,
        outcome: Outcome,
        reasons: list[str],
        caveats: list[str],
        documents: Iterable[str],
        sources: Iterable[Source],
        rule_ids: list[str],
        best: tuple[int, Rule] | None,
    ) -> Verdict:
        if best is not None:
            amount, rule = best
            headline = filler.text(
                self.headlines.with_amount, amount=amount, what=rule.amount_label or ""
            )
            formula: str | None = filler.text(rule.formula or "")
        else:
            amount, formula = None, None
            headline = filler.text(getattr(self.headlines, outcome.value))
        texts = [filler.text(reason) for reason in reasons[:MAX_REASONS]]
        notes = _unique(filler.text(caveat) for caveat in caveats)[:MAX_CAVEATS]
        aged = [v.fact.label for v in filler.used if v.ended or v.review_stale]
        if aged:  # never shown silently as current: first caveat, kept when cutting to fit
            notes.insert(0, STALE_VERDICT.format(labels="; ".join(_unique(aged))))
        papers = (
            []
            if outcome is Outcome.LIKELY_NOT
            else _unique([*self.documents_always, *documents])[:MAX_DOCUMENTS]
        )
        fact_sources = [value.period.source for value in filler.used]
        unique_sources = list({s.document: s for s in (*fact_sources, *sources)}.values())
        return Verdict(
            check=self.id,
            outcome=outcome,
            headline=headline,
            reasons=texts,
            caveats=notes,
            documents=papers,
            where_to_apply=filler.text(self.where_to_apply),
            disclaimer=filler.text(self.disclaimer),
            sources=unique_sources[:MAX_VERDICT_SOURCES],
            reviewed_on=self.reviewed_on,
            rule_ids=rule_ids,
            amount=amount,
            formula=formula,
            on=filler.day,
            about_someone_else=filler.other,
        ).fitted()

    def texts(self) -> list[tuple[str, str]]:
        """(where, template) of every text a verdict may show, for validation."""
        found = [("where_to_apply", self.where_to_apply), ("disclaimer", self.disclaimer)]
        found += [(f"headlines.{k}", v) for k, v in self.headlines.model_dump().items()]
        if self.multiple_note:
            found.append(("multiple_note", self.multiple_note))
        for rule in self.rules:
            for key in ("reason", "caveat", "formula", "amount_label"):
                value = getattr(rule, key)
                if value:
                    found.append((f"rule {rule.id}.{key}", value))
            if rule.amount:
                found.append((f"rule {rule.id}.amount", "{calc:" + rule.amount + "}"))
        found.append(("fallback.reason", self.fallback.reason))
        return found


class _Filler:
    """Fills verdict texts: facts valid on `day`, "bạn" or "người này", the amount."""

    def __init__(self, facts: FactBook, day: dt.date, *, other: bool) -> None:
        self.facts = facts
        self.day = day
        self.other = other
        self.used: list[FactValue] = []

    def text(self, template: str, *, amount: int | None = None, what: str = "") -> str:
        lower, upper = SUBJECTS["other" if self.other else "self"]
        filled = template.replace("{subject}", lower).replace("{Subject}", upper)
        if amount is not None:
            filled = filled.replace("{amount}", format_money(amount)).replace("{what}", what)
        rendered = render(filled, self.facts, self.day)
        self.used += [v for v in rendered.facts if v not in self.used]
        return rendered.text

    def amount(self, expression: str | None) -> int:
        rendered = render("{calc:" + (expression or "") + "}", self.facts, self.day)
        self.used += [v for v in rendered.facts if v not in self.used]
        return int(rendered.text.removesuffix(" đ").replace(".", ""))


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
    path: str | Path | None = None,
    *,
    today: dt.date | None = None,
    facts: FactBook | None = None,
) -> Mapping[str, EligibilityCheck]:
    """Every check in `path` (default data/eligibility), keyed by id; raises KnowledgeError.
    Fact names in the texts are checked against `facts` (default: the shipped facts.yml)."""
    root = Path(path) if path is not None else ELIGIBILITY_DIR
    files = sorted([root] if root.is_file() else root.glob("*.yml"))
    documents: list[tuple[str, Any]] = []
    problems: list[Problem] = []
    for file in files:
        name = f"eligibility/{file.name}"
        data, found = read_yaml(file, name)
        problems += found
        if not found:
            documents.append((name, data))
    if not files:
        problems.append(Problem(str(root), "(directory)", "no eligibility *.yml files"))
    if problems:
        raise KnowledgeError(problems)
    return checks_from_documents(
        documents, today=today, facts=facts if facts is not None else default_facts()
    )


def checks_from_documents(
    documents: Iterable[tuple[str, Any]], *, today: dt.date | None, facts: FactBook
) -> Mapping[str, EligibilityCheck]:
    """Validate parsed eligibility files against the facts; raises KnowledgeError."""
    context = {"today": today or today_local()}
    checks: dict[str, EligibilityCheck] = {}
    problems: list[Problem] = []
    for name, raw in documents:
        data = raw
        if isinstance(data, dict):
            data = {k: v for k, v in data.items() if not str(k).startswith("x-")}
        check, found = validate_model(EligibilityCheck, data, file=name, prefix="", context=context)
        if check is not None and check.id in checks:
            found = [Problem(name, "id", f"check {check.id!r} is defined twice")]
        elif check is not None:
            checks[check.id] = check.bound_to(facts)
            found = _fact_problems(name, check, facts)
        problems += found
    if problems:
        raise KnowledgeError(problems)
    return MappingProxyType(checks)


def _fact_problems(file: str, check: EligibilityCheck, facts: FactBook) -> list[Problem]:
    """Facts named in the check exist and can be filled in."""
    problems = []
    for where, template in check.texts():
        plain = template.replace("{subject}", "").replace("{Subject}", "")
        plain = plain.replace("{amount}", "").replace("{what}", "")
        problems += [Problem(file, where, message) for message in check_template(plain, facts)]
    return problems


@lru_cache(maxsize=1)
def default_facts() -> FactBook:
    """The facts shipped in bot/knowledge/data/facts.yml, loaded once."""
    path = ELIGIBILITY_DIR.parent / "facts.yml"
    data, problems = read_yaml(path, "facts.yml")
    if problems:
        raise KnowledgeError(problems)
    book, problems = load_facts(data, file="facts.yml", context={"today": today_local()})
    if problems or book is None:
        raise KnowledgeError(problems)
    return book


@lru_cache(maxsize=1)
def default_checks() -> Mapping[str, EligibilityCheck]:
    """The checks shipped in the repository, loaded once."""
    return load_checks()


def evaluate(check: str, answers: Mapping[str, str], *, on: dt.date | None = None) -> Verdict:
    """Evaluate the shipped check `check` ('allowance' or 'housing') for `answers`."""
    return default_checks()[check].evaluate(answers, on=on)
