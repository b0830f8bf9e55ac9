"""Typed model of the knowledge base: answers per intent, their variants, sources, communes.

Pydantic validates each YAML entry field by field, so an error names the exact field that is
wrong. Checks that need more than one field (the date of today, the commune directory, the
intent an entry belongs to) get what they need through the validation context or run in
`bot.knowledge.loader`.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from bot.knowledge.checks import CAVEAT_PHRASE, CONFIRM_PLACE, format_vn_date, text_problems
from bot.knowledge.vocab import TARGET_GROUPS, fold_key, normalise_target_group

if TYPE_CHECKING:  # eligibility imports this module; the annotation alone needs it
    from bot.knowledge.eligibility import EligibilityCheck

# Sources shown on the "Nguồn:" line; the rest stay in the data for staff.
MAX_SOURCES_SHOWN = 3


def parse_iso_date(value: Any, info: ValidationInfo) -> dt.date:
    """An ISO date (YYYY-MM-DD) that is not in the future; YAML gives `date` objects."""
    day: dt.date
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        day = value
    elif isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"must be an ISO date like 2026-11-29, got {value!r}") from None
    else:
        raise ValueError(f"must be an ISO date like 2026-11-29, got {value!r}")
    today = (info.context or {}).get("today")
    if isinstance(today, dt.date) and day > today:
        raise ValueError(f"{day.isoformat()} is in the future (today is {today.isoformat()})")
    return day


class StrictModel(BaseModel):
    """Unknown keys are typos: refuse them instead of ignoring them."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Source(StrictModel):
    """A document an answer rests on; `date` is the document's date, `note` any reservation."""

    document: str = Field(min_length=3)
    date: dt.date | None = None
    url: str | None = None
    note: str | None = None

    @field_validator("date", mode="before")
    @classmethod
    def _iso_date(cls, value: Any, info: ValidationInfo) -> dt.date | None:
        return None if value is None else parse_iso_date(value, info)

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError(f"must start with http:// or https://, got {value!r}")
        return value

    @model_validator(mode="after")
    def _dated_or_explained(self) -> Source:
        if self.date is None and not self.note:
            raise ValueError(f"{self.document!r}: give its date, or a note saying why not")
        return self

    def label(self) -> str:
        """How the citizen sees it: 'Nghị định 20/2021/NĐ-CP (15/03/2021)'."""
        if self.date is None:
            return self.document
        return f"{self.document} ({format_vn_date(self.date)})"


