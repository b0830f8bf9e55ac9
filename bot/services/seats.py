"""Seat accounting shared by the registration use cases: locks, counts, waitlist order.

Atomicity: every function here runs after `lock_event`, inside the caller's transaction. On
PostgreSQL that is `SELECT … FOR UPDATE` on the event row, so concurrent registrations for one
event queue up behind each other and see each other's committed rows (READ COMMITTED takes a
new snapshot per statement). On SQLite the engine begins every transaction with
`BEGIN IMMEDIATE`, which serialises all writers, so the lock is implicit. Either way the count
of seats and the next waitlist position are read and written by one transaction at a time.

Waitlist positions are kept dense (1..n). The unique constraint on (event_id,
waitlist_position) would trip over a plain `position = position - 1` on PostgreSQL (checked row
by row), so `shift_waitlist` moves the rows through negative numbers in two statements.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import SEAT_HOLDING, EventStatus, OutboxKind, RegistrationStatus
from bot.db.models import Citizen, Event, Registration, RegistrationChange
from bot.outbox.queue import Template, event_params, queue_message
from bot.services.actors import Actor
from bot.services.reminders import schedule_reminders


async def lock_event(session: AsyncSession, event_id: int) -> Event:
    """Load the event row locked for this transaction (and refreshed)."""
    statement = (
        select(Event)
        .where(Event.id == event_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await session.execute(statement)).scalar_one()


async def seats_taken(session: AsyncSession, event_id: int) -> int:
    statement = select(func.count()).where(
        Registration.event_id == event_id, Registration.status.in_(SEAT_HOLDING)
    )
    return int((await session.execute(statement)).scalar_one())


async def waitlist_length(session: AsyncSession, event_id: int) -> int:
    statement = select(func.count()).where(
        Registration.event_id == event_id,
        Registration.status == RegistrationStatus.WAITLISTED,
    )
    return int((await session.execute(statement)).scalar_one())


def has_free_seat(event: Event, taken: int) -> bool:
    return event.capacity is None or taken < event.capacity


async def set_status(
    session: AsyncSession,
    registration: Registration,
    status: RegistrationStatus,
    *,
    actor: Actor,
    now: datetime,
    reason: str,
    position: int | None = None,
) -> None:
    """Change status (and waitlist position) and write the history row; flushes."""
    previous = registration.status if registration.id is not None else None
    registration.status = status
    registration.waitlist_position = position
    registration.status_changed_at = now
    registration.status_changed_by = str(actor)
    if registration.id is None:
        session.add(registration)
    await session.flush()
    session.add(
        RegistrationChange(
            registration_id=registration.id,
            from_status=None if previous is None else previous.value,
            to_status=status.value,
            waitlist_position=position,
            reason=reason,
            changed_at=now,
            changed_by=str(actor),
        )
    )


async def shift_waitlist(session: AsyncSession, event_id: int, *, above: int, by: int) -> None:
    """Move every waitlist position greater than `above` down by `by` (keeps 1..n dense)."""
    if by <= 0:
        return
    position = Registration.waitlist_position
    await session.execute(
        update(Registration)
        .where(Registration.event_id == event_id, position > above)
        .values(waitlist_position=-position)
        .execution_options(synchronize_session="fetch")
    )
    await session.execute(
        update(Registration)
        .where(Registration.event_id == event_id, position < 0)
        .values(waitlist_position=-position - by)
        .execution_options(synchronize_session="fetch")
    )


async def confirm_seat(
    session: AsyncSession,
    registration: Registration,
    *,
    event: Event,
    citizen: Citizen,
    actor: Actor,
    now: datetime,
    reason: str,
) -> None:
    """Give `registration` a seat and queue its reminders."""
    await set_status(
        session, registration, RegistrationStatus.CONFIRMED, actor=actor, now=now, reason=reason
    )
    schedule_reminders(session, registration=registration, event=event, citizen=citizen, now=now)


async def seat_or_waitlist(
    session: AsyncSession,
    registration: Registration,
    *,
    event: Event,
    citizen: Citizen,
    actor: Actor,
    now: datetime,
    reason: str,
) -> None:
    """Confirm `registration` if a seat is free, else put it at the end of the waitlist.

    The caller holds the event's lock (`lock_event`), so counting and booking are atomic.
    """
    if has_free_seat(event, await seats_taken(session, event.id)):
        await confirm_seat(
            session,
            registration,
            event=event,
            citizen=citizen,
            actor=actor,
            now=now,
            reason=reason,
        )
        return
    position = await waitlist_length(session, event.id) + 1
    await set_status(
        session,
        registration,
        RegistrationStatus.WAITLISTED,
        actor=actor,
        now=now,
        reason=reason,
        position=position,
    )


async def leave_waitlist(
    session: AsyncSession,
    registration: Registration,
    status: RegistrationStatus,
    *,
    actor: Actor,
    now: datetime,
    reason: str,
) -> None:
    """Take a waitlisted registration out of the line (to `status`) and close the gap."""
    old_position = registration.waitlist_position
    await set_status(session, registration, status, actor=actor, now=now, reason=reason)
    if old_position is not None:
        await shift_waitlist(session, registration.event_id, above=old_position, by=1)


async def fill_free_seats(
    session: AsyncSession, event: Event, *, actor: Actor, now: datetime
) -> list[Registration]:
    """Promote the head of the waitlist into free seats; each promoted person gets a message."""
    if event.status == EventStatus.CANCELLED or now >= event.starts_at:
        return []
    taken = await seats_taken(session, event.id)
    free = None if event.capacity is None else event.capacity - taken
    if free is not None and free <= 0:
        return []
    statement = (
        select(Registration, Citizen)
        .join(Citizen, Citizen.id == Registration.citizen_id)
        .where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.WAITLISTED,
        )
        .order_by(Registration.waitlist_position)
    )
    if free is not None:
        statement = statement.limit(free)
    promoted: list[Registration] = []
    for registration, citizen in (await session.execute(statement)).tuples():
        await confirm_seat(
            session,
            registration,
            event=event,
            citizen=citizen,
            actor=actor,
            now=now,
            reason="promoted",
        )
        queue_message(
            session,
            citizen=citizen,
            kind=OutboxKind.PROMOTION,
            template=Template.PROMOTED,
            params=event_params(event),
            due_at=now,
            expires_at=event.starts_at,
            event_id=event.id,
            registration_id=registration.id,
        )
        promoted.append(registration)
    await shift_waitlist(session, event.id, above=len(promoted), by=len(promoted))
    return promoted
