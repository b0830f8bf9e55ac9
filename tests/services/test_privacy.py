""" "Delete my data": personal fields go, statistics stay, nothing more is sent to the person."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.db.engine import Database
from bot.db.enums import HandoffStatus, OutboxStatus, RegistrationStatus
from bot.db.models import (
    AuditEntry,
    Citizen,
    ConversationState,
    HandoffMessage,
    HandoffTicket,
    OutboxMessage,
    Registration,
)
from bot.services import handoff
from bot.services.actors import staff
from bot.services.broadcast import broadcast_to_opted_in
from bot.services.citizens import CitizenProfile, update_citizen
from bot.services.clock import utcnow
from bot.services.errors import Reason, RegistrationRefused
from bot.services.privacy import ErasureReport, erase_citizen
from tests.support.factories import Factory


async def _erase(db: Database, factory: Factory, citizen_id: int) -> ErasureReport:
    async with db.transaction() as session:
        citizen = await session.get_one(Citizen, citizen_id)
        return await erase_citizen(session=session, citizen=citizen, now=factory.now)


async def test_erasure_removes_personal_fields_but_keeps_commune(
    db: Database, factory: Factory
) -> None:
    citizen = await factory.citizen(
        target_groups=["disabled"], broadcast_opt_in=True, commune="quang_tan"
    )
    await _erase(db, factory, citizen.id)
    async with db.transaction() as session:
        stored = await session.get_one(Citizen, citizen.id)
    assert (stored.telegram_user_id, stored.full_name, stored.phone, stored.birth_year) == (
        None,
        None,
        None,
        None,
    )
    assert stored.target_groups == [] and not stored.broadcast_opt_in
    assert stored.consent_at is None and stored.consent_text_version is None
    assert stored.erased_at == factory.now and not stored.reachable
    assert stored.commune == "quang_tan"


async def test_erasure_keeps_past_attendance_and_frees_future_seats(
    db: Database, factory: Factory
) -> None:
    citizen, waiting = await factory.citizens(2)
    past = await factory.event(
        starts_at=factory.now - timedelta(days=10),
        registration_deadline=factory.now - timedelta(days=11),
    )
    future = await factory.event(capacity=1)
    async with db.transaction() as session:
        session.add(
            Registration(
                citizen_id=citizen.id,
                event_id=past.id,
                status=RegistrationStatus.ATTENDED,
                status_changed_by="staff:lan",
            )
        )
    await factory.register(citizen, future)
    await factory.register(waiting, future)

    report = await _erase(db, factory, citizen.id)

    assert report.registrations_cancelled == 1
    async with db.transaction() as session:
        rows = {
            (r.citizen_id, r.event_id): r.status
            for r in await session.scalars(select(Registration))
        }
    assert rows[(citizen.id, past.id)] == RegistrationStatus.ATTENDED
    assert rows[(citizen.id, future.id)] == RegistrationStatus.CANCELLED
    assert rows[(waiting.id, future.id)] == RegistrationStatus.CONFIRMED


async def test_erasure_drops_pending_messages_and_strips_chat_ids(
    db: Database, factory: Factory
) -> None:
    citizen, other = await factory.citizens(2, broadcast_opt_in=True)
    event = await factory.event()
    await factory.register(citizen, event)
    await factory.register(other, event)
    async with db.transaction() as session:
        first = await session.scalar(
            select(OutboxMessage).where(OutboxMessage.citizen_id == citizen.id).limit(1)
        )
        assert first is not None
        first.status = OutboxStatus.SENT
        first.telegram_message_id = 77
        await broadcast_to_opted_in(session=session, text="tin mới", actor=staff("lan"))

    report = await _erase(db, factory, citizen.id)

    async with db.transaction() as session:
        mine = list(
            await session.scalars(
                select(OutboxMessage).where(OutboxMessage.citizen_id == citizen.id)
            )
        )
        others = list(
            await session.scalars(select(OutboxMessage).where(OutboxMessage.citizen_id == other.id))
        )
    assert report.messages_dropped == 1  # the broadcast; the reminders were cancelled first
    assert [(m.status, m.chat_id) for m in mine if m.status != OutboxStatus.CANCELLED] == [
        (OutboxStatus.SENT, None)
    ]
    assert all(m.status != OutboxStatus.PENDING for m in mine)
    assert len(others) == 3 + 1 and all(m.status == OutboxStatus.PENDING for m in others)


async def test_erasure_scrubs_values_from_staff_audit_entries(
    db: Database, factory: Factory
) -> None:
    citizen = await factory.citizen()
    async with db.transaction() as session:
        loaded = await session.get_one(Citizen, citizen.id)
        await update_citizen(
            session=session,
            citizen=loaded,
            profile=CitizenProfile(full_name="Trần Thị Bình", phone="0987 654 321"),
            actor=staff("lan"),
            now=factory.now,
        )
    await _erase(db, factory, citizen.id)
    async with db.transaction() as session:
        entry = await session.scalar(
            select(AuditEntry).where(AuditEntry.action == "citizen.update")
        )
    assert entry is not None and entry.after is not None
    assert entry.after["full_name"] is None and entry.after["phone"] is None
    assert "Bình" not in str(entry.before) + str(entry.after)


async def test_erased_citizen_cannot_register_and_erasing_again_is_harmless(
    db: Database, factory: Factory
) -> None:
    citizen, event = await factory.citizen(), await factory.event()
    await _erase(db, factory, citizen.id)
    await _erase(db, factory, citizen.id)
    with pytest.raises(RegistrationRefused) as caught:
        await factory.register(citizen, event)
    assert caught.value.reason == Reason.CITIZEN_ERASED


async def test_erasure_removes_forms_in_progress_and_handoff_texts(
    db: Database, factory: Factory
) -> None:
    citizen = await factory.citizen()
    chat_id = citizen.telegram_user_id
    now = utcnow()
    async with db.transaction() as session:
        session.add(
            ConversationState(
                telegram_user_id=chat_id,
                flow="registration",
                step="phone",
                data={"full_name": "Lan"},
            )
        )
        ticket, _ = await handoff.ask_officer(
            session, chat_id=chat_id, text="Số CCCD của tôi là ...", now=now, citizen=citizen
        )
        # An officer's answer still waiting in the outbox must not block the erasure.
        await handoff.reply(session, ticket_id=ticket.id, staff_login="cb", text="Dạ", now=now)
    async with db.transaction() as session:
        stored = await session.get(Citizen, citizen.id)
        assert stored is not None
        await erase_citizen(session=session, citizen=stored, now=now)
    async with db.transaction() as session:
        forms = (await session.execute(select(ConversationState))).scalars().all()
        messages = (await session.execute(select(HandoffMessage))).scalars().all()
        closed = await session.get(HandoffTicket, ticket.id)
    assert forms == []
    assert [m.text for m in messages] == [None, None]
    assert closed is not None and closed.telegram_chat_id is None
    assert closed.status == HandoffStatus.CLOSED
