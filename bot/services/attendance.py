"""Staff decisions on registrations: approve, reject (with a reason), re-open, check in,
mark no-show.

Each is audited (who, when, status before and after, in the citizen's commune) and written to
the registration history. Approval and rejection queue a message to the citizen; check-in and
no-show do not, because the person is (or is not) standing in front of the staff member.

Rejections can be taken back: the notice is queued `undo_window` after the decision, so an
officer who re-opens within that window cancels it before the citizen ever reads it; later,
re-opening still works and tells the citizen the good news instead. Check-in and no-show
follow one rule: both are possible from `opens_before` the start (a setting, 2 hours by
default), never earlier — a register taken 17 days ahead is a mistake, not an attendance.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import SEAT_HOLDING, EventStatus, OutboxKind, RegistrationStatus
from bot.db.models import Citizen, Event, OutboxMessage, Registration, RegistrationChange
from bot.outbox.queue import Template, cancel_pending, event_params, queue_message
from bot.services import audit, seats
from bot.services.actors import Actor
from bot.services.clock import utcnow
from bot.services.errors import Reason, RegistrationRefused
from bot.services.reminders import cancel_reminders

_AUDIT_FIELDS = ("status", "waitlist_position")
#: Check-in and no-show are possible from this long before the start (settings override it).
ATTENDANCE_OPENS_BEFORE = timedelta(hours=2)
#: A rejection notice waits this long, so that an immediate "undo" reaches nobody.
REJECTION_UNDO_WINDOW = timedelta(minutes=5)
MAX_REASON = 500


def attendance_open(event: Event, now: datetime, opens_before: timedelta) -> bool:
    """Whether attendance (check-in or no-show) can be recorded for `event` at `now`."""
    return now >= event.starts_at - opens_before


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
    commune: str | None,
    extra: dict[str, object] | None = None,
) -> None:
    audit.record(
        session,
        actor=actor,
        action=action,
        entity_type="registration",
        entity_id=registration.id,
        before=before,
        after=audit.snapshot(registration, _AUDIT_FIELDS) | (extra or {}),
        at=now,
        commune=commune,
    )


def _queue_approved(
    session: AsyncSession,
    citizen: Citizen,
    event: Event,
    registration: Registration,
    now: datetime,
) -> None:
    """Tell the citizen they have a seat (or a place in line) after a staff decision."""
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
    _queue_approved(session, citizen, event, registration, now)
    _audit(
        session, registration, before, actor=actor, action="registration.approve", now=now,
        commune=citizen.commune,
    )  # fmt: skip
    return registration


async def reject(
    *,
    session: AsyncSession,
    registration: Registration,
    actor: Actor,
    now: datetime | None = None,
    reason: str | None = None,
    undo_window: timedelta = REJECTION_UNDO_WINDOW,
) -> list[Registration]:
    """Refuse a registration (pending, waitlisted or confirmed); returns people promoted.

    `reason` (chosen from a list or typed by the officer) is kept on the registration and
    told to the citizen; the notice leaves after `undo_window` (see `reopen`).
    """
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
    cleaned = " ".join((reason or "").split())[:MAX_REASON] or None
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
    registration.decision_reason = cleaned
    queue_message(
        session,
        citizen=citizen,
        kind=OutboxKind.NOTICE,
        template=Template.REJECTED,
        params=event_params(event) | {"reason": cleaned},
        due_at=now + undo_window,
        event_id=event.id,
        registration_id=registration.id,
    )
    _audit(
        session, registration, before, actor=actor, action="registration.reject", now=now,
        commune=citizen.commune, extra={"reason": cleaned},
    )  # fmt: skip
    promoted: list[Registration] = []
    if status in SEAT_HOLDING:
        promoted = await seats.fill_free_seats(session, event, actor=actor, now=now)
    return promoted


async def _status_before_rejection(
    session: AsyncSession, registration: Registration
) -> RegistrationStatus:
    """What the registration was before its latest rejection (pending if unknown)."""
    previous = await session.scalar(
        select(RegistrationChange.from_status)
        .where(
            RegistrationChange.registration_id == registration.id,
            RegistrationChange.to_status == RegistrationStatus.REJECTED.value,
        )
        .order_by(RegistrationChange.id.desc())
        .limit(1)
    )
    try:
        return RegistrationStatus(previous or "")
    except ValueError:
        return RegistrationStatus.PENDING


async def reopen(
    *,
    session: AsyncSession,
    registration: Registration,
    actor: Actor,
    now: datetime | None = None,
) -> Registration:
    """Take a rejection back: pending again if it was pending, else a seat or the waitlist.

    If the rejection notice has not left yet it is cancelled (the citizen never hears of it);
    if it has, a citizen who gets a seat or a place in line is told so.
    """
    now = now or utcnow()
    event, citizen = await _locked(session, registration)
    if registration.status != RegistrationStatus.REJECTED:
        _refuse_transition(registration, RegistrationStatus.PENDING)
    if event.status == EventStatus.CANCELLED:
        raise RegistrationRefused(Reason.EVENT_CANCELLED, event_id=event.id)
    if now >= event.starts_at:
        raise RegistrationRefused(Reason.EVENT_STARTED, event_id=event.id)
    before = audit.snapshot(registration, _AUDIT_FIELDS)
    target = await _status_before_rejection(session, registration)
    withdrawn = await cancel_pending(
        session,
        OutboxMessage.registration_id == registration.id,
        OutboxMessage.template == Template.REJECTED.value,
        reason="rejection_undone",
    )
    if target == RegistrationStatus.PENDING:
        await seats.set_status(
            session, registration, RegistrationStatus.PENDING, actor=actor, now=now,
            reason="reopened",
        )  # fmt: skip
    else:
        await seats.seat_or_waitlist(
            session, registration, event=event, citizen=citizen, actor=actor, now=now,
            reason="reopened",
        )  # fmt: skip
        if not withdrawn:
            _queue_approved(session, citizen, event, registration, now)
    registration.decision_reason = None
    _audit(
        session, registration, before, actor=actor, action="registration.reopen", now=now,
        commune=citizen.commune, extra={"notice_withdrawn": bool(withdrawn)},
    )  # fmt: skip
    return registration


async def check_in(
    *,
    session: AsyncSession,
    registration: Registration,
    actor: Actor,
    now: datetime | None = None,
    opens_before: timedelta = ATTENDANCE_OPENS_BEFORE,
) -> Registration:
    """The person came: confirmed (or wrongly marked no-show) -> attended, from `opens_before`
    the start on."""
    now = now or utcnow()
    event, citizen = await _locked(session, registration)
    if registration.status not in {RegistrationStatus.CONFIRMED, RegistrationStatus.NO_SHOW}:
        _refuse_transition(registration, RegistrationStatus.ATTENDED)
    if not attendance_open(event, now, opens_before):
        raise RegistrationRefused(Reason.EVENT_NOT_STARTED, event_id=event.id)
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
    _audit(
        session, registration, before, actor=actor, action="registration.check_in", now=now,
        commune=citizen.commune,
    )  # fmt: skip
    return registration


async def mark_no_show(
    *,
    session: AsyncSession,
    registration: Registration,
    actor: Actor,
    now: datetime | None = None,
    opens_before: timedelta = ATTENDANCE_OPENS_BEFORE,
) -> Registration:
    """The person did not come: confirmed (or wrongly checked in) -> no-show, by the same rule
    as check-in (from `opens_before` the start on)."""
    now = now or utcnow()
    event, citizen = await _locked(session, registration)
    if registration.status not in {RegistrationStatus.CONFIRMED, RegistrationStatus.ATTENDED}:
        _refuse_transition(registration, RegistrationStatus.NO_SHOW)
    if not attendance_open(event, now, opens_before):
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
    _audit(
        session, registration, before, actor=actor, action="registration.no_show", now=now,
        commune=citizen.commune,
    )  # fmt: skip
    return registration
