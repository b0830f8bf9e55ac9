"""Staff decisions on registrations: approve, reject, check in, mark no-show.

Each is audited (who, when, status before and after) and written to the registration history.
Approval and rejection queue a message to the citizen; check-in and no-show do not, because
the person is (or is not) standing in front of the staff member.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import SEAT_HOLDING, EventStatus, OutboxKind, RegistrationStatus
from bot.db.models import Citizen, Event, Registration
from bot.outbox.queue import Template, event_params, queue_message
from bot.services import audit, seats
from bot.services.actors import Actor
from bot.services.clock import utcnow
from bot.services.errors import Reason, RegistrationRefused
from bot.services.reminders import cancel_reminders

_AUDIT_FIELDS = ("status", "waitlist_position")


def _refuse_transition(registration: Registration, target: RegistrationStatus) -> None:
    raise RegistrationRefused(
        Reason.INVALID_TRANSITION,
        registration_id=registration.id,
        status=registration.status,
        target=target,
    )


async def _locked(session: AsyncSession, registration: Registration) -> tuple[Event, Citizen]:
    event = await seats.lock_event(session, registration.event_id)
    await session.refresh(registration)
    citizen = await session.get_one(Citizen, registration.citizen_id)
    return event, citizen


def _audit(
    session: AsyncSession,
    registration: Registration,
    before: dict[str, object],
    *,
    actor: Actor,
    action: str,
    now: datetime,
) -> None:
    audit.record(
        session,
        actor=actor,
        action=action,
        entity_type="registration",
        entity_id=registration.id,
        before=before,
        after=audit.snapshot(registration, _AUDIT_FIELDS),
        at=now,
    )


async def approve(
    *,
    session: AsyncSession,
    registration: Registration,
    actor: Actor,
    now: datetime | None = None,
) -> Registration:
    """Pending -> confirmed if a seat is free, else waitlisted; the citizen is told."""
    now = now or utcnow()
    event, citizen = await _locked(session, registration)
    if registration.status != RegistrationStatus.PENDING:
        _refuse_transition(registration, RegistrationStatus.CONFIRMED)
    if event.status == EventStatus.CANCELLED:
        raise RegistrationRefused(Reason.EVENT_CANCELLED, event_id=event.id)
    before = audit.snapshot(registration, _AUDIT_FIELDS)
    await seats.seat_or_waitlist(
        session,
        registration,
        event=event,
        citizen=citizen,
        actor=actor,
        now=now,
        reason="approved",
    )
    queue_message(
        session,
        citizen=citizen,
        kind=OutboxKind.NOTICE,
        template=Template.APPROVED,
        params=event_params(event)
        | {
            "status": registration.status.value,
            "waitlist_position": registration.waitlist_position,
        },
        due_at=now,
        expires_at=event.starts_at,
        event_id=event.id,
        registration_id=registration.id,
    )
    _audit(session, registration, before, actor=actor, action="registration.approve", now=now)
    return registration


async def reject(
    *,
    session: AsyncSession,
    registration: Registration,
    actor: Actor,
    now: datetime | None = None,
) -> list[Registration]:
    """Refuse a registration (pending, waitlisted or confirmed); returns people promoted."""
    now = now or utcnow()
    event, citizen = await _locked(session, registration)
    status = registration.status
    allowed = {
        RegistrationStatus.PENDING,
        RegistrationStatus.WAITLISTED,
        RegistrationStatus.CONFIRMED,
    }
    if status not in allowed:
        _refuse_transition(registration, RegistrationStatus.REJECTED)
    before = audit.snapshot(registration, _AUDIT_FIELDS)
    await cancel_reminders(session, registration_id=registration.id)
    if status == RegistrationStatus.WAITLISTED:
        await seats.leave_waitlist(
            session,
            registration,
            RegistrationStatus.REJECTED,
            actor=actor,
            now=now,
            reason="rejected",
        )
    else:
        await seats.set_status(
            session,
            registration,
            RegistrationStatus.REJECTED,
            actor=actor,
            now=now,
            reason="rejected",
        )
    queue_message(
        session,
        citizen=citizen,
        kind=OutboxKind.NOTICE,
        template=Template.REJECTED,
        params=event_params(event),
        due_at=now,
        event_id=event.id,
        registration_id=registration.id,
    )
    _audit(session, registration, before, actor=actor, action="registration.reject", now=now)
    promoted: list[Registration] = []
    if status in SEAT_HOLDING:
        promoted = await seats.fill_free_seats(session, event, actor=actor, now=now)
    return promoted


async def check_in(
    *,
    session: AsyncSession,
    registration: Registration,
    actor: Actor,
    now: datetime | None = None,
) -> Registration:
    """The person came: confirmed (or wrongly marked no-show) -> attended."""
    now = now or utcnow()
    await _locked(session, registration)
    if registration.status not in {RegistrationStatus.CONFIRMED, RegistrationStatus.NO_SHOW}:
        _refuse_transition(registration, RegistrationStatus.ATTENDED)
    before = audit.snapshot(registration, _AUDIT_FIELDS)
    await seats.set_status(
        session,
        registration,
        RegistrationStatus.ATTENDED,
        actor=actor,
        now=now,
        reason="checked_in",
    )
    await cancel_reminders(session, registration_id=registration.id)
    _audit(session, registration, before, actor=actor, action="registration.check_in", now=now)
    return registration


async def mark_no_show(
    *,
    session: AsyncSession,
    registration: Registration,
    actor: Actor,
    now: datetime | None = None,
) -> Registration:
    """The person did not come: confirmed (or wrongly checked in) -> no-show, once started."""
    now = now or utcnow()
    event, _ = await _locked(session, registration)
    if registration.status not in {RegistrationStatus.CONFIRMED, RegistrationStatus.ATTENDED}:
        _refuse_transition(registration, RegistrationStatus.NO_SHOW)
    if now < event.starts_at:
        raise RegistrationRefused(Reason.EVENT_NOT_STARTED, event_id=event.id)
    before = audit.snapshot(registration, _AUDIT_FIELDS)
    await seats.set_status(
        session,
        registration,
        RegistrationStatus.NO_SHOW,
        actor=actor,
        now=now,
        reason="no_show",
    )
    _audit(session, registration, before, actor=actor, action="registration.no_show", now=now)
    return registration
