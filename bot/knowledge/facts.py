"""Dated facts: amounts and rules that change on a fixed date, each with its legal source.

The law behind the assistant changes every year or two (the national standard went from
360.000 đ to 500.000 đ on 1/7/2024 and to 540.000 đ on 1/7/2026). Answers and eligibility
verdicts therefore never repeat a number: they name a fact (`{fact:national_standard}`), and the
fact valid on the day of the question is used. One edit here (or in the dashboard) changes every
answer and verdict at once, and a fact whose period ended or whose review is too old is flagged
instead of being shown silently as current.

Template syntax inside answer texts and verdict texts:
  {fact:NAME}          the value valid on the day ("540.000 đ", "1,5", free text)
  {fact:NAME:since}    "từ 1/7/2026: 540.000 đ (trước đó 500.000 đ)"
  {fact:NAME:from}     the first day of the current period ("1/7/2026")
  {fact:NAME:past}     a value that has ended, told as history ("60.000.000 đ", not flagged)
  {calc:EXPR}          a product of facts and numbers, e.g. {calc:qn_standard*1.5} or
                       {calc:20*max(national_standard,qn_standard)}: "1.050.000 đ"
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final

from pydantic import Field, ValidationInfo, field_validator, model_validator

from bot.knowledge.sources import Source, StrictModel, parse_iso_date, to_date

# A review older than this many months is stale: the fact is flagged in answers and listed on
# the dashboard's "cần xem lại" page.
MAX_REVIEW_AGE_MONTHS: Final = 12
FACT_NAME = r"[a-z][a-z0-9_]*"
_PLACEHOLDER: Final = re.compile(r"\{(fact|calc):([^{}]+)\}")
_NUMBER: Final = re.compile(r"\d+(?:[.,]\d+)?")
_MAX: Final = re.compile(rf"max\(({FACT_NAME}(?:,{FACT_NAME})+)\)")
STALE_NOTE: Final = "mức này có thể đã thay đổi, chưa được xác nhận lại; hãy hỏi UBND xã"


class FactKind(StrEnum):
    """How a value is shown: money in đồng, a coefficient, a count of days, or free text."""

    MONEY = "money"
    COEFFICIENT = "coefficient"
    NUMBER = "number"
    TEXT = "text"


class Grade(StrEnum):
    """How sure we are (docs/contracts/domain-facts.md §0): the decree itself is never opened."""

    S = "S"  # a newspaper or government page quoting the text
    S2 = "S2"  # several independent secondary sources agreeing
    W = "W"  # one weak source: never stated as fact


def format_money(value: Decimal | int) -> str:
    """Vietnamese money: 1.050.000 đ (dot thousands, whole đồng)."""
    whole = int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return f"{whole:,}".replace(",", ".") + " đ"


def format_number(value: Decimal) -> str:
    """Vietnamese decimals: 1,5; 2; 10."""
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def short_date(day: dt.date) -> str:
    """1/7/2026, as Vietnamese news and decrees write it."""
    return f"{day.day}/{day.month}/{day.year}"


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole months from `earlier` to `later` (negative when later is earlier)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - 1 if later.day < earlier.day else months


class Period(StrictModel):
    """One value of a fact, valid from `valid_from` to `valid_to` (inclusive; open when None)."""

    value: str | float | int
    valid_from: dt.date
    valid_to: dt.date | None = None
    source: Source
    grade: Grade
    verified: bool = True
    note: str | None = None

    @field_validator("valid_from", "valid_to", mode="before")
    @classmethod
    def _iso(cls, value: Any) -> dt.date | None:
        # Validity dates may lie in the future (a decree announced ahead): no "today" check.
        return None if value is None else to_date(value)

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError(f"valid_to {self.valid_to} is before valid_from {self.valid_from}")
        if self.grade is Grade.W and self.verified:
            raise ValueError("a fact graded W (one weak source) must say verified: false")
        return self

    def covers(self, day: dt.date) -> bool:
        """True when this value applies on `day`."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def decimal(self) -> Decimal:
        """The value as a number; text facts raise."""
        if isinstance(self.value, str):
            raise ValueError(f"{self.value!r} is text, not a number")
        return Decimal(str(self.value))


