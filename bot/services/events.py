"""Staff use cases on events: create, edit (reschedules reminders, tells registrants), cancel.

Since the two-level government (7/2025) classes are organised by the commune: an event has
an organising `commune` whose officers manage it (`may_manage`); an event without one is
district-wide and only admins change it.

Every change is audited with the fields before and after. Editing the time, end or venue
queues an `event.changed` notice to everyone still registered (confirmed, waitlisted, pending);
a new start time also replaces the pending reminders. Raising the capacity promotes people from
the waitlist; lowering it below the seats already given is refused rather than bumping anyone.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import EventKind, EventStatus, OutboxKind, RegistrationStatus
from bot.db.models import Citizen, Event, OutboxMessage, Registration
from bot.outbox.queue import Template, cancel_pending, event_params, queue_message
from bot.services import audit, registrations, seats, subscriptions
from bot.services.actors import Actor
from bot.services.clock import ensure_utc, utcnow
from bot.services.errors import EventChangeRefused, Reason
from bot.services.reminders import reschedule_event_reminders

_NOTIFY_ON = frozenset({"starts_at", "ends_at", "venue", "venue_map_url"})
_STILL_REGISTERED = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.PENDING,
)
_ALLOWED_STATUS_CHANGES = {
    EventStatus.DRAFT: {EventStatus.OPEN},
    EventStatus.OPEN: {EventStatus.CLOSED},
    EventStatus.CLOSED: {EventStatus.OPEN},
    EventStatus.CANCELLED: set(),
}


class _Unset(Enum):
    UNSET = "unset"


UNSET = _Unset.UNSET


@dataclass(frozen=True)
class EventDraft:
    """Everything staff fill in to create an event (times aware; stored in UTC)."""

    kind: EventKind
    title: str
    starts_at: datetime
    ends_at: datetime
    registration_deadline: datetime
    capacity: int | None
    description: str = ""
    organiser: str = ""
    venue: str = ""
    venue_map_url: str | None = None
    requires_approval: bool = False
    eligible_target_groups: tuple[str, ...] = ()
    what_to_bring: str = ""
    status: EventStatus = EventStatus.DRAFT
    reminder_offsets_minutes: tuple[int, ...] | None = None
    commune: str | None = None  # the organising commune; None: district-wide


@dataclass(frozen=True)
class EventChanges:
    """Fields to change; anything left `UNSET` stays as it is."""

    title: str | _Unset = UNSET
    description: str | _Unset = UNSET
    organiser: str | _Unset = UNSET
    venue: str | _Unset = UNSET
    venue_map_url: str | _Unset | None = UNSET
    starts_at: datetime | _Unset = UNSET
    ends_at: datetime | _Unset = UNSET
    registration_deadline: datetime | _Unset = UNSET
    capacity: int | _Unset | None = UNSET
    requires_approval: bool | _Unset = UNSET
    eligible_target_groups: tuple[str, ...] | _Unset = UNSET
    what_to_bring: str | _Unset = UNSET
    status: EventStatus | _Unset = UNSET
    reminder_offsets_minutes: tuple[int, ...] | _Unset | None = UNSET

    def as_dict(self) -> dict[str, Any]:
        """Only the fields that were set, in storable form (UTC times, lists)."""
        values: dict[str, Any] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if value is UNSET:
                continue
            if isinstance(value, datetime):
                value = ensure_utc(value)
            elif isinstance(value, tuple):
                value = list(value)
            values[item.name] = value
        return values


_AUDITED = tuple(f.name for f in fields(EventChanges))


def may_manage(event: Event, scope: str | None) -> bool:
    """Whether staff with this commune scope (None: admin) may change `event`."""
    return scope is None or (event.commune is not None and event.commune == scope)


def _validate(event: Event) -> None:
    if event.ends_at <= event.starts_at:
        raise EventChangeRefused(Reason.ENDS_BEFORE_START, event_id=event.id)
    if event.registration_deadline > event.starts_at:
        raise EventChangeRefused(Reason.DEADLINE_AFTER_START, event_id=event.id)


async def create_event(
    *, session: AsyncSession, draft: EventDraft, actor: Actor, now: datetime | None = None
) -> Event:
    """Add an event (audited); times are converted to UTC."""
    now = now or utcnow()
    event = Event(
        kind=draft.kind,
        title=draft.title,
        description=draft.description,
        organiser=draft.organiser,
        venue=draft.venue,
        venue_map_url=draft.venue_map_url,
        starts_at=ensure_utc(draft.starts_at),
        ends_at=ensure_utc(draft.ends_at),
        registration_deadline=ensure_utc(draft.registration_deadline),
        capacity=draft.capacity,
        requires_approval=draft.requires_approval,
        eligible_target_groups=list(draft.eligible_target_groups),
        what_to_bring=draft.what_to_bring,
        status=draft.status,
        commune=draft.commune,
        reminder_offsets_minutes=(
            None if draft.reminder_offsets_minutes is None else list(draft.reminder_offsets_minutes)
        ),
        created_at=now,
        updated_at=now,
    )
    _validate(event)
    if event.capacity is not None and event.capacity <= 0:
        raise EventChangeRefused(Reason.CAPACITY_BELOW_CONFIRMED, capacity=event.capacity)
    session.add(event)
    await session.flush()
    audit.record(
        session,
        actor=actor,
        action="event.create",
        entity_type="event",
        entity_id=event.id,
        before=None,
        after=audit.snapshot(event, (*_AUDITED, "commune")),
        at=now,
        commune=event.commune,
    )
    await subscriptions.announce_event(session=session, event=event, actor=actor, now=now)
    return event


async def _registrants(session: AsyncSession, event_id: int) -> list[tuple[Registration, Citizen]]:
    rows = await session.execute(
        select(Registration, Citizen)
        .join(Citizen, Citizen.id == Registration.citizen_id)
        .where(Registration.event_id == event_id, Registration.status.in_(_STILL_REGISTERED))
        .order_by(Registration.id)
    )
    return list(rows.tuples())


async def _notify_registrants(
    session: AsyncSession, event: Event, template: Template, extra: dict[str, Any], now: datetime
) -> int:
    queued = 0
    for registration, citizen in await _registrants(session, event.id):
        row = queue_message(
            session,
            citizen=citizen,
            kind=OutboxKind.NOTICE,
            template=template,
            params=event_params(event) | extra,
            due_at=now,
            event_id=event.id,
            registration_id=registration.id,
        )
        queued += row is not None
    return queued


def _check_status_change(event: Event, new_status: EventStatus) -> None:
    if new_status != event.status and new_status not in _ALLOWED_STATUS_CHANGES[event.status]:
        raise EventChangeRefused(
            Reason.INVALID_STATUS_CHANGE, event_id=event.id, status=event.status, target=new_status
        )


async def update_event(
    *,
    session: AsyncSession,
    event: Event,
    changes: EventChanges,
    actor: Actor,
    now: datetime | None = None,
) -> Event:
    """Apply `changes` (audited); reschedules, notifies and promotes as the change requires."""
    now = now or utcnow()
    event = await seats.lock_event(session, event.id)
    if event.status == EventStatus.CANCELLED:
        raise EventChangeRefused(Reason.EVENT_CANCELLED, event_id=event.id)
    values = changes.as_dict()
    if "status" in values:
        _check_status_change(event, values["status"])
    taken = await seats.seats_taken(session, event.id)
    capacity = values.get("capacity")
    if capacity is not None and capacity < max(taken, 1):
        raise EventChangeRefused(
            Reason.CAPACITY_BELOW_CONFIRMED, event_id=event.id, seats_taken=taken
        )
    before = audit.snapshot(event, values)
    for name, value in values.items():
        setattr(event, name, value)
    _validate(event)
    old, new = audit.diff(before, audit.snapshot(event, values))
    if not new:
        return event
    event.updated_at = now
    await session.flush()
    audit.record(
        session,
        actor=actor,
        action="event.update",
        entity_type="event",
        entity_id=event.id,
        before=old,
        after=new,
        at=now,
        commune=event.commune,
    )
    if "starts_at" in new or "reminder_offsets_minutes" in new:
        await reschedule_event_reminders(session, event=event, now=now)
    if _NOTIFY_ON & new.keys():
        changed = sorted(_NOTIFY_ON & new.keys())
        await _notify_registrants(session, event, Template.EVENT_CHANGED, {"changed": changed}, now)
    if "capacity" in new:
        await seats.fill_free_seats(session, event, actor=actor, now=now)
    if new.get("status") == EventStatus.OPEN.value:
        await subscriptions.announce_event(session=session, event=event, actor=actor, now=now)
    return event


async def cancel_event(
    *,
    session: AsyncSession,
    event: Event,
    actor: Actor,
    now: datetime | None = None,
) -> int:
    """Cancel the event, drop its pending messages, notify registrants; returns notices queued."""
    now = now or utcnow()
    event = await seats.lock_event(session, event.id)
    if event.status == EventStatus.CANCELLED:
        return 0
    before = audit.snapshot(event, ("status",))
    event.status = EventStatus.CANCELLED
    event.updated_at = now
    await cancel_pending(session, OutboxMessage.event_id == event.id, reason="event_cancelled")
    queued = await _notify_registrants(session, event, Template.EVENT_CANCELLED, {}, now)
    # After the notices (which go to everyone still registered): no seat is left to show.
    await registrations.cancel_for_event(session=session, event=event, actor=actor, now=now)
    audit.record(
        session,
        actor=actor,
        action="event.cancel",
        entity_type="event",
        entity_id=event.id,
        before=before,
        after=audit.snapshot(event, ("status",)) | {"notices": queued},
        at=now,
        commune=event.commune,
    )
    return queued


async def list_open_events(
    *, session: AsyncSession, now: datetime | None = None, kind: EventKind | None = None
) -> list[Event]:
    """Events a citizen can still register for, soonest first."""
    now = now or utcnow()
    statement = (
        select(Event)
        .where(
            Event.status == EventStatus.OPEN,
            Event.registration_deadline >= now,
            Event.starts_at > now,
        )
        .order_by(Event.starts_at, Event.id)
    )
    if kind is not None:
        statement = statement.where(Event.kind == kind)
    return list((await session.scalars(statement)).all())
