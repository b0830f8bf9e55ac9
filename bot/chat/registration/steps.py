"""The registration form as a table: one `FieldStep` per question, in the order it is asked.

Everything the chat does with a field comes from its row: the question and its keyboard, how
a typed answer is read (or that it is answered with buttons only), the polite re-ask after a
wrong answer, what a stored value must look like, what the profile already tells, and how
the value reads in the summary. Adding a field to the form is therefore one `Step` member and
one row here, its wording in bot.texts.registration (question and `FIELD_LABELS`), and a
column on `Citizen` (with its migration) that the completed form is saved into.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup

from bot.chat import keyboards
from bot.chat.registration import parsing
from bot.chat.registration.parsing import InputProblem
from bot.db.models import Citizen
from bot.services.citizens import TARGET_GROUPS
from bot.services.communes import COMMUNES
from bot.services.phones import InvalidPhone
from bot.texts import registration as texts
from bot.texts.common import esc

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | None


class Step(StrEnum):
    """Where a citizen is in the form: the event list, one field, or the summary."""

    EVENT = "event"
    FULL_NAME = "full_name"
    PHONE = "phone"
    BIRTH_YEAR = "birth_year"
    COMMUNE = "commune"
    TARGET_GROUPS = "target_groups"
    SUMMARY = "summary"


def _no_keyboard(current: Any) -> Markup:
    return None


def _text(raw: Any) -> str | None:
    return raw if isinstance(raw, str) and raw else None


def _number(raw: Any) -> int | None:
    return raw if isinstance(raw, int) and not isinstance(raw, bool) else None


@dataclass(frozen=True)
class FieldStep:
    """One question of the form; `step.value` is the form's field and the Citizen column.

    `parse` reads a typed answer (raising `InputProblem` or `InvalidPhone`, which `reask`
    turns into the polite re-ask); None means the field is answered with buttons only.
    `stored` checks a value read back from the database (None: not valid, ask again);
    `from_profile` is what a completed profile already tells (None: ask); `shown` is the value
    as the summary shows it (escaped HTML); `received` is said back after a typed answer.
    """

    step: Step
    prompt: Callable[[], str]
    reask: Callable[[ValueError], str]
    stored: Callable[[Any], Any]
    from_profile: Callable[[Citizen], Any]
    shown: Callable[[Any], str]
    parse: Callable[[str], Any] | None = None
    keyboard: Callable[[Any], Markup] = _no_keyboard
    received: Callable[[Any], str] | None = None

    @property
    def field(self) -> str:
        return self.step.value


def _completed(citizen: Citizen) -> bool:
    """A phone is only ever stored by a completed form (or staff): the profile was asked for."""
    return bool(citizen.phone)


def _birth_year_range() -> tuple[int, int]:
    return parsing.birth_year_range(parsing.current_year())


def _commune(text: str) -> str:
    code = parsing.parse_commune(text)
    if code is None:
        raise InputProblem("unknown_commune")
    return code


def _groups(raw: Any) -> tuple[str, ...] | None:
    if isinstance(raw, list | tuple):
        return tuple(g for g in raw if isinstance(g, str) and g in TARGET_GROUPS)
    return None


def _group_keyboard(current: Iterable[str] | None) -> Markup:
    return keyboards.target_groups(current or ())


def _problem(error: ValueError) -> str:
    return error.code if isinstance(error, InputProblem) else ""


def _phone_problem(error: ValueError) -> str:
    if isinstance(error, InvalidPhone):
        return texts.phone_problem(error.problem)
    return texts.ASK_PHONE


STEPS: tuple[FieldStep, ...] = (
    FieldStep(
        Step.FULL_NAME,
        prompt=lambda: texts.ASK_FULL_NAME,
        parse=parsing.parse_full_name,
        reask=lambda error: texts.NAME_PROBLEMS.get(_problem(error), texts.ASK_FULL_NAME),
        stored=_text,
        # /start may store the Telegram display name ("Lan 🌸"), which is not a full name.
        from_profile=lambda c: c.full_name if _completed(c) and c.full_name else None,
        shown=lambda name: f"<b>{esc(name)}</b>",
    ),
    FieldStep(
        Step.PHONE,
        prompt=lambda: texts.ASK_PHONE,
        parse=parsing.parse_phone,
        keyboard=lambda current: keyboards.share_phone(),
        reask=_phone_problem,
        stored=_text,
        from_profile=lambda c: c.phone or None,
        shown=texts.phone_label,
        received=texts.phone_received,
    ),
    FieldStep(
        Step.BIRTH_YEAR,
        prompt=lambda: texts.ask_birth_year(*_birth_year_range()),
        parse=lambda text: parsing.parse_birth_year(text, parsing.current_year()),
        reask=lambda error: texts.birth_year_problem(*_birth_year_range()),
        stored=_number,
        from_profile=lambda c: c.birth_year or None,
        shown=str,
    ),
    FieldStep(
        Step.COMMUNE,
        prompt=lambda: texts.ASK_COMMUNE,
        parse=_commune,  # buttons, or a commune's name (old names too)
        keyboard=lambda current: keyboards.communes(),
        reask=lambda error: texts.COMMUNE_UNKNOWN,
        stored=lambda raw: raw if _text(raw) in COMMUNES else None,
        from_profile=lambda c: c.commune if c.commune in COMMUNES else None,
        shown=texts.commune_label,
    ),
    FieldStep(
        Step.TARGET_GROUPS,
        prompt=lambda: texts.ASK_TARGET_GROUPS,
        keyboard=_group_keyboard,
        reask=lambda error: texts.ASK_TARGET_GROUPS,
        stored=_groups,  # None: not asked yet; (): "none of them"
        from_profile=lambda c: _groups(c.target_groups or ()) if _completed(c) else None,
        shown=texts.groups_label,
    ),
)

BY_STEP: dict[Step, FieldStep] = {field.step: field for field in STEPS}
#: The fields in the order they are asked (also the order of the "Sửa" buttons).
FIELD_STEPS: tuple[Step, ...] = tuple(field.step for field in STEPS)