class Fact(StrictModel):
    """A named, dated fact: its periods in order, its kind and when someone last checked it."""

    label: str = Field(min_length=3)
    kind: FactKind
    reviewed_on: dt.date
    reviewed_by: str | None = None
    periods: tuple[Period, ...] = Field(min_length=1)

    @field_validator("reviewed_on", mode="before")
    @classmethod
    def _iso_reviewed(cls, value: Any, info: ValidationInfo) -> dt.date:
        return parse_iso_date(value, info)

    @model_validator(mode="after")
    def _consistent(self) -> Fact:
        ordered = sorted(self.periods, key=lambda p: p.valid_from)
        if list(ordered) != list(self.periods):
            raise ValueError("periods must be listed oldest first")
        for before, after in itertools.pairwise(ordered):
            if before.valid_to is None or before.valid_to >= after.valid_from:
                raise ValueError(
                    f"periods overlap: the one from {before.valid_from} must end before "
                    f"{after.valid_from}"
                )
        for period in self.periods:
            if self.kind is FactKind.TEXT and not isinstance(period.value, str):
                raise ValueError("a text fact needs text values")
            if self.kind is not FactKind.TEXT:
                try:
                    period.decimal()
                except (ValueError, ArithmeticError):
                    raise ValueError(
                        f"{self.kind} fact needs numbers, got {period.value!r}"
                    ) from None
        return self


@dataclass(frozen=True)
class FactValue:
    """A fact as it stands on one day, with everything needed to show it honestly."""

    name: str
    fact: Fact
    period: Period
    previous: Period | None
    ended: bool  # no period covers the day: the last known value is shown, flagged
    review_stale: bool

    @property
    def flagged(self) -> bool:
        """Never shown silently as current: the period ended or nobody checked it lately."""
        return self.ended or self.review_stale or not self.period.verified

    def display(self) -> str:
        """The value as a citizen reads it."""
        return display_value(self.fact.kind, self.period)


def display_value(kind: FactKind, period: Period) -> str:
    """'540.000 đ', '1,5', '10' or the text itself."""
    if kind is FactKind.MONEY:
        return format_money(period.decimal())
    if kind is FactKind.TEXT:
        return str(period.value)
    return format_number(period.decimal())


@dataclass(frozen=True)
class StaleFact:
    """A fact the dashboard lists as needing review, and why."""

    name: str
    label: str
    reason: str


class FactBook:
    """All facts by name; answers ask it for the value valid on a given day."""

    def __init__(
        self, facts: Mapping[str, Fact], *, max_review_age_months: int = MAX_REVIEW_AGE_MONTHS
    ) -> None:
        self.facts: Mapping[str, Fact] = MappingProxyType(dict(facts))
        self.max_review_age_months = max_review_age_months

    def __contains__(self, name: object) -> bool:
        return name in self.facts

    def on(self, name: str, day: dt.date) -> FactValue:
        """The fact `name` on `day`; KeyError for an unknown name, ValueError before its start."""
        fact = self.facts[name]
        index = next((i for i, p in enumerate(fact.periods) if p.covers(day)), None)
        ended = False
        if index is None:
            started = [i for i, p in enumerate(fact.periods) if p.valid_from <= day]
            if not started:
                raise ValueError(f"fact {name!r} has no value before {fact.periods[0].valid_from}")
            index, ended = started[-1], True
        period = fact.periods[index]
        previous = fact.periods[index - 1] if index > 0 else None
        stale = months_between(fact.reviewed_on, day) > self.max_review_age_months
        return FactValue(name, fact, period, previous, ended, stale)

    def stale(self, day: dt.date) -> list[StaleFact]:
        """Facts an officer must look at: period ended, review too old, or not verified."""
        found: list[StaleFact] = []
        for name, fact in self.facts.items():
            try:
                value = self.on(name, day)
            except ValueError:
                continue
            reasons = []
            if value.ended:
                reasons.append(
                    f"hết hiệu lực từ {short_date(value.period.valid_to)}"
                    if value.period.valid_to
                    else "hết hiệu lực"
                )
            if value.review_stale:
                reasons.append(
                    f"rà soát lần cuối {short_date(fact.reviewed_on)}, quá "
                    f"{self.max_review_age_months} tháng"
                )
            if not value.period.verified:
                reasons.append("chưa được xác nhận (nguồn yếu)")
            if reasons:
                found.append(StaleFact(name, fact.label, "; ".join(reasons)))
        return found


@dataclass(frozen=True)
class Rendered:
    """A template with its facts filled in for one day."""

    text: str
    facts: tuple[FactValue, ...]
    history: tuple[FactValue, ...] = ()

    @property
    def sources(self) -> tuple[Source, ...]:
        """The legal sources of the facts used, current period only, without repeats."""
        seen: dict[str, Source] = {}
        for value in (*self.facts, *self.history):
            seen.setdefault(value.period.source.document, value.period.source)
        return tuple(seen.values())

    @property
    def flagged(self) -> tuple[FactValue, ...]:
        """Facts in this text that must not be shown as plainly current."""
        return tuple(value for value in self.facts if value.flagged)

    @property
    def unverified(self) -> tuple[FactValue, ...]:
        """Facts whose current value rests on one weak source."""
        return tuple(value for value in self.facts if not value.period.verified)


class TemplateError(ValueError):
    """A placeholder names an unknown fact or cannot be computed."""


def placeholders(text: str) -> list[tuple[str, str]]:
    """Every (kind, body) placeholder in `text`, in order."""
    return [(m.group(1), m.group(2)) for m in _PLACEHOLDER.finditer(text)]


