"""Blocked and back: the first update after an unblock restores reminders, answers, notices."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from bot.db.engine import Database
from bot.db.enums import OutboxKind, OutboxStatus, RegistrationStatus
from bot.db.models import Citizen, Event, HandoffMessage, OutboxMessage, Registration
from bot.outbox.dispatcher import Dispatcher
from bot.outbox.port import RecipientBlocked
from bot.outbox.queue import Template
from bot.outbox.rate_limit import RateLimiter
from bot.services import handoff, reachability
from bot.services.actors import staff
from bot.services.citizens import mark_unreachable
from bot.services.events import cancel_event
from bot.services.registrations import cancel_registration
from tests.support.factories import Factory, FakeSender, debug_renderer


def _dispatcher(db: Database, sender: FakeSender, now: datetime) -> Dispatcher:
    return Dispatcher(
        db,
        sender,  # type: ignore[arg-type]
        renderer=debug_renderer,
        limiter=RateLimiter(per_second=10_000, per_chat_interval=0),
        clock=lambda: now,
        startup_pause=0,
    )


async def _rows(db: Database, citizen_id: int) -> list[OutboxMessage]:
    async with db.transaction() as session:
        found = await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.citizen_id == citizen_id)
            .order_by(OutboxMessage.id)
        )
        return list(found)


def _pending(rows: list[OutboxMessage], template: Template) -> list[OutboxMessage]:
    return [r for r in rows if r.template == template.value and r.status == OutboxStatus.PENDING]


async def _ask_and_answer(db: Database, citizen: Citizen, now: datetime, text: str) -> int:
    async with db.transaction() as session:
        ticket, _ = await handoff.ask_officer(
            session, chat_id=citizen.telegram_user_id or 0, text="Hỏi", now=now, citizen=citizen
        )
        await handoff.reply(session, ticket_id=ticket.id, staff_login="lan", text=text, now=now)
        return ticket.id


async def test_blocked_then_back_restores_reminders_and_sends_held_answers(
    db: Database, factory: Factory, sender: FakeSender
) -> None:
    citizen = await factory.citizen()
    event = await factory.event()
    await factory.register(citizen, event)
    assert len(_pending(await _rows(db, citizen.id), Template.REMINDER)) == 3
    ticket_id = await _ask_and_answer(db, citizen, factory.now, "Trả lời lần 1")
    sender.failures[citizen.telegram_user_id or 0] = [RecipientBlocked("Forbidden: blocked")]

    report = await _dispatcher(db, sender, factory.now).run_once()

    assert report.blocked == 1 and sender.sent == []
    assert _pending(await _rows(db, citizen.id), Template.REMINDER) == []
    # An officer answers again while the person still blocks the bot: held, not dropped.
    later = factory.now + timedelta(minutes=5)
    async with db.transaction() as session:
        queued = await handoff.reply(
            session, ticket_id=ticket_id, staff_login="lan", text="Trả lời lần 2", now=later
        )
        statuses = await handoff.answer_deliveries(session, [ticket_id])
    assert queued is None
    assert {s.state for s in statuses.values()} == {handoff.Delivery.HELD}

    back = factory.now + timedelta(hours=1)
    async with db.transaction() as session:
        healed = await reachability.note_contact(
            session, telegram_user_id=citizen.telegram_user_id or 0, now=back
        )
    assert healed is not None
    assert (healed.reminders, healed.messages, healed.missed) == (3, 2, 0)

    report = await _dispatcher(db, sender, back).run_once()

    assert sorted(m.text for m in sender.sent) == sorted(
        f'[handoff.reply] {{"ticket_id": {ticket_id}, "text": "Trả lời lần {n}"}}' for n in (1, 2)
    )
    rows = await _rows(db, citizen.id)
    assert len(_pending(rows, Template.REMINDER)) == 3  # not due yet: a week ahead
    async with db.transaction() as session:
        statuses = await handoff.answer_deliveries(session, [ticket_id])
        stored = await session.get_one(Citizen, citizen.id)
    assert {s.state for s in statuses.values()} == {handoff.Delivery.SENT}
    assert stored.reachable


async def test_a_reachable_person_costs_no_write_and_a_second_heal_queues_nothing(
    db: Database, factory: Factory
) -> None:
    citizen = await factory.citizen()
    event = await factory.event()
    await factory.register(citizen, event)
    async with db.transaction() as session:
        assert (
            await reachability.note_contact(session, telegram_user_id=citizen.telegram_user_id or 0)
            is None
        )
        assert not session.dirty and not session.new
        await mark_unreachable(session=session, citizen_id=citizen.id, reason="blocked")
    async with db.transaction() as session:
        first = await reachability.note_contact(
            session, telegram_user_id=citizen.telegram_user_id or 0, now=factory.now
        )
        second = await reachability.heal(session, citizen_id=citizen.id, now=factory.now)
    assert first is not None and first.reminders == 3 and second is None
    assert len(_pending(await _rows(db, citizen.id), Template.REMINDER)) == 3
    async with db.transaction() as session:
        # Restoring again (e.g. a second unblock) finds the reminders and adds none.
        from bot.services.reminders import restore_reminders

        again = await restore_reminders(
            session, citizen=await session.get_one(Citizen, citizen.id), now=factory.now
        )
    assert again == 0


async def test_an_event_cancelled_while_away_is_announced_on_return(
    db: Database, factory: Factory
) -> None:
    citizen = await factory.citizen()
    event = await factory.event()
    await factory.register(citizen, event)
    async with db.transaction() as session:
        await mark_unreachable(session=session, citizen_id=citizen.id, reason="blocked")
    async with db.transaction() as session:
        loaded = await session.get_one(Event, event.id)
        notices = await cancel_event(session=session, event=loaded, actor=staff("lan"))
    assert notices == 0  # could not be queued: they had blocked the bot

    async with db.transaction() as session:
        healed = await reachability.note_contact(
            session, telegram_user_id=citizen.telegram_user_id or 0
        )
    assert healed is not None and (healed.reminders, healed.missed) == (0, 1)
    [notice] = _pending(await _rows(db, citizen.id), Template.EVENT_CANCELLED)
    assert notice.params["title"] == event.title


async def test_a_seat_freed_while_away_is_announced_and_reminded_on_return(
    db: Database, factory: Factory
) -> None:
    event = await factory.event(capacity=1)
    first, second = await factory.citizens(2)
    await factory.register(first, event)
    waiting = await factory.register(second, event)
    assert waiting.status == RegistrationStatus.WAITLISTED
    async with db.transaction() as session:
        await mark_unreachable(session=session, citizen_id=second.id, reason="blocked")
    async with db.transaction() as session:
        [seat] = await session.scalars(
            select(Registration).where(Registration.citizen_id == first.id)
        )
        promoted = await cancel_registration(session=session, registration=seat)
    assert len(promoted) == 1

    async with db.transaction() as session:
        healed = await reachability.note_contact(
            session, telegram_user_id=second.telegram_user_id or 0
        )
    assert healed is not None and (healed.reminders, healed.missed) == (3, 1)
    rows = await _rows(db, second.id)
    assert len(_pending(rows, Template.PROMOTED)) == 1
    assert {r.kind for r in _pending(rows, Template.PROMOTED)} == {OutboxKind.PROMOTION}


async def test_a_failed_answer_can_be_resent_and_an_erased_one_cannot(
    db: Database, factory: Factory, sender: FakeSender
) -> None:
    from bot.outbox.port import PermanentSendError

    citizen = await factory.citizen()
    ticket_id = await _ask_and_answer(db, citizen, factory.now, "Câu trả lời")
    sender.failures[citizen.telegram_user_id or 0] = [PermanentSendError("Bad Request: x")]
    await _dispatcher(db, sender, factory.now).run_once()
    async with db.transaction() as session:
        [(message_id, status)] = (await handoff.answer_deliveries(session, [ticket_id])).items()
    assert (status.state, status.reason, status.can_resend) == (
        handoff.Delivery.FAILED,
        handoff.REASON_REFUSED,
        True,
    )
    async with db.transaction() as session:
        again = await handoff.resend_answer(
            session, handoff_message_id=message_id, staff_login="lan", now=factory.now
        )
    assert again.state is handoff.Delivery.QUEUED
    await _dispatcher(db, sender, factory.now).run_once()
    assert [m.chat_id for m in sender.sent] == [citizen.telegram_user_id]
    async with db.transaction() as session:
        [status] = (await handoff.answer_deliveries(session, [ticket_id])).values()
        message = await session.get_one(HandoffMessage, message_id)
    assert status.state is handoff.Delivery.SENT and message.outbox_id is not None


async def test_telegram_saying_they_blocked_the_bot_holds_their_messages_until_they_return(
    db: Database, factory: Factory
) -> None:
    citizen = await factory.citizen()
    event = await factory.event()
    await factory.register(citizen, event)
    user_id = citizen.telegram_user_id or 0

    async with db.transaction() as session:
        assert await reachability.note_blocked(session, telegram_user_id=user_id, now=factory.now)
    async with db.transaction() as session:  # told twice (a redelivery): nothing more to do
        assert not await reachability.note_blocked(session, telegram_user_id=user_id)
        assert not await reachability.note_blocked(session, telegram_user_id=999_999_999)

    async with db.transaction() as session:
        stored = await session.get_one(Citizen, citizen.id)
    assert not stored.reachable
    assert _pending(await _rows(db, citizen.id), Template.REMINDER) == []

    async with db.transaction() as session:
        healed = await reachability.note_contact(
            session, telegram_user_id=user_id, now=factory.now + timedelta(hours=1)
        )
    assert healed is not None and healed.reminders == 3
