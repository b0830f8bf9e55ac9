"""Reminder rows: created on confirmation at 3 days, 1 day and 2 hours (or per event)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.db.engine import Database
from bot.db.enums import OutboxKind
from bot.db.models import OutboxMessage
from tests.support.factories import Factory


async def _reminders(db: Database) -> list[OutboxMessage]:
    async with db.transaction() as session:
        rows = await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.kind == OutboxKind.REMINDER)
            .order_by(OutboxMessage.due_at)
        )
        return list(rows)


async def test_confirmation_queues_three_default_reminders(db: Database, factory: Factory) -> None:
    citizen, event = await factory.citizen(), await factory.event()
    result = await factory.register(citizen, event)
    rows = await _reminders(db)
    start = event.starts_at
    assert [r.due_at for r in rows] == [
        start - timedelta(days=3),
        start - timedelta(days=1),
        start - timedelta(hours=2),
    ]
    assert [r.params["offset_minutes"] for r in rows] == [4320, 1440, 120]
    assert all(r.expires_at == start for r in rows)
    assert all(r.registration_id == result.registration.id for r in rows)
    assert all(r.chat_id == citizen.telegram_user_id for r in rows)
    assert rows[0].params["title"] == event.title
    assert rows[0].params["starts_at"] == start.isoformat()


async def test_reminders_already_past_are_not_created(db: Database, factory: Factory) -> None:
    citizen = await factory.citizen()
    event = await factory.event(
        starts_at=factory.now + timedelta(hours=30),
        registration_deadline=factory.now + timedelta(hours=29),
    )
    await factory.register(citizen, event)
    assert [r.params["offset_minutes"] for r in await _reminders(db)] == [1440, 120]


async def test_event_can_set_its_own_offsets(db: Database, factory: Factory) -> None:
    citizen, event = (
        await factory.citizen(),
        await factory.event(reminder_offsets_minutes=[30, 600]),
    )
    await factory.register(citizen, event)
    assert [r.params["offset_minutes"] for r in await _reminders(db)] == [600, 30]


async def test_waitlisted_people_get_no_reminders(db: Database, factory: Factory) -> None:
    event = await factory.event(capacity=1)
    first, second = await factory.citizens(2)
    await factory.register(first, event)
    await factory.register(second, event)
    assert {r.citizen_id for r in await _reminders(db)} == {first.id}


async def test_unreachable_citizen_gets_no_rows(db: Database, factory: Factory) -> None:
    citizen = await factory.citizen(unreachable_at=factory.now, unreachable_reason="blocked")
    event = await factory.event()
    await factory.register(citizen, event)
    assert await _reminders(db) == []
