"""Registering and cancelling: seats, waitlist, idempotency and refusals with reason codes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.db.engine import Database
from bot.db.enums import EventStatus, OutboxKind, OutboxStatus, RegistrationStatus
from bot.db.models import Citizen, OutboxMessage, Registration, RegistrationChange
from bot.outbox.queue import Template
from bot.services.errors import Reason, RegistrationRefused
from bot.services.registrations import (
    cancel_registration,
    list_citizen_registrations,
)
from tests.support.factories import Factory


async def _registrations(db: Database, event_id: int) -> list[Registration]:
    async with db.transaction() as session:
        rows = await session.scalars(
            select(Registration).where(Registration.event_id == event_id).order_by(Registration.id)
        )
        return list(rows)


async def _outbox(db: Database, **filters: object) -> list[OutboxMessage]:
    async with db.transaction() as session:
        rows = await session.scalars(
            select(OutboxMessage).filter_by(**filters).order_by(OutboxMessage.id)
        )
        return list(rows)


async def _cancel(db: Database, factory: Factory, registration_id: int) -> list[Registration]:
    async with db.transaction() as session:
        registration = await session.get_one(Registration, registration_id)
        return await cancel_registration(
            session=session, registration=registration, now=factory.now
        )


async def test_register_confirms_while_seats_are_free(factory: Factory) -> None:
    citizen, event = await factory.citizen(), await factory.event(capacity=2)
    result = await factory.register(citizen, event)
    assert result.created
    assert result.status == RegistrationStatus.CONFIRMED
    assert result.waitlist_position is None


async def test_register_twice_returns_the_same_registration(db: Database, factory: Factory) -> None:
    citizen, event = await factory.citizen(), await factory.event()
    first = await factory.register(citizen, event)
    again = await factory.register(citizen, event)
    assert not again.created
    assert again.registration.id == first.registration.id
    assert len(await _registrations(db, event.id)) == 1
    reminders = await _outbox(db, kind=OutboxKind.REMINDER)
    assert len(reminders) == 3  # the repeat queued nothing new


async def test_full_event_puts_people_on_the_waitlist_in_order(factory: Factory) -> None:
    event = await factory.event(capacity=1)
    people = await factory.citizens(3)
    results = [await factory.register(person, event) for person in people]
    assert [r.status for r in results] == [
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITLISTED,
        RegistrationStatus.WAITLISTED,
    ]
    assert [r.waitlist_position for r in results] == [None, 1, 2]


async def test_unlimited_event_never_waitlists(factory: Factory) -> None:
    event = await factory.event(capacity=None)
    results = [await factory.register(p, event) for p in await factory.citizens(12)]
    assert {r.status for r in results} == {RegistrationStatus.CONFIRMED}


async def test_event_needing_approval_leaves_registration_pending(factory: Factory) -> None:
    citizen, event = await factory.citizen(), await factory.event(requires_approval=True)
    result = await factory.register(citizen, event)
    assert result.status == RegistrationStatus.PENDING


@pytest.mark.parametrize(
    ("event_overrides", "reason"),
    [
        ({"status": EventStatus.DRAFT}, Reason.EVENT_NOT_OPEN),
        ({"status": EventStatus.CLOSED}, Reason.EVENT_NOT_OPEN),
        ({"status": EventStatus.CANCELLED}, Reason.EVENT_CANCELLED),
        ({"eligible_target_groups": ["elderly"]}, Reason.NOT_ELIGIBLE),
    ],
)
async def test_register_refuses_with_a_reason_code(
    factory: Factory, event_overrides: dict[str, object], reason: Reason
) -> None:
    citizen, event = await factory.citizen(), await factory.event(**event_overrides)
    with pytest.raises(RegistrationRefused) as caught:
        await factory.register(citizen, event)
    assert caught.value.reason == reason


async def test_register_after_the_deadline_is_refused(factory: Factory) -> None:
    citizen, event = await factory.citizen(), await factory.event()
    late = event.registration_deadline + timedelta(minutes=1)
    with pytest.raises(RegistrationRefused) as caught:
        await factory.register(citizen, event, now=late)
    assert caught.value.reason == Reason.DEADLINE_PASSED


async def test_register_after_the_start_is_refused(factory: Factory) -> None:
    citizen = await factory.citizen()
    event = await factory.event(registration_deadline=factory.now + timedelta(days=7))
    with pytest.raises(RegistrationRefused) as caught:
        await factory.register(citizen, event, now=event.starts_at + timedelta(minutes=1))
    assert caught.value.reason == Reason.EVENT_STARTED


async def test_eligible_target_group_may_register(factory: Factory) -> None:
    citizen = await factory.citizen(target_groups=["elderly", "poor_household"])
    event = await factory.event(eligible_target_groups=["poor_household"])
    assert (await factory.register(citizen, event)).status == RegistrationStatus.CONFIRMED


async def test_citizen_without_consent_is_refused(factory: Factory) -> None:
    citizen, event = await factory.citizen(consent_at=None), await factory.event()
    with pytest.raises(RegistrationRefused) as caught:
        await factory.register(citizen, event)
    assert caught.value.reason == Reason.CONSENT_MISSING


async def test_repeat_after_deadline_still_returns_existing_registration(
    factory: Factory,
) -> None:
    citizen, event = await factory.citizen(), await factory.event()
    await factory.register(citizen, event)
    late = event.registration_deadline + timedelta(hours=1)
    assert not (await factory.register(citizen, event, now=late)).created


async def test_cancel_promotes_first_waitlisted_and_queues_a_message(
    db: Database, factory: Factory
) -> None:
    event = await factory.event(capacity=1)
    first, second, third = await factory.citizens(3)
    seat = await factory.register(first, event)
    await factory.register(second, event)
    await factory.register(third, event)

    promoted = await _cancel(db, factory, seat.registration.id)

    assert [r.citizen_id for r in promoted] == [second.id]
    by_citizen = {r.citizen_id: r for r in await _registrations(db, event.id)}
    assert by_citizen[first.id].status == RegistrationStatus.CANCELLED
    assert by_citizen[second.id].status == RegistrationStatus.CONFIRMED
    assert by_citizen[third.id].waitlist_position == 1
    promotion = await _outbox(db, kind=OutboxKind.PROMOTION)
    assert [(m.citizen_id, m.template) for m in promotion] == [(second.id, Template.PROMOTED)]
    assert promotion[0].chat_id == second.telegram_user_id


async def test_cancel_cancels_the_pending_reminders(db: Database, factory: Factory) -> None:
    citizen, event = await factory.citizen(), await factory.event()
    result = await factory.register(citizen, event)
    await _cancel(db, factory, result.registration.id)
    reminders = await _outbox(db, kind=OutboxKind.REMINDER)
    assert {m.status for m in reminders} == {OutboxStatus.CANCELLED}


async def test_cancelling_a_waitlisted_place_closes_the_gap(db: Database, factory: Factory) -> None:
    event = await factory.event(capacity=1)
    people = await factory.citizens(5)
    results = [await factory.register(p, event) for p in people]
    await _cancel(db, factory, results[2].registration.id)  # position 2
    waiting = [
        r.waitlist_position
        for r in await _registrations(db, event.id)
        if r.status == RegistrationStatus.WAITLISTED
    ]
    assert sorted(p for p in waiting if p is not None) == [1, 2, 3]


async def test_cancel_twice_is_harmless(db: Database, factory: Factory) -> None:
    citizen, event = await factory.citizen(), await factory.event()
    result = await factory.register(citizen, event)
    await _cancel(db, factory, result.registration.id)
    assert await _cancel(db, factory, result.registration.id) == []


async def test_register_again_after_cancelling_reuses_the_row(
    db: Database, factory: Factory
) -> None:
    citizen, event = await factory.citizen(), await factory.event()
    first = await factory.register(citizen, event)
    await _cancel(db, factory, first.registration.id)
    again = await factory.register(citizen, event)
    assert again.created and again.registration.id == first.registration.id
    assert again.status == RegistrationStatus.CONFIRMED


async def test_every_status_change_is_in_the_history(db: Database, factory: Factory) -> None:
    citizen, event = await factory.citizen(), await factory.event()
    result = await factory.register(citizen, event)
    await _cancel(db, factory, result.registration.id)
    async with db.transaction() as session:
        history = list(
            await session.scalars(
                select(RegistrationChange)
                .where(RegistrationChange.registration_id == result.registration.id)
                .order_by(RegistrationChange.id)
            )
        )
    assert [(h.from_status, h.to_status) for h in history] == [
        (None, "confirmed"),
        ("confirmed", "cancelled"),
    ]
    assert {h.changed_by for h in history} == {f"citizen:{citizen.id}"}
    assert all(h.changed_at == factory.now for h in history)


async def test_list_shows_active_upcoming_registrations_with_their_events(
    db: Database, factory: Factory
) -> None:
    citizen = await factory.citizen()
    later = await factory.event(title="B", starts_at=factory.now + timedelta(days=9))
    sooner = await factory.event(title="A", starts_at=factory.now + timedelta(days=4))
    cancelled_one = await factory.event(title="C")
    await factory.register(citizen, later)
    await factory.register(citizen, sooner)
    dropped = await factory.register(citizen, cancelled_one)
    await _cancel(db, factory, dropped.registration.id)
    async with db.transaction() as session:
        me = await session.get_one(Citizen, citizen.id)
        listed = await list_citizen_registrations(session=session, citizen=me, now=factory.now)
        titles = [r.event.title for r in listed]
    assert titles == ["A", "B"]
