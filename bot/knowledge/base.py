"""Typed model of the knowledge base: answers per intent, their variants, sources, communes.

Pydantic validates each YAML entry field by field, so an error names the exact field that is
wrong. Checks that need more than one field (the date of today, the commune directory, the
intent an entry belongs to) get what they need through the validation context or run in
`bot.knowledge.loader`.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from pydantic import Field, ValidationInfo, field_validator, model_validator

from bot.knowledge.checks import CAVEAT_PHRASE, CONFIRM_PLACE, template_problems, today_local
from bot.knowledge.facts import FactBook, render
from bot.knowledge.sources import (
    Source,
    StrictModel,
    parse_iso_date,
    sources_line,
)
from bot.knowledge.vocab import (
    NEIGHBOUR_SERVICES,
    TARGET_GROUPS,
    fold_key,
    normalise_target_group,
)

if TYPE_CHECKING:  # eligibility imports this module; the annotation alone needs it
    from bot.knowledge.eligibility import EligibilityCheck


class Variant(StrictModel):
    """One answer text; the default has no key, a variant `target_group` (one or a list),
    `neighbour` (a service next door, for out_of_scope: where to ask instead) or `commune`."""

    target_group: tuple[str, ...] = ()
    neighbour: str | None = None
    commune: str | None = None
    text: str
    # Buttons of this variant when they differ from the entry's (a referral for land offers
    # the housing answer, one for social insurance the social pension): 0 or 2–4 intents.
    follow_ups: tuple[str, ...] = ()
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
        problems = template_problems(value)
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

    @field_validator("neighbour")
    @classmethod
    def _known_neighbour(cls, value: str | None) -> str | None:
        if value is not None and value not in NEIGHBOUR_SERVICES:
            raise ValueError(f"unknown neighbour {value!r}; known: {', '.join(NEIGHBOUR_SERVICES)}")
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
        if self.follow_ups and not 2 <= len(self.follow_ups) <= 4:
            raise ValueError("a variant's follow_ups list 2 to 4 intents (or none: the entry's)")
        if sum(map(bool, (self.target_group, self.neighbour, self.commune))) > 1:
            raise ValueError(
                "a variant is chosen by one of target_group, neighbour or commune, not several"
            )
        if self.text.count(CAVEAT_PHRASE) > 1:
            raise ValueError(f"say {CAVEAT_PHRASE!r} at most once per answer")
        if self.verified and CAVEAT_PHRASE in self.text:
            raise ValueError(
                f"says {CAVEAT_PHRASE!r} but verified: true: list what is "
                "unverified, or remove the phrase if the fact is settled"
            )
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
        """'default', 'target_group=người cao tuổi', 'neighbour=đất đai' or 'commune=xã Đầm
        Hà' (for logs, officers' edits and stored versions)."""
        if self.target_group:
            return f"target_group={'|'.join(self.target_group)}"
        if self.neighbour:
            return f"neighbour={self.neighbour}"
        if self.commune:
            return f"commune={self.commune}"
        return "default"


class Entry(StrictModel):
    """Everything the knowledge base says for one intent."""

    follow_ups: tuple[str, ...] = Field(min_length=2, max_length=4)
    urgent: bool = False
    default: Variant
    variants: tuple[Variant, ...] = ()

    @model_validator(mode="after")
    def _well_keyed(self) -> Entry:
        if self.default.key != "default":
            raise ValueError("`default` must not name a target_group, neighbour or commune")
        if any(variant.key == "default" for variant in self.variants):
            raise ValueError("every variant needs a target_group, a neighbour or a commune")
        keys = [group for variant in self.variants for group in variant.target_group]
        keys += [variant.neighbour for variant in self.variants if variant.neighbour]
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


@dataclass(frozen=True)
class Answer:
    """The answer chosen for one message, facts filled in for the day it is asked."""

    intent: str
    text: str
    sources: tuple[Source, ...]
    reviewed_on: dt.date
    verified: bool
    follow_ups: tuple[str, ...]
    variant: str = "default"
    # Emergency: show at once and flag the conversation to staff (the chat side does both).
    urgent: bool = False
    # Facts in the text whose period ended or whose review is too old (names); the text then
    # carries STALE_NOTE so they are never shown silently as current.
    stale_facts: tuple[str, ...] = ()

    def sources_line(self) -> str:
        """'Nguồn: … (dd/mm/yyyy) · cập nhật dd/mm/yyyy', HTML-escaped; '' without sources."""
        return sources_line(self.sources, self.reviewed_on)

    def render_html(self) -> str:
        """The text for Telegram (parse mode HTML), with the sources line in italics."""
        line = self.sources_line()
        return f"{self.text}\n\n<i>{line}</i>" if line else self.text


class UnknownIntent(KeyError):
    """`answer()` was asked for an intent the contract does not have."""


def stale_note(labels: Sequence[str]) -> str:
    """Said under an answer whose facts may be out of date (period ended, review too old)."""
    named = "; ".join(html.escape(label, quote=False) for label in labels)
    return (
        f"<i>Lưu ý: số liệu có thể đã cũ ({named}); hãy hỏi UBND xã nơi cư trú trước khi "
        "dựa vào.</i>"
    )


class KnowledgeBase:
    """Validated answers for every contract intent, the dated facts and the eligibility checks.

    `answer()` fills the facts valid on the day asked (the clock is injected, so tests pin
    dates). A live knowledge base (`bot.knowledge.store`) overrides `_snapshot` to return the
    latest published version, so the chat side keeps one object and sees officers' edits
    without a restart.
    """

    def __init__(
        self,
        entries: Mapping[str, Entry],
        communes: CommuneDirectory,
        checks: Mapping[str, EligibilityCheck] | None = None,
        facts: FactBook | None = None,
        *,
        clock: Callable[[], dt.date] = today_local,
    ) -> None:
        self._entries = MappingProxyType(dict(entries))
        self._communes = communes
        self._checks = MappingProxyType(dict(checks or {}))
        self._facts = facts if facts is not None else FactBook({})
        self.clock = clock

    def _snapshot(self) -> KnowledgeBase:
        """The version answers come from: itself here, the latest published one when live."""
        return self

    @property
    def entries(self) -> Mapping[str, Entry]:
        return self._snapshot()._entries

    @property
    def communes(self) -> CommuneDirectory:
        return self._snapshot()._communes

    @property
    def checks(self) -> Mapping[str, EligibilityCheck]:
        return self._snapshot()._checks

    @property
    def facts(self) -> FactBook:
        return self._snapshot()._facts

    def today(self) -> dt.date:
        """The day whose facts apply (Asia/Ho_Chi_Minh unless a clock was injected)."""
        return self.clock()

    def answer(
        self, intent: str, entities: Mapping[str, str] | None = None, *, on: dt.date | None = None
    ) -> Answer:
        """The answer for `intent`: the target_group variant, else the neighbouring service's,
        else commune, else default; facts filled in as valid on `on` (default: today)."""
        snapshot = self._snapshot()
        entry = snapshot._entries.get(intent)
        if entry is None:
            raise UnknownIntent(intent)
        variant = snapshot._pick(entry, entities or {})
        return render_variant(intent, entry, variant, snapshot._facts, on or self.today())

    def _pick(self, entry: Entry, entities: Mapping[str, str]) -> Variant:
        group = normalise_target_group(entities.get("target_group"))
        if group is not None:
            for variant in entry.variants:
                if group in variant.target_group:
                    return variant
        neighbour = entities.get("neighbour")
        if neighbour is not None:
            for variant in entry.variants:
                if variant.neighbour == neighbour:
                    return variant
        commune = self._communes.resolve(entities.get("commune"))
        if commune is not None:
            for variant in entry.variants:
                if variant.commune == commune:
                    return variant
        return entry.default


def render_variant(
    intent: str, entry: Entry, variant: Variant, facts: FactBook, day: dt.date
) -> Answer:
    """One variant as the citizen sees it on `day`: facts filled in, their sources added."""
    rendered = render(variant.text, facts, day)
    text = rendered.text
    flagged = rendered.flagged
    stale = [value for value in flagged if value.ended or value.review_stale]
    if stale:
        text += "\n" + stale_note([value.fact.label for value in stale])
    sources = list({s.document: s for s in (*rendered.sources, *variant.sources)}.values())
    return Answer(
        intent=intent,
        text=text,
        sources=tuple(sources),
        reviewed_on=variant.reviewed_on,
        verified=variant.verified and not rendered.unverified,
        follow_ups=variant.follow_ups or entry.follow_ups,
        variant=variant.key,
        urgent=entry.urgent,
        stale_facts=tuple(value.name for value in stale),
    )
