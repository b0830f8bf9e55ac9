"""Handoff tickets: one open ticket per chat, officer replies go through the outbox."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.db.engine import Database
from bot.db.enums import HandoffAuthor, HandoffStatus, OutboxStatus
from bot.db.models import AuditEntry, OutboxMessage
from bot.outbox.queue import Template
from bot.services import handoff
from bot.services.clock import utcnow
from tests.support.factories import Factory


async def test_messages_while_open_join_the_same_ticket(db: Database, factory: Factory) -> None:
    citizen = await factory.citizen()
    now = utcnow()
    async with db.transaction() as session:
        first, is_new = await handoff.ask_officer(
            session,
            chat_id=citizen.telegram_user_id,
            text="Cho tôi gặp cán bộ",
            now=now,
            citizen=citizen,
            topic="human_handoff",
        )
    async with db.transaction() as session:
        second, again_new = await handoff.ask_officer(
            session, chat_id=citizen.telegram_user_id, text="Tôi hỏi về trợ cấp", now=now
        )
    assert is_new and not again_new and first.id == second.id
    async with db.transaction() as session:
        [view] = await handoff.list_tickets(session)
    assert [m.text for m in view.messages] == ["Cho tôi gặp cán bộ", "Tôi hỏi về trợ cấp"]
    assert view.ticket.commune == citizen.commune


async def test_officer_reply_is_queued_to_the_citizen(db: Database, factory: Factory) -> None:
    citizen = await factory.citizen()
    now = utcnow()
    async with db.transaction() as session:
        ticket, _ = await handoff.ask_officer(
            session,
            chat_id=citizen.telegram_user_id,
            text="Mẹ tôi 80 tuổi",
            now=now,
            citizen=citizen,
        )
    async with db.transaction() as session:
        outbox = await handoff.reply(
            session,
            ticket_id=ticket.id,
            staff_login="canbo.quangtan",
            text="<b>Bác</b> mang CCCD đến UBND xã",
            now=now,
        )
    assert outbox is not None
    async with db.transaction() as session:
        queued = (await session.execute(select(OutboxMessage))).scalar_one()
        [view] = await handoff.list_tickets(session)
    assert queued.template == Template.HANDOFF_REPLY.value
    assert queued.chat_id == citizen.telegram_user_id
    assert queued.status == OutboxStatus.PENDING
    assert queued.params["text"] == "<b>Bác</b> mang CCCD đến UBND xã"  # escaped when rendered
    assert view.ticket.status == HandoffStatus.ANSWERED
    assert view.messages[-1].author == HandoffAuthor.STAFF


async def test_closed_ticket_is_not_reused(db: Database, factory: Factory) -> None:
    citizen = await factory.citizen()
    now = utcnow()
    async with db.transaction() as session:
        ticket, _ = await handoff.ask_officer(
            session, chat_id=citizen.telegram_user_id, text="Hỏi", now=now, citizen=citizen
        )
    async with db.transaction() as session:
        await handoff.close(session, ticket_id=ticket.id, staff_login="admin", now=now)
    async with db.transaction() as session:
        new_ticket, is_new = await handoff.ask_officer(
            session, chat_id=citizen.telegram_user_id, text="Hỏi lại", now=now, citizen=citizen
        )
    assert is_new and new_ticket.id != ticket.id


async def test_staff_chat_reply_finds_its_ticket(db: Database, factory: Factory) -> None:
    citizen = await factory.citizen()
    async with db.transaction() as session:
        ticket, _ = await handoff.ask_officer(
            session, chat_id=citizen.telegram_user_id, text="Hỏi", now=utcnow(), citizen=citizen
        )
        await handoff.set_staff_chat_message(session, ticket_id=ticket.id, message_id=777)
    async with db.transaction() as session:
        found = await handoff.ticket_for_staff_message(session, 777)
        missing = await handoff.ticket_for_staff_message(session, 778)
    assert found is not None and found.id == ticket.id and missing is None


async def test_officers_see_only_their_commune(db: Database, factory: Factory) -> None:
    here = await factory.citizen()
    async with db.transaction() as session:
        await handoff.ask_officer(
            session,
            chat_id=here.telegram_user_id,
            text="Hỏi",
            now=utcnow(),
            citizen=here,
            commune="other-commune",
        )
        assert await handoff.list_tickets(session, commune="nowhere") == []
        assert len(await handoff.list_tickets(session, commune="other-commune")) == 1


async def test_old_question_texts_are_erased(db: Database, factory: Factory) -> None:
    citizen = await factory.citizen()
    then = utcnow() - timedelta(days=100)
    async with db.transaction() as session:
        await handoff.ask_officer(
            session,
            chat_id=citizen.telegram_user_id,
            text="số CCCD 0221...",
            now=then,
            citizen=citizen,
        )
    async with db.transaction() as session:
        erased = await handoff.erase_old_texts(
            session, older_than=utcnow() - timedelta(days=90), now=utcnow()
        )
        [view] = await handoff.list_tickets(session)
    assert erased == 1 and view.messages[0].text is None


async def test_replies_and_closing_are_audited_without_the_text(
    db: Database, factory: Factory
) -> None:
    citizen = await factory.citizen()
    now = utcnow()
    async with db.transaction() as session:
        ticket, _ = await handoff.ask_officer(
            session, chat_id=citizen.telegram_user_id, text="Hỏi", now=now, citizen=citizen
        )
    async with db.transaction() as session:
        await handoff.reply(
            session, ticket_id=ticket.id, staff_login="telegram:canbo", text="Trả lời", now=now
        )
        await handoff.close(session, ticket_id=ticket.id, staff_login="telegram:canbo", now=now)
    async with db.transaction() as session:
        entries = list(
            (await session.execute(select(AuditEntry).order_by(AuditEntry.id))).scalars()
        )
        rows = [(e.actor, e.action, e.entity_id) for e in entries]
        texts = [str(e.after) + str(e.before) for e in entries]
    assert rows == [
        ("staff:telegram:canbo", "handoff.reply", ticket.id),
        ("staff:telegram:canbo", "handoff.close", ticket.id),
    ]
    assert not any("Trả lời" in text for text in texts)