class Variant(StrictModel):
    """One answer text; the default has no key, a variant `target_group` (one or a list) or
    `commune`."""

    target_group: tuple[str, ...] = ()
    commune: str | None = None
    text: str
    sources: tuple[Source, ...] = ()
    reviewed_on: dt.date
    verified: bool = True
    unverified: tuple[str, ...] = Field(default=(), description="what is not confirmed")

    @field_validator("reviewed_on", mode="before")
    @classmethod
    def _iso_reviewed(cls, value: Any, info: ValidationInfo) -> dt.date:
        return parse_iso_date(value, info)

    @field_validator("text")
    @classmethod
    def _readable(cls, value: str) -> str:
        problems = text_problems(value)
        if problems:
            raise ValueError("; ".join(problems))
        return value.strip()

    @field_validator("target_group", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else value

    @field_validator("target_group")
    @classmethod
    def _known_groups(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for group in value:
            if group not in TARGET_GROUPS:
                hint = normalise_target_group(group)
                suggestion = f" (did you mean {hint!r}?)" if hint else ""
                raise ValueError(
                    f"unknown target_group {group!r}{suggestion}; known: {', '.join(TARGET_GROUPS)}"
                )
        return value

    @field_validator("commune")
    @classmethod
    def _known_commune(cls, value: str | None, info: ValidationInfo) -> str | None:
        directory = (info.context or {}).get("communes")
        known = directory.names if isinstance(directory, CommuneDirectory) else None
        if value is not None and known is not None and value not in known:
            raise ValueError(f"unknown commune {value!r}; known: {', '.join(sorted(known))}")
        return value

    @model_validator(mode="after")
    def _caveat_when_unverified(self) -> Variant:
        if self.target_group and self.commune:
            raise ValueError("a variant is chosen by target_group or by commune, not both")
        if self.unverified and self.verified:
            raise ValueError("lists `unverified` facts but says verified: true")
        if not self.verified:
            if not self.unverified:
                raise ValueError("verified: false needs `unverified`: what is not confirmed")
            if CAVEAT_PHRASE not in self.text or CONFIRM_PLACE not in self.text:
                raise ValueError(
                    f"verified: false, so the text must say {CAVEAT_PHRASE!r} and send the "
                    f"citizen to {CONFIRM_PLACE!r} (UBND xã nơi cư trú)"
                )
        return self

    @property
    def key(self) -> str:
        """'default', 'target_group=người cao tuổi' or 'commune=xã Đầm Hà' (for logs)."""
        if self.target_group:
            return f"target_group={'|'.join(self.target_group)}"
        if self.commune:
            return f"commune={self.commune}"
        return "default"


class Entry(StrictModel):
    """Everything the knowledge base says for one intent."""

    follow_ups: tuple[str, ...] = Field(min_length=2, max_length=4)
    default: Variant
    variants: tuple[Variant, ...] = ()

    @model_validator(mode="after")
    def _well_keyed(self) -> Entry:
        if self.default.key != "default":
            raise ValueError("`default` must not name a target_group or commune")
        if any(variant.key == "default" for variant in self.variants):
            raise ValueError("every variant needs a target_group or a commune")
        keys = [group for variant in self.variants for group in variant.target_group]
        keys += [variant.commune for variant in self.variants if variant.commune]
        duplicates = sorted({key for key in keys if keys.count(key) > 1})
        if duplicates:
            raise ValueError(f"more than one variant for: {', '.join(duplicates)}")
        if len(set(self.follow_ups)) != len(self.follow_ups):
            raise ValueError(f"follow_ups repeat an intent: {list(self.follow_ups)}")
        return self

    def all_variants(self) -> tuple[Variant, ...]:
        """The default first, then the keyed variants."""
        return (self.default, *self.variants)


class NewCommune(StrictModel):
    """A commune since the 2025 reorganisation and the former units it was formed from."""

    name: str
    since: dt.date
    formed_from: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()


class FormerUnit(StrictModel):
    """A former commune whose place after the mergers is not known."""

    name: str
    note: str


class CommuneDirectory(StrictModel):
    """Old and new commune names of the Đầm Hà area and how they map (communes.yml)."""

    mapping_verified: bool
    sources: tuple[Source, ...] = Field(min_length=1)
    reviewed_on: dt.date
    communes: tuple[NewCommune, ...] = Field(min_length=1)
    unmapped: tuple[FormerUnit, ...] = ()

    @field_validator("reviewed_on", mode="before")
    @classmethod
    def _iso_reviewed(cls, value: Any, info: ValidationInfo) -> dt.date:
        return parse_iso_date(value, info)

    @property
    def names(self) -> frozenset[str]:
        """Names a variant may be keyed by: the new communes and the unmapped former units."""
        return frozenset(c.name for c in self.communes) | {u.name for u in self.unmapped}

    def resolve(self, value: str | None) -> str | None:
        """The variant name for a commune entity value: old names give their new commune."""
        if not value:
            return None
        index = self._index()
        key = fold_key(value)
        return index.get(key) or index.get(key.removeprefix("xa "))

    def _index(self) -> dict[str, str]:
        index: dict[str, str] = {}
        for commune in self.communes:
            for spelling in (commune.name, *commune.aliases, *commune.formed_from):
                index.setdefault(fold_key(spelling), commune.name)
                index.setdefault(fold_key(spelling).removeprefix("xa "), commune.name)
        for unit in self.unmapped:
            index.setdefault(fold_key(unit.name), unit.name)
        return index


def sources_line(sources: Sequence[Source], reviewed_on: dt.date) -> str:
    """The short line citizens see under an answer or a verdict; '' when there are no sources."""
    if not sources:
        return ""
    shown = [html.escape(s.label(), quote=False) for s in sources[:MAX_SOURCES_SHOWN]]
    hidden = len(sources) - len(shown)
    more = f" và {hidden} nguồn khác" if hidden > 0 else ""
    return f"Nguồn: {'; '.join(shown)}{more} · cập nhật {format_vn_date(reviewed_on)}"


@dataclass(frozen=True)
class Answer:
    """The answer chosen for one message, ready to render."""

    intent: str
    text: str
    sources: tuple[Source, ...]
    reviewed_on: dt.date
    verified: bool
    follow_ups: tuple[str, ...]
    variant: str = "default"

    def sources_line(self) -> str:
        """'Nguồn: … (dd/mm/yyyy) · cập nhật dd/mm/yyyy', HTML-escaped; '' without sources."""
        return sources_line(self.sources, self.reviewed_on)

    def render_html(self) -> str:
        """The text for Telegram (parse mode HTML), with the sources line in italics."""
        line = self.sources_line()
        return f"{self.text}\n\n<i>{line}</i>" if line else self.text


class UnknownIntent(KeyError):
    """`answer()` was asked for an intent the contract does not have."""


@dataclass(frozen=True)
class KnowledgeBase:
    """Validated answers for every contract intent and the eligibility checks, by id."""

    entries: Mapping[str, Entry]
    communes: CommuneDirectory
    checks: Mapping[str, EligibilityCheck] = field(default_factory=lambda: MappingProxyType({}))

    def answer(self, intent: str, entities: Mapping[str, str] | None = None) -> Answer:
        """The answer for `intent`: the target_group variant, else commune, else default."""
        entry = self.entries.get(intent)
        if entry is None:
            raise UnknownIntent(intent)
        variant = self._pick(entry, entities or {})
        return Answer(
            intent=intent,
            text=variant.text,
            sources=variant.sources,
            reviewed_on=variant.reviewed_on,
            verified=variant.verified,
            follow_ups=entry.follow_ups,
            variant=variant.key,
        )

    def _pick(self, entry: Entry, entities: Mapping[str, str]) -> Variant:
        group = normalise_target_group(entities.get("target_group"))
        if group is not None:
            for variant in entry.variants:
                if group in variant.target_group:
                    return variant
        commune = self.communes.resolve(entities.get("commune"))
        if commune is not None:
            for variant in entry.variants:
                if variant.commune == commune:
                    return variant
        return entry.default
