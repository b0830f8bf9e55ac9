"""Reading what people type into the registration form: names, phones, years, communes.

Pure functions, no Telegram and no database: each returns the value to store or raises
`InputProblem` (whose `code` picks the polite re-ask in bot.texts) or `InvalidPhone`. The
step table (bot.chat.registration.steps) says which parser reads which field.
"""

from __future__ import annotations

import re
import unicodedata

from bot.knowledge.vocab import fold_key, normalise_target_group
from bot.services.citizens import TARGET_GROUPS
from bot.services.clock import to_local, utcnow
from bot.services.communes import resolve_commune
from bot.services.phones import normalize_phone
from nlu.phone import find_phones

MIN_BIRTH_YEAR = 1930
MIN_AGE = 15
NAME_MIN, NAME_MAX = 2, 100


def current_year() -> int:
    """This year in Đầm Hà (birth years are checked against it)."""
    return to_local(utcnow()).year


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
