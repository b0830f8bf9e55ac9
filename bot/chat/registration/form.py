"""The registration form as a pure state machine: its answers, what is asked next, pre-filling.

No database and no sending here, so every rule of the form (what is asked next, which values
from the profile or the first message are trusted) is unit-tested directly. Which fields
there are, and how each is asked, read and shown, is the step table
(bot.chat.registration.steps); this module knows no field by name except for what the first
message's entities fill in. The handlers in bot.chat.registration.entry only move messages in
and out.

What is pre-filled and so skipped:
- from the first message: phone, commune, target group (the citizen just said them);
- from the profile: what each step's `from_profile` trusts (see the step table).
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from bot.chat.registration.parsing import (
    InputProblem,
    clean_text,
    parse_birth_year,
    parse_commune,
    parse_full_name,
    parse_phone,
    target_group_code,
)
from bot.chat.registration.steps import BY_STEP, FIELD_STEPS, STEPS, Step
from bot.db.models import Citizen
from bot.services.citizens import TARGET_GROUPS
from bot.services.phones import InvalidPhone

__all__ = [
    "FIELD_STEPS",
    "FLOW",
    "InputProblem",
    "RegistrationForm",
    "Step",
    "parse_birth_year",
    "parse_commune",
    "parse_full_name",
    "parse_phone",
    "prefill",
    "target_group_code",
    "toggle_group",
]

FLOW = "registration"
_FIELDS = frozenset(FIELD_STEPS)


class RegistrationForm:
    """Answers so far: the event, and one value per field of the step table.

    A field's value None means "not asked yet" (for target groups, () means "none of them").
    `trade` and `commune_filter` filter the event list, from the first message. Fields read as
    attributes (`form.phone`); the form is immutable, `replace` and `with_value` return a new one.
    """

    __slots__ = ("_values",)

    def __init__(
        self,
        *,
        event_id: int | None = None,
        kind: str | None = None,
        trade: str | None = None,
        commune_filter: str | None = None,
        **fields: Any,
    ) -> None:
        unknown = set(fields) - {step.value for step in FIELD_STEPS}
        if unknown:
            raise TypeError(f"no such form field: {sorted(unknown)}")
        values: dict[str, Any] = {
            "event_id": event_id,
            "kind": kind,
            "trade": trade,
            "commune_filter": commune_filter,
        }
        for step in FIELD_STEPS:
            value = fields.get(step.value)
            values[step.value] = tuple(value) if isinstance(value, list) else value
        object.__setattr__(self, "_values", values)

    def __getattr__(self, name: str) -> Any:
        if name == "_values":  # not set yet (copying): no recursion
            raise AttributeError(name)
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("RegistrationForm is immutable; use replace() or with_value()")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RegistrationForm) and self._values == other._values

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._values.items(), key=lambda item: item[0])))

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self._values.items() if v is not None)
        return f"RegistrationForm({shown})"

    def value(self, step: Step) -> Any:
        return self._values[step.value]

    def replace(self, **changes: Any) -> RegistrationForm:
        return RegistrationForm(**{**self._values, **changes})

    def missing(self) -> Step | None:
        """The first field still empty, or None when the form is complete."""
        if self.event_id is None:
            return Step.EVENT
        for step in FIELD_STEPS:
            if self._values[step.value] is None:
                return step
        return None

    def next_step(self) -> Step:
        return self.missing() or Step.SUMMARY

    def with_value(self, step: Step, value: Any) -> RegistrationForm:
        if step not in _FIELDS and step is not Step.EVENT:
            raise ValueError(f"{step} is not a field")
        name = "event_id" if step is Step.EVENT else step.value
        return self.replace(**{name: value})

    def to_data(self) -> dict[str, Any]:
        """JSON for the database (tuples as lists)."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self._values.items()}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> RegistrationForm:
        """Rebuild from stored JSON, dropping anything of the wrong type (never trust it)."""

        def text(key: str) -> str | None:
            value = data.get(key)
            return value if isinstance(value, str) and value else None

        event_id = data.get("event_id")
        return cls(
            event_id=event_id
            if isinstance(event_id, int) and not isinstance(event_id, bool)
            else None,
            kind=text("kind"),
            trade=text("trade"),
            commune_filter=text("commune_filter"),
            **{step.value: BY_STEP[step].stored(data.get(step.value)) for step in FIELD_STEPS},
        )


def toggle_group(form: RegistrationForm, code: str) -> RegistrationForm:
    if code not in TARGET_GROUPS:
        raise ValueError(f"unknown target group {code!r}")
    chosen = list(form.target_groups or ())
    chosen = [g for g in chosen if g != code] if code in chosen else [*chosen, code]
    return form.replace(target_groups=tuple(chosen))


# -- pre-filling ------------------------------------------------------------------------------


def prefill(
    form: RegistrationForm, citizen: Citizen | None, entities: Mapping[str, str]
) -> RegistrationForm:
    """Fill what is already known; the first message wins over the profile."""
    values: dict[str, Any] = {}
    if citizen is not None and citizen.erased_at is None:
        for field in STEPS:
            known = field.from_profile(citizen)
            if known is not None:
                values[field.field] = known
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
        chosen = tuple(values.get("target_groups") or ())
        values["target_groups"] = chosen if group in chosen else (*chosen, group)
    trade = clean_text(entities.get("trade") or "")
    if trade:
        values["trade"] = trade
    return form.replace(**values)
