"""The registration form as a pure state machine: fields, their order, parsing, pre-filling.

No Telegram and no database here, so every rule of the form (what is asked next, what counts
as a name or a birth year, which values from the profile or the first message are trusted) is
unit-tested directly. The handlers in bot.flows.registration only move messages in and out.

What is pre-filled and so skipped:
- from the first message: phone, commune, target group (the citizen just said them);
- from the profile: phone, birth year, commune and target groups when set; the full name only
  when the profile also has a phone. /start may store the Telegram display name ("Lan 🌸")
  with the consent, which is not a full name; a phone is only ever stored by a completed form
  (an earlier registration, or staff), so it marks a profile whose name was asked for.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from typing import Any

from bot.db.models import Citizen
from bot.knowledge.vocab import fold_key, normalise_target_group
from bot.services.citizens import TARGET_GROUPS
from bot.services.communes import COMMUNES, resolve_commune
from bot.services.phones import InvalidPhone, normalize_phone
from nlu.phone import find_phones

FLOW = "registration"
MIN_BIRTH_YEAR = 1930
MIN_AGE = 15
NAME_MIN, NAME_MAX = 2, 100


class Step(StrEnum):
    EVENT = "event"
    FULL_NAME = "full_name"
    PHONE = "phone"
    BIRTH_YEAR = "birth_year"
    COMMUNE = "commune"
    TARGET_GROUPS = "target_groups"
    SUMMARY = "summary"


#: The fields in the order they are asked (also the order of the "Sửa" buttons).
FIELD_STEPS: tuple[Step, ...] = (
    Step.FULL_NAME,
    Step.PHONE,
    Step.BIRTH_YEAR,
    Step.COMMUNE,
    Step.TARGET_GROUPS,
)
#: Steps answered with inline buttons (typed text is re-asked, except communes by name).
BUTTON_STEPS = frozenset({Step.EVENT, Step.COMMUNE, Step.TARGET_GROUPS, Step.SUMMARY})

# The NLU's canonical target_group values (nlu/data/lookups/target_groups.yml) -> desk codes.
_ENTITY_GROUPS: dict[str, str] = {
    fold_key(name): code
    for name, code in {
        "hộ nghèo": "poor_household",
        "hộ cận nghèo": "near_poor_household",
        "người cao tuổi": "elderly",
        "người khuyết tật": "disabled",
        "người dân tộc thiểu số": "ethnic_minority",
        "người đơn thân nuôi con": "single_parent",
        "người thất nghiệp": "unemployed",
        "thanh niên": "youth",
        "bộ đội xuất ngũ": "demobilised_soldier",
        "người bị thu hồi đất": "land_acquired",
        "lao động nông thôn": "rural_worker",
        "phụ nữ": "woman",
    }.items()
}


class InputProblem(ValueError):
    """What the citizen typed does not fit the field; `code` picks the polite re-ask."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class RegistrationForm:
    """Answers so far. `target_groups` None means "not asked yet", () means "none of them"."""

    event_id: int | None = None
    kind: str | None = None
    full_name: str | None = None
    phone: str | None = None
    birth_year: int | None = None
    commune: str | None = None
    target_groups: tuple[str, ...] | None = None
    trade: str | None = None  # filters for the event list, from the first message
    commune_filter: str | None = None

    def missing(self) -> Step | None:
        """The first field still empty, or None when the form is complete."""
        if self.event_id is None:
            return Step.EVENT
        for step in FIELD_STEPS:
            if getattr(self, step.value) is None:
                return step
        return None

    def next_step(self) -> Step:
        return self.missing() or Step.SUMMARY

    def with_value(self, step: Step, value: Any) -> RegistrationForm:
        if step not in FIELD_STEPS and step is not Step.EVENT:
            raise ValueError(f"{step} is not a field")
        name = "event_id" if step is Step.EVENT else step.value
        return replace(self, **{name: value})

    def to_data(self) -> dict[str, Any]:
        data = asdict(self)
        if self.target_groups is not None:
            data["target_groups"] = list(self.target_groups)
        return data

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> RegistrationForm:
        """Rebuild from stored JSON, dropping anything of the wrong type (never trust it)."""

        def text(key: str) -> str | None:
            value = data.get(key)
            return value if isinstance(value, str) and value else None

        def number(key: str) -> int | None:
            value = data.get(key)
            return value if isinstance(value, int) and not isinstance(value, bool) else None

        groups = data.get("target_groups")
        return cls(
            event_id=number("event_id"),
            kind=text("kind"),
            full_name=text("full_name"),
            phone=text("phone"),
            birth_year=number("birth_year"),
            commune=text("commune") if text("commune") in COMMUNES else None,
            target_groups=(
                tuple(g for g in groups if isinstance(g, str) and g in TARGET_GROUPS)
                if isinstance(groups, list)
                else None
            ),
            trade=text("trade"),
            commune_filter=text("commune_filter"),
        )


