"""Citizen-facing registration use cases: register, cancel, list.

`register` is idempotent per (citizen, event): a repeated tap returns the existing
registration with `created=False`; the unique constraint on the pair backs this up. Refusals
raise `RegistrationRefused` with a `Reason` code. Capacity is decided under the event lock
(see services.seats), so 50 simultaneous registrations for 10 seats give exactly 10 confirmed
and 40 waitlisted with positions 1..40.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.db.enums import ACTIVE, SHOWN_TO_CITIZEN, EventStatus, RegistrationStatus
from bot.db.models import Citizen, Event, Registration
from bot.services import seats
from bot.services.actors import Actor, citizen_actor
from bot.services.clock import utcnow
from bot.services.errors import Reason, RegistrationRefused
from bot.services.reminders import cancel_reminders


@dataclass(frozen=True)
class RegistrationResult:
    registration: Registration
    created: bool  # False: the citizen was already registered (a repeated request)

    @property
    def status(self) -> RegistrationStatus:
        return self.registration.status

    @property
    def waitlist_position(self) -> int | None:
        return self.registration.waitlist_position


def _check_citizen(citizen: Citizen) -> None:
    if citizen.erased_at is not None:
        raise RegistrationRefused(Reason.CITIZEN_ERASED, citizen_id=citizen.id)
    if citizen.consent_at is None:
        raise RegistrationRefused(Reason.CONSENT_MISSING, citizen_id=citizen.id)


def check_open_for_registration(event: Event, now: datetime) -> None:
    """Refuse if the event does not take registrations at `now`."""
    if event.status == EventStatus.CANCELLED:
        raise RegistrationRefused(Reason.EVENT_CANCELLED, event_id=event.id)
    if event.status != EventStatus.OPEN:
        raise RegistrationRefused(Reason.EVENT_NOT_OPEN, event_id=event.id, status=event.status)
    if now >= event.starts_at:
        raise RegistrationRefused(Reason.EVENT_STARTED, event_id=event.id)
    if now > event.registration_deadline:
        raise RegistrationRefused(Reason.DEADLINE_PASSED, event_id=event.id)


def is_eligible(citizen: Citizen, event: Event) -> bool:
    """An event with no target groups is open to all; otherwise one group must match."""
    if not event.eligible_target_groups:
        return True
    return bool(set(event.eligible_target_groups) & set(citizen.target_groups or ()))


async def register(
    *,
    session: AsyncSession,
    citizen: Citizen,
    event: Event,
    actor: Actor | None = None,
    now: datetime | None = None,
) -> RegistrationResult:
    """Register `citizen` for `event`: confirmed, waitlisted, or pending staff approval."""
    now = now or utcnow()
    actor = actor or citizen_actor(citizen.id)
    event = await seats.lock_event(session, event.id)
    _check_citizen(citizen)
    existing = await session.scalar(
        select(Registration).where(
            Registration.citizen_id == citizen.id, Registration.event_id == event.id
        )
    )
    if existing is not None and existing.status in ACTIVE:
        return RegistrationResult(existing, created=False)
    if existing is not None and existing.status == RegistrationStatus.REJECTED:
        raise RegistrationRefused(Reason.PREVIOUSLY_REJECTED, registration_id=existing.id)
    check_open_for_registration(event, now)
    if not is_eligible(citizen, event):
        raise RegistrationRefused(Reason.NOT_ELIGIBLE, event_id=event.id, citizen_id=citizen.id)

    registration = existing or Registration(
        citizen_id=citizen.id, event_id=event.id, created_at=now
    )
    if event.requires_approval:
        await seats.set_status(
            session,
            registration,
            RegistrationStatus.PENDING,
            actor=actor,
            now=now,
            reason="registered",
        )
    else:
        await seats.seat_or_waitlist(
            session,
            registration,
            event=event,
            citizen=citizen,
            actor=actor,
            now=now,
            reason="registered",
        )
    return RegistrationResult(registration, created=True)


async def cancel_registration(
    *,
    session: AsyncSession,
    registration: Registration,
    actor: Actor | None = None,
    now: datetime | None = None,
) -> list[Registration]:
    """Cancel; frees the seat or the place in line. Returns the registrations promoted.

    Cancelling twice is harmless. After the event has started there is nothing to cancel
    (staff mark attendance instead).
    """
    now = now or utcnow()
    actor = actor or citizen_actor(registration.citizen_id)
    event = await seats.lock_event(session, registration.event_id)
    await session.refresh(registration)
    status = registration.status
    if status == RegistrationStatus.CANCELLED:
        return []
    if status not in ACTIVE or status in {RegistrationStatus.ATTENDED, RegistrationStatus.NO_SHOW}:
        raise RegistrationRefused(
            Reason.INVALID_TRANSITION, registration_id=registration.id, status=status
        )
    if now >= event.starts_at:
        raise RegistrationRefused(Reason.EVENT_STARTED, event_id=event.id)
    await cancel_reminders(session, registration_id=registration.id)
    if status == RegistrationStatus.WAITLISTED:
        await seats.leave_waitlist(
            session,
            registration,
            RegistrationStatus.CANCELLED,
            actor=actor,
            now=now,
            reason="cancelled",
        )
        return []
    await seats.set_status(
        session,
        registration,
        RegistrationStatus.CANCELLED,
        actor=actor,
        now=now,
        reason="cancelled",
    )
    return await seats.fill_free_seats(session, event, actor=actor, now=now)


async def list_citizen_registrations(
    *,
    session: AsyncSession,
    citizen: Citizen,
    include_past: bool = False,
    include_inactive: bool = False,
    now: datetime | None = None,
) -> list[Registration]:
    """The citizen's registrations with their events loaded, soonest event first."""
    now = now or utcnow()
    statement = (
        select(Registration)
        .join(Event, Event.id == Registration.event_id)
        .where(Registration.citizen_id == citizen.id)
        .options(selectinload(Registration.event))
        .order_by(Event.starts_at, Registration.id)
    )
    if not include_past:
        statement = statement.where(Event.ends_at > now)
    if not include_inactive:
        statement = statement.where(Registration.status.in_(ACTIVE))
    return list((await session.scalars(statement)).all())


