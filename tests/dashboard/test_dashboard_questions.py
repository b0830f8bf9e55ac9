"""Citizens' questions: the handoff inbox and the review of messages the bot did not get."""

from __future__ import annotations

import yaml
from sqlalchemy import select

from bot.db.engine import Database
from bot.db.enums import HandoffStatus, ReviewStatus
from bot.db.models import AuditEntry, HandoffTicket, NluReviewItem, OutboxMessage
from bot.services import handoff, nlu_review
from bot.services.clock import utcnow
from bot.services.communes import DAM_HA, QUANG_TAN
from tests.dashboard.support import StaffClient
from tests.support.factories import Factory


async def open_ticket(db: Database, factory: Factory, text: str) -> int:
    citizen = await factory.citizen(full_name="Hoàng Thị Lan", commune=DAM_HA)
    async with db.transaction() as session:
        ticket, _ = await handoff.ask_officer(
            session,
            chat_id=citizen.telegram_user_id,
            text=text,
            now=utcnow(),
            citizen=citizen,
            topic="housing_amount",
        )
        return ticket.id


async def test_officer_replies_through_the_outbox_then_closes(
    signed_in,
    factory: Factory,
    db: Database,  # type: ignore[no-untyped-def]
) -> None:
    ticket_id = await open_ticket(db, factory, "Nhà tôi bị dột <b>nặng</b>, được hỗ trợ bao nhiêu?")
    officer: StaffClient = await signed_in("canbo_dh")
    inbox = await officer.get("/handoff")
    assert "Nhà tôi bị dột &lt;b&gt;nặng&lt;/b&gt;" in inbox.text  # escaped, never markup
    assert "Hoàng Thị Lan" in inbox.text and "Nhà ở: mức hỗ trợ" in inbox.text
    response = await officer.post(
        f"/handoff/{ticket_id}/reply", {"text": "Chào chị, mức hỗ trợ là 60 triệu đồng."}
    )
    assert response.status_code == 303
    async with db.transaction() as session:
        outbox = (await session.scalars(select(OutboxMessage))).all()
        ticket = await session.get_one(HandoffTicket, ticket_id)
        audit = await session.scalar(select(AuditEntry).where(AuditEntry.action == "handoff.reply"))
    assert [message.template for message in outbox] == ["handoff.reply"]
    assert outbox[0].params["text"] == "Chào chị, mức hỗ trợ là 60 triệu đồng."
    assert ticket.status == HandoffStatus.ANSWERED
    assert audit is not None and audit.actor == "staff:canbo_dh"
    assert "mức hỗ trợ" not in str(audit.after)  # the audit log keeps no free text
    page = await officer.get("/handoff", params={"status": "all"})
    assert "Đã lưu câu trả lời" in page.text and "Cán bộ canbo_dh" in page.text
    assert "Đang chờ gửi" in page.text  # not "sent" before Telegram has accepted it
    await officer.post(f"/handoff/{ticket_id}/close")
    async with db.transaction() as session:
        assert (await session.get_one(HandoffTicket, ticket_id)).status == HandoffStatus.CLOSED
    assert "Nhà tôi bị dột" not in (await officer.get("/handoff")).text


async def test_an_empty_reply_is_not_sent(
    signed_in,
    factory: Factory,
    db: Database,  # type: ignore[no-untyped-def]
) -> None:
    ticket_id = await open_ticket(db, factory, "Cho hỏi")
    admin: StaffClient = await signed_in("admin")
    await admin.post(f"/handoff/{ticket_id}/reply", {"text": "   "})
    assert "Câu trả lời đang để trống." in (await admin.get("/handoff")).text
    assert (await admin.post("/handoff/999/reply", {"text": "x"})).status_code == 404
    async with db.transaction() as session:
        assert (await session.scalars(select(OutboxMessage))).all() == []


async def add_review_items(db: Database, factory: Factory | None = None) -> list[int]:
    """Two messages from a Quảng Tân citizen (officers see their own commune's only)."""
    author = await (factory or Factory(db)).citizen(commune=QUANG_TAN)
    async with db.transaction() as session:
        items = [
            await nlu_review.log_message(
                session,
                text=text,
                predicted_intent=intent,
                confidence=confidence,
                ranking=[(intent or "greet", confidence)],
                reason="low_confidence",
                now=utcnow(),
                citizen=author,
            )
            for text, intent, confidence in (
                ("tiền trợ cấp tháng này bao giờ có", "allowance_amount", 0.41),
                ("bán cho tôi con gà", "job_fairs", 0.22),
            )
        ]
        await session.flush()
        return [item.id for item in items]


async def test_staff_label_messages_and_export_rasa_yaml(
    signed_in,
    db: Database,  # type: ignore[no-untyped-def]
) -> None:
    payment, chicken = await add_review_items(db)
    officer: StaffClient = await signed_in("canbo_qt")
    page = await officer.get("/nlu")
    assert "tiền trợ cấp tháng này bao giờ có" in page.text
    assert "0.41" in page.text and "Độ tin cậy thấp" in page.text
    await officer.post(f"/nlu/{payment}/label", {"intent": "allowance_payment"})
    await officer.post(f"/nlu/{chicken}/label", {"intent": "out_of_scope"})
    refused = await officer.post(f"/nlu/{payment}/label", {"intent": "not_an_intent"})
    assert refused.status_code == 303
    async with db.transaction() as session:
        first = await session.get_one(NluReviewItem, payment)
        second = await session.get_one(NluReviewItem, chicken)
    assert (first.status, first.labelled_intent) == (ReviewStatus.LABELLED, "allowance_payment")
    assert second.status == ReviewStatus.OUT_OF_SCOPE
    export = await officer.get("/nlu/export.yml")
    assert "attachment" in export.headers["content-disposition"]
    data = yaml.safe_load(export.text)
    assert data["version"] == "3.1"
    examples = {entry["intent"]: entry["examples"] for entry in data["nlu"]}
    assert "tiền trợ cấp tháng này bao giờ có" in examples["allowance_payment"]
    assert "bán cho tôi con gà" in examples["out_of_scope"]
    assert "Không còn câu nào chờ rà soát." in (await officer.get("/nlu")).text


async def test_viewer_reads_the_review_list_without_forms(
    signed_in,
    db: Database,  # type: ignore[no-untyped-def]
) -> None:
    await add_review_items(db)
    viewer: StaffClient = await signed_in("xem")
    page = await viewer.get("/nlu")
    assert "bán cho tôi con gà" in page.text and 'name="intent"' not in page.text