# -- parsing what people type ---------------------------------------------------------------


def clean_text(text: str) -> str:
    """NFC, single spaces: what every typed value goes through first."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def parse_full_name(text: str) -> str:
    name = clean_text(text)
    if any(char.isdigit() for char in name):
        raise InputProblem("has_digits")
    if not any(char.isalpha() for char in name):
        raise InputProblem("no_letters")
    if len(name) < NAME_MIN:
        raise InputProblem("too_short")
    if len(name) > NAME_MAX:
        raise InputProblem("too_long")
    return name


def parse_phone(text: str) -> str:
    """+84… from typed text ("số tôi là 0912 345 678" too); raises `InvalidPhone`."""
    found = find_phones(clean_text(text))
    if len(found) == 1:
        return normalize_phone(found[0][2])
    return normalize_phone(clean_text(text))


def birth_year_range(current_year: int) -> tuple[int, int]:
    return MIN_BIRTH_YEAR, current_year - MIN_AGE


_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def parse_birth_year(text: str, current_year: int) -> int:
    low, high = birth_year_range(current_year)
    years = _YEAR.findall(unicodedata.normalize("NFKC", text))
    if len(years) != 1:
        raise InputProblem("not_a_year")
    year = int(years[0])
    if not low <= year <= high:
        raise InputProblem("out_of_range")
    return year


def parse_commune(text: str) -> str | None:
    """The commune code for a new or former name ("Dực Yên" -> quang_tan), or None."""
    cleaned = clean_text(text)
    return resolve_commune(cleaned) if cleaned else None


def target_group_code(value: str | None) -> str | None:
    """The desk code for an NLU `target_group` value (any spelling) or for a code."""
    if not value:
        return None
    if value in TARGET_GROUPS:
        return value
    canonical = normalise_target_group(value) or value
    return _ENTITY_GROUPS.get(fold_key(canonical))


def toggle_group(form: RegistrationForm, code: str) -> RegistrationForm:
    if code not in TARGET_GROUPS:
        raise ValueError(f"unknown target group {code!r}")
    chosen = list(form.target_groups or ())
    chosen = [g for g in chosen if g != code] if code in chosen else [*chosen, code]
    return replace(form, target_groups=tuple(chosen))


# -- pre-filling ------------------------------------------------------------------------------


def prefill(
    form: RegistrationForm, citizen: Citizen | None, entities: Mapping[str, str]
) -> RegistrationForm:
    """Fill what is already known; the first message wins over the profile."""
    values: dict[str, Any] = {}
    if citizen is not None and citizen.erased_at is None:
        completed = bool(citizen.phone)
        if completed and citizen.full_name:
            values["full_name"] = citizen.full_name
        if citizen.phone:
            values["phone"] = citizen.phone
        if citizen.birth_year:
            values["birth_year"] = citizen.birth_year
        if citizen.commune in COMMUNES:
            values["commune"] = citizen.commune
        if completed:
            values["target_groups"] = tuple(
                g for g in (citizen.target_groups or ()) if g in TARGET_GROUPS
            )
    phone = entities.get("phone")
    if phone:
        with contextlib.suppress(InvalidPhone):
            values["phone"] = parse_phone(phone)
    commune = parse_commune(entities.get("commune") or "")
    if commune is not None:
        values["commune"] = commune
        values["commune_filter"] = commune
    group = target_group_code(entities.get("target_group"))
    if group is not None:
        known = tuple(values.get("target_groups") or ())
        values["target_groups"] = known if group in known else (*known, group)
    trade = clean_text(entities.get("trade") or "")
    if trade:
        values["trade"] = trade
    return replace(form, **values)