def fact_names(text: str) -> set[str]:
    """The fact names a template refers to."""
    names: set[str] = set()
    for kind, body in placeholders(text):
        if kind == "fact":
            names.add(body.split(":")[0].strip())
        else:
            for factor in body.replace(" ", "").split("*"):
                if _NUMBER.fullmatch(factor):
                    continue
                found = _MAX.fullmatch(factor)
                names.update(found.group(1).split(",") if found else [factor])
    return names


def render(text: str, book: FactBook, day: dt.date) -> Rendered:
    """Fill every placeholder of `text` with the facts valid on `day`."""
    used: dict[str, FactValue] = {}
    history: dict[str, FactValue] = {}

    def value_of(name: str, *, past: bool = False) -> FactValue:
        if name not in book:
            raise TemplateError(f"unknown fact {name!r}")
        target = history if past else used
        if name not in target:
            target[name] = book.on(name, day)
        return target[name]

    def replace(match: re.Match[str]) -> str:
        kind, body = match.group(1), match.group(2).strip()
        if kind == "calc":
            return format_money(_calculate(body, value_of))
        name, _, mode = body.partition(":")
        if mode == "past":
            return value_of(name.strip(), past=True).display()
        value = value_of(name.strip())
        if mode == "":
            return value.display()
        if mode == "from":
            return short_date(value.period.valid_from)
        if mode == "since":
            text = f"từ {short_date(value.period.valid_from)}: {value.display()}"
            if value.previous is not None:
                text += f" (trước đó {display_value(value.fact.kind, value.previous)})"
            return text
        raise TemplateError(f"unknown placeholder mode {mode!r} in {{fact:{body}}}")

    filled = _PLACEHOLDER.sub(replace, text)
    told_as_history = tuple(v for name, v in history.items() if name not in used)
    return Rendered(filled, tuple(used.values()), told_as_history)


def _calculate(expression: str, value_of: Any) -> Decimal:
    """A product of numbers, facts and max(fact,fact,…): the only arithmetic answers need."""
    total = Decimal(1)
    money = False
    for factor in expression.replace(" ", "").split("*"):
        if _NUMBER.fullmatch(factor):
            total *= Decimal(factor.replace(",", "."))
            continue
        names = [factor]
        if (found := _MAX.fullmatch(factor)) is not None:
            names = found.group(1).split(",")
        elif not re.fullmatch(FACT_NAME, factor):
            raise TemplateError(f"cannot compute {factor!r} in {{calc:{expression}}}")
        values = [value_of(name) for name in names]
        if any(v.fact.kind is FactKind.TEXT for v in values):
            raise TemplateError(f"{{calc:{expression}}} uses a text fact")
        money = money or any(v.fact.kind is FactKind.MONEY for v in values)
        total *= max(v.period.decimal() for v in values)
    if not money:
        raise TemplateError(f"{{calc:{expression}}} must involve an amount of money")
    return total


def check_template(text: str, book: FactBook) -> list[str]:
    """Problems of a template against the fact book (unknown facts, bad expressions)."""
    problems = []
    for name in sorted(fact_names(text)):
        if name not in book:
            problems.append(f"unknown fact {name!r} (facts.yml)")
    if problems:
        return problems
    days = boundary_days(book, fact_names(text))
    for day in days:
        try:
            render(text, book, day)
        except TemplateError as error:
            return [str(error)]
        except ValueError:
            continue  # before the fact existed: that day is simply not rendered
    return []


def boundary_days(book: FactBook, names: Iterable[str]) -> list[dt.date]:
    """The first day of every period of the named facts: where a rendered text can change."""
    days = {p.valid_from for name in names if name in book for p in book.facts[name].periods}
    return sorted(days)


def load_facts(
    data: Any, *, file: str, context: Mapping[str, Any]
) -> tuple[FactBook | None, list[Any]]:
    """A FactBook from the parsed facts.yml (`facts:` mapping), or the problems found."""
    from bot.knowledge.errors import Problem, validate_model

    problems: list[Problem] = []
    if not isinstance(data, dict) or not isinstance(data.get("facts"), dict):
        return None, [Problem(file, "facts", "must map fact names to facts")]
    facts: dict[str, Fact] = {}
    for name, raw in data["facts"].items():
        if not re.fullmatch(FACT_NAME, str(name)):
            problems.append(Problem(file, f"facts.{name}", "names are lower_case_with_underscores"))
            continue
        fact, found = validate_model(Fact, raw, file=file, prefix=f"facts.{name}", context=context)
        problems += found
        if fact is not None:
            facts[name] = fact
    return FactBook(facts), problems


def sources_of(values: Sequence[FactValue]) -> tuple[Source, ...]:
    """Sources of the given fact values, without repeats."""
    return Rendered("", tuple(values)).sources
