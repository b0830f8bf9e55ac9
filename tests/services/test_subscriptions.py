"""Announcement subscriptions: who is told about a new event, once, through the outbox."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.db.engine import Database
from bot.db.enums import EventKind, EventStatus, OutboxKind
from bot.db.models import Citizen, Event, OutboxMessage, Subscription
from bot.services import subscriptions
from bot.services.actors import staff
from bot.services.errors import CitizenDataRefused, Reason
from bot.services.events import EventChanges, EventDraft, create_event, update_event
from bot.services.privacy import erase_citizen
from tests.support.factories import Factory


async def _subscribe(db: Database, citizen: Citizen, **wish: object) -> None:
    async with db.transaction() as session:
        await subscriptions.subscribe(
            session=session,
            citizen=await session.get_one(Citizen, citizen.id),
            **wish,  # type: ignore[arg-type]
        )


def _draft(factory: Factory, **overrides: object) -> EventDraft:
    starts_at = factory.now + timedelta(days=10)
    values: dict[str, object] = {
        "kind": EventKind.VOCATIONAL_CLASS,
        "title": "Lớp may công nghiệp",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=3),
        "registration_deadline": starts_at - timedelta(days=2),
        "capacity": 20,
        "venue": "Nhà văn hóa thôn 2, xã Quảng Tân",
        "status": EventStatus.OPEN,
    }
    values.update(overrides)
    return EventDraft(**values)  # type: ignore[arg-type]


async def _announcements(db: Database) -> list[OutboxMessage]:
    async with db.transaction() as session:
        return list(
            await session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.template == "event.announced")
                .order_by(OutboxMessage.citizen_id)
            )
        )


async def test_opening_an_event_tells_matching_subscribers_once(
    db: Database, factory: Factory
) -> None:
    quang_tan, dam_ha, sewing, welding, fairs_only, nobody = await factory.citizens(6)
    await _subscribe(db, quang_tan, commune="quang_tan")
    await _subscribe(db, dam_ha, commune="dam_ha")
    await _subscribe(db, sewing, commune=None, trades=["may"])
    await _subscribe(db, welding, commune=None, trades=["hàn"])
    await _subscribe(db, fairs_only, commune=None, kinds=["job_fair"])
    async with db.transaction() as session:
        event = await create_event(
            session=session,
            draft=_draft(factory, status=EventStatus.DRAFT),
            actor=staff("lan"),
            now=factory.now,
        )
    assert await _announcements(db) == []  # a draft is not news yet

    for _ in range(2):  # opened, closed and reopened: nobody is told twice
        async with db.transaction() as session:
            loaded = await session.get_one(Event, event.id)
            if loaded.status == EventStatus.OPEN:
                await update_event(
                    session=session,
                    event=loaded,
                    changes=EventChanges(status=EventStatus.CLOSED),
                    actor=staff("lan"),
                    now=factory.now,
                )
                loaded = await session.get_one(Event, event.id)
            await update_event(
                session=session,
                event=loaded,
                changes=EventChanges(status=EventStatus.OPEN),
                actor=staff("lan"),
                now=factory.now,
            )

    rows = await _announcements(db)
    assert [r.citizen_id for r in rows] == [quang_tan.id, sewing.id]
    assert {(r.kind, r.expires_at) for r in rows} == {
        (OutboxKind.BROADCAST, event.registration_deadline)
    }
    assert nobody.id not in {r.citizen_id for r in rows}


@pytest.mark.parametrize(
    ("venue", "told"),
    [
        ("Trung tâm GDNN tỉnh Quảng Ninh", True),  # names none of ours: for everyone
        ("Nhà văn hóa thôn 5 Đại Bình", True),  # a former unit of Đầm Hà
        ("UBND xã Quảng Tân", False),
    ],
)
async def test_commune_of_an_event_comes_from_its_venue(
    db: Database, factory: Factory, venue: str, told: bool
) -> None:
    citizen = await factory.citizen()
    await _subscribe(db, citizen, commune="dam_ha")
    async with db.transaction() as session:
        await create_event(
            session=session, draft=_draft(factory, venue=venue), actor=staff("lan"), now=factory.now
        )
    assert len(await _announcements(db)) == int(told)


def test_a_trade_with_diacritics_does_not_match_a_similar_word_without() -> None:
    event = Event(title="Lớp sửa chữa xe máy", description="", kind=EventKind.VOCATIONAL_CLASS)
    assert not subscriptions.matches_trade(event, "may")
    assert subscriptions.matches_trade(event, "xe máy")
    assert subscriptions.matches_trade(event, "nghề sửa chữa xe máy")
    assert subscriptions.matches_trade(event, "xe may")  # a phrase typed without marks


async def test_registered_unreachable_or_unsubscribed_people_are_not_told(
    db: Database, factory: Factory
) -> None:
    registered, blocked, left = await factory.citizens(3)
    for person in (registered, blocked, left):
        await _subscribe(db, person, commune=None)
    event = await factory.event(status=EventStatus.DRAFT)
    await factory.event()  # another event: irrelevant
    async with db.transaction() as session:
        stored = await session.get_one(Citizen, blocked.id)
        stored.unreachable_at = factory.now
        assert await subscriptions.unsubscribe(session=session, citizen_id=left.id)
        loaded = await session.get_one(Event, event.id)
        loaded.status = EventStatus.OPEN
    await factory.register(registered, event)
    async with db.transaction() as session:
        result = await subscriptions.announce_event(
            session=session,
            event=await session.get_one(Event, event.id),
            actor=staff("lan"),
            now=factory.now,
        )
    assert (result.queued, result.skipped_unreachable) == (0, 1)


async def test_subscribing_needs_consent_and_erasing_forgets_it(
    db: Database, factory: Factory
) -> None:
    without = await factory.citizen(consent_at=None)
    with pytest.raises(CitizenDataRefused) as refused:
        await _subscribe(db, without, commune="dam_ha")
    assert refused.value.reason == Reason.CONSENT_MISSING

    citizen = await factory.citizen()
    await _subscribe(db, citizen, commune="dam_ha", trades=["  may ", "MAY", "hàn"])
    async with db.transaction() as session:
        stored = await subscriptions.get_subscription(session=session, citizen_id=citizen.id)
        assert stored is not None and stored.trades == ["may", "hàn"]
        await erase_citizen(session=session, citizen=await session.get_one(Citizen, citizen.id))
    async with db.transaction() as session:
        assert list(await session.scalars(select(Subscription))) == []
