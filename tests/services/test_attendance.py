"""Staff decisions: approve, reject, check in, no-show — each audited and in the history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.db.engine import Database
from bot.db.enums import OutboxKind, RegistrationStatus
from bot.db.models import AuditEntry, OutboxMessage, Registration
from bot.outbox.queue import Template
from bot.services.actors import staff
from bot.services.attendance import approve, check_in, mark_no_show, reject
from bot.services.errors import Reason, RegistrationRefused
from tests.support.factories import Factory

LAN = staff("lan")


async def _apply(db: Database, action: object, registration_id: int, **kwargs: object) -> None:
    async with db.transaction() as session:
        registration = await session.get_one(Registration, registration_id)
        await action(session=session, registration=registration, actor=LAN, **kwargs)  # type: ignore[operator]


async def _status(db: Database, registration_id: int) -> tuple[RegistrationStatus, int | None]:
    async with db.transaction() as session:
        registration = await session.get_one(Registration, registration_id)
        return registration.status, registration.waitlist_position


async def test_approve_gives_a_seat_and_tells_the_citizen(db: Database, factory: Factory) -> None:
    citizen, event = await factory.citizen(), await factory.event(requires_approval=True)
    pending = await factory.register(citizen, event)
    await _apply(db, approve, pending.registration.id, now=factory.now)
    assert await _status(db, pending.registration.id) == (RegistrationStatus.CONFIRMED, None)
    async with db.transaction() as session:
        messages = list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
        entry = await session.scalar(select(AuditEntry))
    assert [m.template for m in messages if m.kind == OutboxKind.NOTICE] == [Template.APPROVED]
    assert sum(m.kind == OutboxKind.REMINDER for m in messages) == 3
    assert entry is not None
    assert (entry.actor, entry.action, entry.entity_id) == (
        "staff:lan",
        "registration.approve",
        pending.registration.id,
    )
    assert entry.before == {"status": "pending", "waitlist_position": None}
    assert entry.after == {"status": "confirmed", "waitlist_position": None}
    assert entry.at == factory.now


async def test_approve_when_full_waitlists(db: Database, factory: Factory) -> None:
    event = await factory.event(capacity=1, requires_approval=True)
    first, second = await factory.citizens(2)
    a = await factory.register(first, event)
    b = await factory.register(second, event)
    await _apply(db, approve, a.registration.id, now=factory.now)
    await _apply(db, approve, b.registration.id, now=factory.now)
    assert await _status(db, b.registration.id) == (RegistrationStatus.WAITLISTED, 1)


async def test_approve_twice_is_refused_as_invalid_transition(
    db: Database, factory: Factory
) -> None:
    citizen, event = await factory.citizen(), await factory.event(requires_approval=True)
    pending = await factory.register(citizen, event)
    await _apply(db, approve, pending.registration.id, now=factory.now)
    with pytest.raises(RegistrationRefused) as caught:
        await _apply(db, approve, pending.registration.id, now=factory.now)
    assert caught.value.reason == Reason.INVALID_TRANSITION


async def test_reject_of_a_confirmed_seat_promotes_the_waitlist(
    db: Database, factory: Factory
) -> None:
    event = await factory.event(capacity=1)
    first, second = await factory.citizens(2)
    a = await factory.register(first, event)
    b = await factory.register(second, event)
    await _apply(db, reject, a.registration.id, now=factory.now)
    assert (await _status(db, a.registration.id))[0] == RegistrationStatus.REJECTED
    assert await _status(db, b.registration.id) == (RegistrationStatus.CONFIRMED, None)
    async with db.transaction() as session:
        templates = {
            (m.citizen_id, m.template)
            for m in await session.scalars(
                select(OutboxMessage).where(OutboxMessage.kind != OutboxKind.REMINDER)
            )
        }
    assert templates == {(first.id, Template.REJECTED), (second.id, Template.PROMOTED)}


async def test_rejected_citizen_cannot_register_again(db: Database, factory: Factory) -> None:
    citizen, event = await factory.citizen(), await factory.event()
    result = await factory.register(citizen, event)
    await _apply(db, reject, result.registration.id, now=factory.now)
    with pytest.raises(RegistrationRefused) as caught:
        await factory.register(citizen, event)
    assert caught.value.reason == Reason.PREVIOUSLY_REJECTED


async def test_check_in_then_correct_to_no_show(db: Database, factory: Factory) -> None:
    citizen, event = await factory.citizen(), await factory.event()
    result = await factory.register(citizen, event)
    during = event.starts_at + timedelta(minutes=30)
    await _apply(db, check_in, result.registration.id, now=during)
    assert (await _status(db, result.registration.id))[0] == RegistrationStatus.ATTENDED
    await _apply(db, mark_no_show, result.registration.id, now=during)
    assert (await _status(db, result.registration.id))[0] == RegistrationStatus.NO_SHOW
    async with db.transaction() as session:
        actions = [
            e.action for e in await session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]
    assert actions == ["registration.check_in", "registration.no_show"]


async def test_no_show_before_the_start_is_refused(db: Database, factory: Factory) -> None:
    citizen, event = await factory.citizen(), await factory.event()
    result = await factory.register(citizen, event)
    with pytest.raises(RegistrationRefused) as caught:
        await _apply(db, mark_no_show, result.registration.id, now=factory.now)
    assert caught.value.reason == Reason.EVENT_NOT_STARTED


async def test_waitlisted_person_cannot_be_checked_in(db: Database, factory: Factory) -> None:
    event = await factory.event(capacity=1)
    first, second = await factory.citizens(2)
    await factory.register(first, event)
    waiting = await factory.register(second, event)
    with pytest.raises(RegistrationRefused):
        await _apply(db, check_in, waiting.registration.id, now=event.starts_at)
