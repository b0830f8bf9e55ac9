"""Reminders before an event, as outbox rows created when a seat is confirmed.

Default offsets are 3 days, 1 day and 2 hours before the start; an event may set its own
(`Event.reminder_offsets_minutes`). A reminder whose time has already passed when the seat is
confirmed is not created (the confirmation itself just told the person). Every reminder row
expires at the event's start: if the bot was down when it fell due, the dispatcher still sends
it on start-up while the event has not begun, and marks it skipped afterwards.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import EventStatus, OutboxKind, OutboxStatus, RegistrationStatus
from bot.db.models import Citizen, Event, OutboxMessage, Registration
from bot.outbox.queue import Template, cancel_pending, event_params, queue_message

DEFAULT_OFFSETS: tuple[timedelta, ...] = (
    timedelta(days=3),
    timedelta(days=1),
    timedelta(hours=2),
)


def offsets_for(event: Event) -> tuple[timedelta, ...]:
    """The event's reminder offsets, largest first."""
    if event.reminder_offsets_minutes is None:
        offsets = DEFAULT_OFFSETS
    else:
        offsets = tuple(timedelta(minutes=m) for m in event.reminder_offsets_minutes)
    return tuple(sorted(offsets, reverse=True))


def schedule_reminders(
    session: AsyncSession,
    *,
    registration: Registration,
    event: Event,
    citizen: Citizen,
    now: datetime,
) -> list[OutboxMessage]:
    """Queue this registration's future reminders; returns the rows added."""
    rows: list[OutboxMessage] = []
    for offset in offsets_for(event):
        due_at = event.starts_at - offset
        if due_at <= now:
            continue
        params = event_params(event) | {"offset_minutes": int(offset.total_seconds() // 60)}
        row = queue_message(
            session,
            citizen=citizen,
            kind=OutboxKind.REMINDER,
            template=Template.REMINDER,
            params=params,
            due_at=due_at,
            expires_at=event.starts_at,
            event_id=event.id,
            registration_id=registration.id,
        )
        if row is not None:
            rows.append(row)
    return rows


async def cancel_reminders(session: AsyncSession, *, registration_id: int) -> int:
    """Cancel the pending reminders of one registration; returns how many."""
    return await cancel_pending(
        session,
        OutboxMessage.registration_id == registration_id,
        OutboxMessage.kind == OutboxKind.REMINDER,
        reason="registration_inactive",
    )


async def reschedule_event_reminders(session: AsyncSession, *, event: Event, now: datetime) -> int:
    """After a change of time: drop pending reminders, queue new ones; returns rows queued."""
    await cancel_pending(
        session,
        OutboxMessage.event_id == event.id,
        OutboxMessage.kind == OutboxKind.REMINDER,
        reason="event_rescheduled",
    )
    rows = await session.execute(
        select(Registration, Citizen)
        .join(Citizen, Citizen.id == Registration.citizen_id)
        .where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
        .order_by(Registration.id)
    )
    queued = 0
    for registration, citizen in rows.tuples():
        queued += len(
            schedule_reminders(
                session, registration=registration, event=event, citizen=citizen, now=now
            )
        )
    return queued


async def restore_reminders(session: AsyncSession, *, citizen: Citizen, now: datetime) -> int:
    """Re-create the future reminders of the citizen's confirmed seats; returns rows queued.

    For a person who blocked the bot and came back (services.reachability): their pending
    reminders were cancelled at the 403. Only offsets still ahead and not already pending are
    queued, so calling this twice queues nothing the second time. Cancelled events have no
    confirmed registrations (services.registrations.cancel_for_event), but the event status is
    checked too.
    """
    rows = await session.execute(
        select(Registration, Event)
        .join(Event, Event.id == Registration.event_id)
        .where(
            Registration.citizen_id == citizen.id,
            Registration.status == RegistrationStatus.CONFIRMED,
            Event.status.in_((EventStatus.OPEN, EventStatus.CLOSED)),
            Event.starts_at > now,
        )
        .order_by(Event.starts_at, Registration.id)
    )
    queued = 0
    for registration, event in rows.tuples():
        pending = set(
            await session.scalars(
                select(OutboxMessage.due_at).where(
                    OutboxMessage.registration_id == registration.id,
                    OutboxMessage.kind == OutboxKind.REMINDER,
                    OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.SENDING)),
                )
            )
        )
        for row in schedule_reminders(
            session, registration=registration, event=event, citizen=citizen, now=now
        ):
            if row.due_at in pending:
                session.expunge(row)
            else:
                queued += 1
    return queued
