"""Cancelling an event takes every seat and place in line with it, visibly to the citizen."""

from __future__ import annotations

from sqlalchemy import select

from bot.db.engine import Database
from bot.db.enums import RegistrationStatus
from bot.db.models import Citizen, Event, Registration, RegistrationChange
from bot.services.actors import staff
from bot.services.events import cancel_event
from bot.services.registrations import list_citizen_registrations, list_for_citizen_view, register
from bot.texts.registration import status_label
from tests.support.factories import Factory


async def _cancel(db: Database, event: Event) -> int:
    """Staff cancel the event (its own transaction); returns the notices queued."""
    async with db.transaction() as session:
        loaded = await session.get_one(Event, event.id)
        return await cancel_event(session=session, event=loaded, actor=staff("lan"))


async def test_cancelling_moves_seats_and_waitlist_to_event_cancelled(
    db: Database, factory: Factory
) -> None:
    event = await factory.event(capacity=1)
    seated, waiting = await factory.citizens(2)
    await factory.register(seated, event)
    await factory.register(waiting, event)

    queued = await _cancel(db, event)

    assert queued == 2  # both were told, before their registrations moved
    async with db.transaction() as session:
        rows = list(await session.scalars(select(Registration).order_by(Registration.id)))
        history = list(
            await session.scalars(
                select(RegistrationChange.reason).where(
                    RegistrationChange.to_status == "event_cancelled"
                )
            )
        )
    assert [(r.status, r.waitlist_position) for r in rows] == [
        (RegistrationStatus.EVENT_CANCELLED, None),
        (RegistrationStatus.EVENT_CANCELLED, None),
    ]
    assert history == ["event_cancelled", "event_cancelled"]


async def test_the_citizen_list_shows_the_cancelled_event_as_cancelled_not_as_a_seat(
    db: Database, factory: Factory
) -> None:
    citizen = await factory.citizen()
    cancelled, kept = await factory.event(title="Lớp hàn"), await factory.event(title="Lớp may")
    await factory.register(citizen, cancelled)
    await factory.register(citizen, kept)
    await _cancel(db, cancelled)

    async with db.transaction() as session:
        person = await session.get_one(Citizen, citizen.id)
        shown = await list_for_citizen_view(session=session, citizen=person, now=factory.now)
        active = await list_citizen_registrations(session=session, citizen=person, now=factory.now)
    labels = {r.event.title: status_label(r.status.value) for r in shown}
    assert labels["Lớp may"] == "✅ Đã có chỗ"
    assert "hủy" in labels["Lớp hàn"] and "Đã có chỗ" not in labels["Lớp hàn"]
    assert [r.event.title for r in active] == ["Lớp may"]  # "Bạn đã đăng ký rồi" sees only this


async def test_registering_again_for_a_cancelled_event_is_refused(
    db: Database, factory: Factory
) -> None:
    from bot.services.errors import Reason, RegistrationRefused

    citizen = await factory.citizen()
    event = await factory.event()
    await factory.register(citizen, event)
    await _cancel(db, event)
    async with db.transaction() as session:
        try:
            await register(
                session=session,
                citizen=await session.get_one(Citizen, citizen.id),
                event=await session.get_one(Event, event.id),
                now=factory.now,
            )
        except RegistrationRefused as refused:
            assert refused.reason == Reason.EVENT_CANCELLED
        else:
            raise AssertionError("a cancelled event took a registration")
