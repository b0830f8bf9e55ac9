"""Capacity under load: simultaneous registrations never overbook or skip a waitlist place."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bot.db.engine import Database
from bot.db.enums import OutboxKind, RegistrationStatus
from bot.db.models import Citizen, Event, OutboxMessage, Registration
from bot.services.registrations import RegistrationResult, register
from tests.support.factories import Factory


async def _register_concurrently(
    db: Database, factory: Factory, pairs: list[tuple[int, int]]
) -> list[RegistrationResult]:
    start = asyncio.Event()

    async def one(citizen_id: int, event_id: int) -> RegistrationResult:
        await start.wait()
        async with db.transaction() as session:
            citizen = await session.get_one(Citizen, citizen_id)
            event = await session.get_one(Event, event_id)
            return await register(session=session, citizen=citizen, event=event, now=factory.now)

    tasks = [asyncio.create_task(one(c, e)) for c, e in pairs]
    await asyncio.sleep(0)
    start.set()
    return await asyncio.gather(*tasks)


async def test_fifty_concurrent_registrations_for_ten_seats(db: Database, factory: Factory) -> None:
    event = await factory.event(capacity=10)
    people = await factory.citizens(50)

    results = await _register_concurrently(db, factory, [(p.id, event.id) for p in people])

    statuses = [r.status for r in results]
    assert statuses.count(RegistrationStatus.CONFIRMED) == 10
    assert statuses.count(RegistrationStatus.WAITLISTED) == 40
    async with db.transaction() as session:
        rows = list(
            await session.scalars(select(Registration).where(Registration.event_id == event.id))
        )
        reminders = await session.scalar(
            select(func.count()).where(OutboxMessage.kind == OutboxKind.REMINDER)
        )
    assert len(rows) == 50
    assert sum(r.status == RegistrationStatus.CONFIRMED for r in rows) == 10
    positions = sorted(r.waitlist_position for r in rows if r.waitlist_position is not None)
    assert positions == list(range(1, 41))
    assert reminders == 10 * 3  # reminders only for the confirmed ten


async def test_concurrent_repeats_by_one_citizen_create_one_registration(
    db: Database, factory: Factory
) -> None:
    event = await factory.event(capacity=10)
    citizen = await factory.citizen()

    results = await _register_concurrently(db, factory, [(citizen.id, event.id)] * 8)

    assert sum(r.created for r in results) == 1
    assert len({r.registration.id for r in results}) == 1
    async with db.transaction() as session:
        count = await session.scalar(select(func.count()).select_from(Registration))
    assert count == 1


async def test_concurrent_registrations_for_two_events_do_not_mix(
    db: Database, factory: Factory
) -> None:
    small, large = await factory.event(capacity=3), await factory.event(capacity=5)
    people = await factory.citizens(12)
    pairs = [(p.id, small.id) for p in people] + [(p.id, large.id) for p in people]

    results = await _register_concurrently(db, factory, pairs)

    for event, seats in ((small, 3), (large, 5)):
        mine = [r for r in results if r.registration.event_id == event.id]
        assert sum(r.status == RegistrationStatus.CONFIRMED for r in mine) == seats
        positions = sorted(r.waitlist_position for r in mine if r.waitlist_position)
        assert positions == list(range(1, 12 - seats + 1))
