"""The handoff inbox tells the truth about answers: queued, sent, held or failed, and resend."""

from __future__ import annotations

from sqlalchemy import select

from bot.db.engine import Database
from bot.db.enums import OutboxStatus
from bot.db.models import Citizen, HandoffTicket, OutboxMessage
from bot.services import handoff
from bot.services.clock import utcnow
from bot.services.communes import DAM_HA
from tests.dashboard.support import StaffClient
from tests.support.factories import Factory


async def _answered(db: Database, factory: Factory, **citizen: object) -> tuple[int, int]:
    """A ticket with one officer answer; (ticket id, its outbox row id)."""
    person = await factory.citizen(full_name="Hoàng Thị Lan", commune=DAM_HA, **citizen)
    async with db.transaction() as session:
        ticket, _ = await handoff.ask_officer(
            session, chat_id=person.telegram_user_id, text="Cho hỏi", now=utcnow(), citizen=person
        )
        await handoff.reply(
            session, ticket_id=ticket.id, staff_login="canbo_dh", text="Trả lời", now=utcnow()
        )
        row = await session.scalar(select(OutboxMessage.id))
    assert row is not None
    return ticket.id, row


async def _settle(db: Database, row_id: int, status: OutboxStatus, error: str | None) -> None:
    async with db.transaction() as session:
        row = await session.get_one(OutboxMessage, row_id)
        row.status, row.last_error = status, error


async def test_a_failed_answer_shows_why_and_can_be_resent(
    signed_in,  # type: ignore[no-untyped-def]
    factory: Factory,
    db: Database,
) -> None:
    ticket_id, row_id = await _answered(db, factory)
    officer: StaffClient = await signed_in("canbo_dh")
    assert "Đang chờ gửi" in (await officer.get("/handoff?status=all")).text
    await _settle(db, row_id, OutboxStatus.FAILED, "permanent: Bad Request: chat not found")

    page = await officer.get("/handoff?status=all")

    assert "Không gửi được: Telegram từ chối tin nhắn" in page.text
    assert "Người dân đã nhận" not in page.text
    async with db.transaction() as session:
        [message_id] = (await handoff.answer_deliveries(session, [ticket_id])).keys()
    response = await officer.post(f"/handoff/{ticket_id}/resend/{message_id}")
    assert response.status_code == 303
    async with db.transaction() as session:
        assert (await session.get_one(OutboxMessage, row_id)).status == OutboxStatus.PENDING
    await _settle(db, row_id, OutboxStatus.SENT, None)
    assert "Người dân đã nhận" in (await officer.get("/handoff?status=all")).text


async def test_an_answer_to_someone_who_blocked_the_bot_is_shown_as_held(
    signed_in,  # type: ignore[no-untyped-def]
    factory: Factory,
    db: Database,
) -> None:
    await _answered(db, factory, unreachable_at=utcnow())
    officer: StaffClient = await signed_in("canbo_dh")

    page = await officer.get("/handoff?status=all")

    assert "Chưa gửi: người dân đã chặn bot" in page.text
    assert "Gửi lại" not in page.text  # it goes out by itself when they come back


async def test_an_officer_sees_questions_whose_commune_is_not_known_yet(
    signed_in,  # type: ignore[no-untyped-def]
    db: Database,
) -> None:
    async with db.transaction() as session:
        session.add(Citizen(telegram_user_id=5, full_name="Ẩn danh", target_groups=[]))
        await handoff.ask_officer(session, chat_id=5, text="Hỏi thôn 5", now=utcnow())
        elsewhere, _ = await handoff.ask_officer(
            session, chat_id=6, text="Hỏi Dực Yên", now=utcnow(), commune="quang_tan"
        )
    officer: StaffClient = await signed_in("canbo_dh")

    page = await officer.get("/handoff?status=all")

    assert "Hỏi thôn 5" in page.text and "Hỏi Dực Yên" not in page.text
    async with db.transaction() as session:
        assert (await session.get_one(HandoffTicket, elsewhere.id)).commune == "quang_tan"
