"""Erasure reaches every trace: staff-chat notices (deleted through the outbox), NLU review
texts, and the audit log records it whoever asked."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select
from telegram import Bot
from telegram import error as tg

from bot.db.engine import Database
from bot.db.enums import OutboxKind, OutboxStatus
from bot.db.models import AuditEntry, Citizen, NluReviewItem, OutboxMessage, StaffChatNotice
from bot.outbox.dispatcher import Dispatcher
from bot.outbox.rate_limit import RateLimiter
from bot.outbox.telegram_sender import TelegramSender
from bot.services import handoff, nlu_review
from bot.services.actors import staff
from bot.services.clock import utcnow
from bot.services.privacy import erase_citizen
from bot.texts.handoff import STAFF_NOTICE_ERASED
from telegram_standin import BotApiStandIn
from tests.support.factories import Factory, debug_renderer

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
async def standin() -> AsyncIterator[BotApiStandIn]:
    async with BotApiStandIn() as running:
        yield running


async def _ask(db: Database, citizen: Citizen, text: str, *, notice: int, chat: int) -> int:
    assert citizen.telegram_user_id is not None
    async with db.transaction() as session:
        ticket, _ = await handoff.ask_officer(
            session, chat_id=citizen.telegram_user_id, text=text, now=utcnow(), citizen=citizen
        )
        await session.flush()
        await handoff.set_staff_chat_message(
            session, ticket_id=ticket.id, message_id=notice, chat_id=chat
        )
        return ticket.id


async def _erase(db: Database, citizen_id: int, **kwargs: Any) -> None:
    async with db.transaction() as session:
        citizen = await session.get_one(Citizen, citizen_id)
        await erase_citizen(session=session, citizen=citizen, **kwargs)


async def test_erasure_deletes_the_staff_chat_notices_quoting_the_citizen(
    db: Database, factory: Factory, standin: BotApiStandIn
) -> None:
    group = standin.create_group("Cán bộ")
    lan, binh = await factory.citizen(), await factory.citizen()
    async with Bot(standin.token, base_url=standin.base_url) as bot:
        sender = TelegramSender(bot)
        first = await sender.send(chat_id=group, text="Câu hỏi #1: CCCD 022190001234")
        follow = await sender.send(chat_id=group, text="Tin nhắn thêm #1: sđt 0912345678")
        other = await sender.send(chat_id=group, text="Câu hỏi #2 của người khác")
        await _ask(db, lan, "CCCD 022190001234", notice=first, chat=group)
        await _ask(db, lan, "sđt 0912345678", notice=follow, chat=group)
        await _ask(db, binh, "khác", notice=other, chat=group)
        await _erase(db, lan.id)
        async with db.transaction() as session:
            queued = (await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all()
        assert [(m.kind, m.chat_id, m.params["message_id"]) for m in queued] == [
            (OutboxKind.RETRACT, group, first),
            (OutboxKind.RETRACT, group, follow),
        ]
        dispatcher = Dispatcher(
            db, sender, renderer=debug_renderer, limiter=RateLimiter(), startup_pause=0
        )
        report = await dispatcher.run_once()
    assert report.sent == 2 and report.failed == 0
    visible = {m.message_id: m.deleted for m in standin.messages(group)}
    assert visible == {first: True, follow: True, other: False}
    await _erase(db, lan.id)  # again: nothing more to take back
    async with db.transaction() as session:
        statuses = (await session.scalars(select(OutboxMessage.status))).all()
        notices = (await session.scalars(select(StaffChatNotice))).all()
    assert statuses == [OutboxStatus.SENT, OutboxStatus.SENT]
    assert {n.message_id: n.retracted_at is not None for n in notices} == {
        first: True,
        follow: True,
        other: False,
    }


class _OldMessageBot:
    """Telegram's answer for a group message older than 48 hours: delete refused, edit ok."""

    def __init__(self) -> None:
        self.edits: list[tuple[int, int, str]] = []

    async def delete_message(self, *, chat_id: int, message_id: int) -> bool:
        raise tg.BadRequest("Message can't be deleted for everyone")

    async def edit_message_text(self, *, chat_id: int, message_id: int, text: str) -> Any:
        self.edits.append((chat_id, message_id, text))
        return True


async def test_a_notice_too_old_to_delete_is_blanked_instead() -> None:
    bot = _OldMessageBot()
    await TelegramSender(bot).retract(chat_id=-100, message_id=7)  # type: ignore[arg-type]
    assert bot.edits == [(-100, 7, STAFF_NOTICE_ERASED)]
    assert "đã yêu cầu xóa dữ liệu" in STAFF_NOTICE_ERASED


async def test_erasure_blanks_the_citizens_review_texts_only(
    db: Database, factory: Factory
) -> None:
    lan, binh = await factory.citizen(), await factory.citizen()
    async with db.transaction() as session:
        for person, text in ((lan, "bà em tên Lan, CCCD 0221"), (binh, "hỏi chuyện khác")):
            await nlu_review.log_message(
                session,
                text=text,
                predicted_intent=None,
                confidence=0.1,
                ranking=[],
                reason="unclear",
                now=utcnow(),
                citizen=person,
            )
    await _erase(db, lan.id)
    async with db.transaction() as session:
        items = (await session.scalars(select(NluReviewItem).order_by(NluReviewItem.id))).all()
    assert [(i.text, i.citizen_id) for i in items] == [(None, None), ("hỏi chuyện khác", binh.id)]
    assert items[0].text_erased_at is not None and items[0].reason == "unclear"


async def test_every_erasure_is_audited_whoever_asked(db: Database, factory: Factory) -> None:
    by_self, by_staff = await factory.citizen(), await factory.citizen()
    await _erase(db, by_self.id)
    await _erase(db, by_staff.id, actor=staff("lan"))
    async with db.transaction() as session:
        entries = (
            await session.scalars(
                select(AuditEntry)
                .where(AuditEntry.action == "citizen.erase")
                .order_by(AuditEntry.id)
            )
        ).all()
    assert [(e.actor, e.entity_id) for e in entries] == [
        (f"citizen:{by_self.id}", by_self.id),
        ("staff:lan", by_staff.id),
    ]
