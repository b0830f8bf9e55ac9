"""Submitting a completed registration form: the profile saved and the registration made,
together in one transaction or not at all. No Telegram here."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.chat.desk import has_consent
from bot.chat.registration.form import RegistrationForm
from bot.chat.registration.steps import STEPS
from bot.db.engine import Database
from bot.db.models import Citizen, Event, Registration
from bot.services.actors import citizen_actor
from bot.services.citizens import CitizenProfile, get_citizen_by_telegram_id, update_citizen
from bot.services.errors import Reason, RegistrationRefused
from bot.services.registrations import register


@dataclass(frozen=True)
class Submitted:
    registration: Registration
    event: Event
    created: bool


async def submit(
    db: Database, telegram_user_id: int, form: RegistrationForm, *, now: datetime | None = None
) -> Submitted:
    """Save the profile and register, together or not at all.

    Raises `RegistrationRefused` (also for a citizen without consent), `CitizenDataRefused`
    or `InvalidPhone`; the form is complete when this is called.
    """
    if form.missing() is not None or form.event_id is None or form.full_name is None:
        raise ValueError(f"form incomplete: {form.missing()}")
    async with db.transaction() as session:
        person = await get_citizen_by_telegram_id(
            session=session, telegram_user_id=telegram_user_id
        )
        if person is None:
            raise RegistrationRefused(Reason.CONSENT_MISSING)
        target = await session.get(Event, form.event_id)
        if target is None:
            raise RegistrationRefused(Reason.EVENT_NOT_OPEN, event_id=form.event_id)
        if has_consent(person):
            await _save_profile(session, person, form, now=now)
        result = await register(session=session, citizen=person, event=target, now=now)
        return Submitted(result.registration, target, result.created)


_PROFILE_FIELDS: frozenset[str] = frozenset(f.name for f in dataclasses.fields(CitizenProfile))


async def _save_profile(
    session: AsyncSession, person: Citizen, form: RegistrationForm, *, now: datetime | None
) -> None:
    """The form's answers onto the citizen: the profile fields validated and audited by
    services.citizens, any other field of the step table onto its own column as read."""
    values = {field.field: form.value(field.step) for field in STEPS}
    profile = {name: value for name, value in values.items() if name in _PROFILE_FIELDS}
    await update_citizen(
        session=session,
        citizen=person,
        profile=CitizenProfile(**profile),
        actor=citizen_actor(person.id),
        now=now,
    )
    for name, value in values.items():
        if name not in _PROFILE_FIELDS:
            setattr(person, name, value)
