"""Citizen records kept by officers: notes vanish with an erasure, merges keep one
registration per person and event, duplicate decisions are not asked twice."""

from __future__ import annotations

from sqlalchemy import select

from bot.db.engine import Database
from bot.db.models import Citizen, CitizenNote, Registration
from bot.services import actors, citizens, privacy
from bot.services.reporting.citizens import duplicates_of
from tests.support.factories import Factory

LAN = actors.staff("lan")


async def test_erasing_a_citizen_blanks_the_officers_notes_and_name_key(
    db: Database, factory: Factory
) -> None:
    person = await factory.citizen(full_name="Nguyễn Thị Hoa")
    async with db.transaction() as session:
        loaded = await session.get_one(Citizen, person.id)
        await citizens.add_note(session=session, citizen=loaded, text="Hộ nghèo, 2 con", actor=LAN)
    async with db.transaction() as session:
        loaded = await session.get_one(Citizen, person.id)
        assert loaded.name_key == "nguyen thi hoa"
        await privacy.erase_citizen(session=session, citizen=loaded)
    async with db.transaction() as session:
        notes = (await session.scalars(select(CitizenNote.text))).all()
        erased = await session.get_one(Citizen, person.id)
    assert notes == [None]
    assert erased.full_name is None and erased.name_key is None


async def test_merge_moves_what_it_can_and_keeps_one_registration_per_event(
    db: Database, factory: Factory
) -> None:
    keep, other = await factory.citizens(2, full_name="Nguyễn Thị Hoa", phone="+84912345678")
    shared = await factory.event(title="Lớp may")
    only_other = await factory.event(title="Phiên việc làm")
    await factory.register(keep, shared)
    await factory.register(other, shared)
    await factory.register(other, only_other)
    async with db.transaction() as session:
        found = await duplicates_of(session, await session.get_one(Citizen, keep.id), scope=None)
        assert [(d.citizen.id, d.same_phone, d.same_name) for d in found] == [
            (other.id, True, True)
        ]
        report = await citizens.merge(
            session=session,
            keep=await session.get_one(Citizen, keep.id),
            other=await session.get_one(Citizen, other.id),
            actor=LAN,
        )
    assert (report.registrations_moved, report.registrations_kept_apart) == (1, 1)
    async with db.transaction() as session:
        owners = (
            (await session.execute(select(Registration.event_id, Registration.citizen_id)))
            .tuples()
            .all()
        )
        assert sorted(owners) == sorted(
            [(shared.id, keep.id), (shared.id, other.id), (only_other.id, keep.id)]
        )
        assert (
            await duplicates_of(session, await session.get_one(Citizen, keep.id), scope=None) == []
        )
