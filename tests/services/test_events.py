"""Editing and cancelling events: reminders follow the time, registrants are told."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.db.engine import Database
from bot.db.enums import EventKind, EventStatus, OutboxKind, OutboxStatus, RegistrationStatus
from bot.db.models import AuditEntry, Event, OutboxMessage, Registration
from bot.outbox.queue import Template
from bot.services.actors import staff
from bot.services.clock import local
from bot.services.errors import EventChangeRefused, Reason
from bot.services.events import (
    EventChanges,
    EventDraft,
    cancel_event,
    create_event,
    list_open_events,
    update_event,
)
from tests.support.factories import Factory

HOA = staff("hoa")


async def _update(db: Database, factory: Factory, event_id: int, changes: EventChanges) -> None:
    async with db.transaction() as session:
        event = await session.get_one(Event, event_id)
        await update_event(
            session=session, event=event, changes=changes, actor=HOA, now=factory.now
        )


async def _outbox(db: Database) -> list[OutboxMessage]:
    async with db.transaction() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def test_create_event_stores_utc_and_is_audited(db: Database, factory: Factory) -> None:
    draft = EventDraft(
        kind=EventKind.JOB_FAIR,
        title="Phiên giao dịch việc làm tháng 3",
        starts_at=local(2026, 12, 20, 8, 0),
        ends_at=local(2026, 12, 20, 11, 30),
        registration_deadline=local(2026, 12, 19, 17, 0),
        capacity=None,
        venue="Nhà văn hoá xã Quảng Tân",
    )
    async with db.transaction() as session:
        event = await create_event(session=session, draft=draft, actor=HOA, now=factory.now)
    assert event.starts_at.isoformat() == "2026-12-20T01:00:00+00:00"
    async with db.transaction() as session:
        entry = await session.scalar(select(AuditEntry))
    assert entry is not None and entry.action == "event.create"
    assert entry.after is not None and entry.after["title"] == draft.title


async def test_create_event_ending_before_it_starts_is_refused(
    db: Database, factory: Factory
) -> None:
    start = factory.now + timedelta(days=3)
    draft = EventDraft(
        kind=EventKind.VOCATIONAL_CLASS,
        title="x",
        starts_at=start,
        ends_at=start,
        registration_deadline=start,
        capacity=5,
    )
    with pytest.raises(EventChangeRefused) as caught:
        async with db.transaction() as session:
            await create_event(session=session, draft=draft, actor=HOA, now=factory.now)
    assert caught.value.reason == Reason.ENDS_BEFORE_START


async def test_new_start_time_reschedules_reminders_and_notifies(
    db: Database, factory: Factory
) -> None:
    event = await factory.event(capacity=1)
    first, second = await factory.citizens(2)
    await factory.register(first, event)
    await factory.register(second, event)  # waitlisted: notified, no reminders
    new_start = event.starts_at + timedelta(days=2)

    await _update(
        db,
        factory,
        event.id,
        EventChanges(starts_at=new_start, ends_at=new_start + timedelta(hours=3)),
    )

    rows = await _outbox(db)
    live = [r for r in rows if r.kind == OutboxKind.REMINDER and r.status == OutboxStatus.PENDING]
    assert sorted(r.due_at for r in live) == [
        new_start - timedelta(days=3),
        new_start - timedelta(days=1),
        new_start - timedelta(hours=2),
    ]
    assert all(r.expires_at == new_start for r in live)
    old = [r for r in rows if r.kind == OutboxKind.REMINDER and r.status == OutboxStatus.CANCELLED]
    assert len(old) == 3
    notices = [
        (r.citizen_id, r.params["changed"]) for r in rows if r.template == Template.EVENT_CHANGED
    ]
    assert notices == [(first.id, ["ends_at", "starts_at"]), (second.id, ["ends_at", "starts_at"])]
    async with db.transaction() as session:
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "event.update"))
    assert entry is not None and entry.before is not None and entry.after is not None
    assert set(entry.before) == {"starts_at", "ends_at"}
    assert entry.after["starts_at"] == new_start.isoformat()


async def test_edit_without_real_change_does_nothing(db: Database, factory: Factory) -> None:
    event = await factory.event()
    await factory.register(await factory.citizen(), event)
    await _update(db, factory, event.id, EventChanges(title=event.title))
    assert all(r.kind == OutboxKind.REMINDER for r in await _outbox(db))
    async with db.transaction() as session:
        assert await session.scalar(select(AuditEntry)) is None


async def test_raising_capacity_promotes_from_the_waitlist(db: Database, factory: Factory) -> None:
    event = await factory.event(capacity=1)
    people = await factory.citizens(4)
    for person in people:
        await factory.register(person, event)
    await _update(db, factory, event.id, EventChanges(capacity=3))
    async with db.transaction() as session:
        rows = list(await session.scalars(select(Registration).order_by(Registration.id)))
    assert [r.status for r in rows] == [RegistrationStatus.CONFIRMED] * 3 + [
        RegistrationStatus.WAITLISTED
    ]
    assert rows[3].waitlist_position == 1


async def test_capacity_below_seats_given_is_refused(db: Database, factory: Factory) -> None:
    event = await factory.event(capacity=3)
    for person in await factory.citizens(3):
        await factory.register(person, event)
    with pytest.raises(EventChangeRefused) as caught:
        await _update(db, factory, event.id, EventChanges(capacity=2))
    assert caught.value.reason == Reason.CAPACITY_BELOW_CONFIRMED


async def test_status_moves_only_along_allowed_paths(db: Database, factory: Factory) -> None:
    event = await factory.event(status=EventStatus.DRAFT)
    await _update(db, factory, event.id, EventChanges(status=EventStatus.OPEN))
    await _update(db, factory, event.id, EventChanges(status=EventStatus.CLOSED))
    with pytest.raises(EventChangeRefused) as caught:
        await _update(db, factory, event.id, EventChanges(status=EventStatus.DRAFT))
    assert caught.value.reason == Reason.INVALID_STATUS_CHANGE


async def test_cancel_event_drops_reminders_and_notifies_registrants(
    db: Database, factory: Factory
) -> None:
    event = await factory.event(capacity=1)
    first, second = await factory.citizens(2)
    await factory.register(first, event)
    await factory.register(second, event)
    async with db.transaction() as session:
        loaded = await session.get_one(Event, event.id)
        queued = await cancel_event(session=session, event=loaded, actor=HOA, now=factory.now)
    assert queued == 2
    rows = await _outbox(db)
    assert {r.status for r in rows if r.kind == OutboxKind.REMINDER} == {OutboxStatus.CANCELLED}
    cancelled_notices = {r.citizen_id for r in rows if r.template == Template.EVENT_CANCELLED}
    assert cancelled_notices == {first.id, second.id}
    with pytest.raises(EventChangeRefused):
        await _update(db, factory, event.id, EventChanges(title="again"))


async def test_open_events_list_only_what_can_still_be_joined(
    db: Database, factory: Factory
) -> None:
    await factory.event(title="open")
    await factory.event(title="draft", status=EventStatus.DRAFT)
    await factory.event(
        title="deadline passed", registration_deadline=factory.now - timedelta(hours=1)
    )
    async with db.transaction() as session:
        titles = [e.title for e in await list_open_events(session=session, now=factory.now)]
    assert titles == ["open"]
