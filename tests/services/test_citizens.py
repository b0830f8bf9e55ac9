"""Citizens: stored normalised, with the consent they gave; staff edits are audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db.engine import Database
from bot.db.models import AuditEntry, Citizen
from bot.services.actors import staff
from bot.services.citizens import (
    CitizenProfile,
    get_citizen_by_telegram_id,
    mark_unreachable,
    save_citizen,
    update_citizen,
)
from bot.services.errors import CitizenDataRefused, Reason
from bot.services.phones import InvalidPhone, PhoneProblem
from tests.support.factories import Factory

PROFILE = CitizenProfile(
    full_name="  Nguyễn   Thị Hoa ",
    phone="0912.345.678",
    birth_year=1961,
    commune="xã Tân Bình",
    target_groups=("elderly", "poor_household", "elderly"),
)


async def test_save_citizen_normalises_and_records_consent(db: Database, factory: Factory) -> None:
    async with db.transaction() as session:
        await save_citizen(
            session=session,
            telegram_user_id=555,
            profile=PROFILE,
            consent_text_version="2026-01",
            now=factory.now,
        )
    async with db.transaction() as session:
        citizen = await get_citizen_by_telegram_id(session=session, telegram_user_id=555)
    assert citizen is not None
    assert citizen.full_name == "Nguyễn Thị Hoa"
    assert citizen.phone == "+84912345678"
    assert citizen.commune == "dam_ha"
    assert citizen.target_groups == ["elderly", "poor_household"]
    assert (citizen.consent_at, citizen.consent_text_version) == (factory.now, "2026-01")


async def test_saving_again_updates_the_same_citizen_and_makes_them_reachable(
    db: Database, factory: Factory
) -> None:
    for version in ("v1", "v2"):
        async with db.transaction() as session:
            citizen = await save_citizen(
                session=session,
                telegram_user_id=9,
                profile=PROFILE,
                consent_text_version=version,
                now=factory.now,
            )
        if version == "v1":
            async with db.transaction() as session:
                await mark_unreachable(
                    session=session, citizen_id=citizen.id, reason="blocked", now=factory.now
                )
    async with db.transaction() as session:
        rows = list(await session.scalars(select(Citizen)))
    assert len(rows) == 1
    assert rows[0].consent_text_version == "v2" and rows[0].reachable


@pytest.mark.parametrize(
    ("profile", "reason"),
    [
        (CitizenProfile(full_name="An", commune="Hạ Long"), Reason.UNKNOWN_COMMUNE),
        (CitizenProfile(full_name="An", birth_year=1850), Reason.INVALID_BIRTH_YEAR),
        (CitizenProfile(full_name="An", target_groups=("vip",)), Reason.UNKNOWN_TARGET_GROUP),
        (CitizenProfile(full_name="   "), Reason.INVALID_NAME),
    ],
)
async def test_invalid_profile_is_refused_with_a_reason(
    db: Database, factory: Factory, profile: CitizenProfile, reason: Reason
) -> None:
    with pytest.raises(CitizenDataRefused) as caught:
        async with db.transaction() as session:
            await save_citizen(
                session=session,
                telegram_user_id=1,
                profile=profile,
                consent_text_version="v1",
                now=factory.now,
            )
    assert caught.value.reason == reason


async def test_landline_is_refused_as_phone(db: Database, factory: Factory) -> None:
    with pytest.raises(InvalidPhone) as caught:
        async with db.transaction() as session:
            await save_citizen(
                session=session,
                telegram_user_id=1,
                profile=CitizenProfile(full_name="An", phone="0203 3845 678"),
                consent_text_version="v1",
                now=factory.now,
            )
    assert caught.value.problem == PhoneProblem.LANDLINE


async def test_staff_edit_is_audited_with_before_and_after(db: Database, factory: Factory) -> None:
    citizen = await factory.citizen(full_name="Lê Văn A", phone="+84912000001", commune="dam_ha")
    async with db.transaction() as session:
        loaded = await session.get_one(Citizen, citizen.id)
        await update_citizen(
            session=session,
            citizen=loaded,
            profile=CitizenProfile(
                full_name="Lê Văn A", phone="0912 000 001", birth_year=1980, commune="Quảng Tân"
            ),
            actor=staff("lan"),
            now=factory.now,
        )
    async with db.transaction() as session:
        entry = await session.scalar(select(AuditEntry))
    assert entry is not None
    assert (entry.actor, entry.action, entry.entity_type, entry.entity_id) == (
        "staff:lan",
        "citizen.update",
        "citizen",
        citizen.id,
    )
    assert entry.before == {"commune": "dam_ha"}
    assert entry.after == {"commune": "quang_tan"}
    assert entry.at == factory.now