async def cancel_for_event(
    *, session: AsyncSession, event: Event, actor: Actor, now: datetime
) -> int:
    """The event was cancelled: every registration still on becomes `event_cancelled`.

    Called by services.events.cancel_event under the event's lock, after the registrants have
    been notified. Nobody is promoted (there is nothing to promote to) and waitlist positions
    are released, so no list ever shows a seat or a place in line at a cancelled event.
    Returns how many registrations were moved.
    """
    registrations = (
        await session.scalars(
            select(Registration)
            .where(
                Registration.event_id == event.id,
                Registration.status.in_(
                    (
                        RegistrationStatus.PENDING,
                        RegistrationStatus.CONFIRMED,
                        RegistrationStatus.WAITLISTED,
                    )
                ),
            )
            .order_by(Registration.id)
        )
    ).all()
    for registration in registrations:
        await seats.set_status(
            session,
            registration,
            RegistrationStatus.EVENT_CANCELLED,
            actor=actor,
            now=now,
            reason="event_cancelled",
        )
    return len(registrations)


async def list_for_citizen_view(
    *, session: AsyncSession, citizen: Citizen, now: datetime | None = None
) -> list[Registration]:
    """What "Đăng ký của tôi" shows: registrations still on, and those whose event the
    organiser cancelled, for events not over yet; soonest first, events loaded."""
    now = now or utcnow()
    statement = (
        select(Registration)
        .join(Event, Event.id == Registration.event_id)
        .where(
            Registration.citizen_id == citizen.id,
            Registration.status.in_(SHOWN_TO_CITIZEN),
            Event.ends_at > now,
        )
        .options(selectinload(Registration.event))
        .order_by(Event.starts_at, Registration.id)
    )
    return list((await session.scalars(statement)).all())
