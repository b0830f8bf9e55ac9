"""The handoff inbox: filters, assignment inside the commune, history, undelivered answers,
and what the citizen was told when they asked outside working hours."""

from __future__ import annotations

from sqlalchemy import select, update

from bot.db.engine import Database
from bot.db.enums import OutboxStatus
from bot.db.models import AuditEntry, HandoffTicket, OutboxMessage
from bot.services import handoff
from bot.services.clock import local
from bot.services.communes import DAM_HA, QUANG_TAN
from tests.dashboard.support import StaffClient
from tests.support.factories import Factory


async def _ticket(db: Database, factory: Factory, name: str, commune: str, text: str) -> int:
    citizen = await factory.citizen(full_name=name, commune=commune)
    async with db.transaction() as session:
        ticket, _ = await handoff.ask_officer(
            session, chat_id=citizen.telegram_user_id, text=text, citizen=citizen,
            now=local(2026, 12, 5, 22, 0),  # Saturday night
        )  # fmt: skip
        return ticket.id


async def test_filters_assignment_history_and_undelivered(
    signed_in, db: Database, factory: Factory, accounts: dict[str, int]
) -> None:  # type: ignore[no-untyped-def]
    first = await _ticket(db, factory, "Nguyễn Thị Hoa", QUANG_TAN, "Hỏi về trợ cấp")
    second = await _ticket(db, factory, "Lê Văn Tám", QUANG_TAN, "Hỏi về nhà ở")
    theirs = await _ticket(db, factory, "Trần Văn Đông", DAM_HA, "Câu hỏi của Đầm Hà")
    officer: StaffClient = await signed_in("canbo_qt")
    inbox = await officer.get("/handoff")
    assert "Hỏi về trợ cấp" in inbox.text and "Câu hỏi của Đầm Hà" not in inbox.text
    assert "hỏi ngoài giờ làm việc và được báo sẽ có trả lời từ 07/12/2026 07:30" in inbox.text
    assert 'href="tel:+84' in inbox.text

    # assign to myself: "mine" shows it; another commune's officer is not offered or accepted
    assert "canbo_dh" not in inbox.text.split(f'id="ticket-{first}"')[1].split("</article>")[0]
    refused = await officer.post(f"/handoff/{first}/assign", {"assignee": "canbo_dh"})
    assert refused.status_code == 400
    await officer.post(f"/handoff/{first}/assign", {"assignee": "canbo_qt", "filter": "open"})
    mine = await officer.get("/handoff", params={"status": "mine"})
    assert "Hỏi về trợ cấp" in mine.text and "Hỏi về nhà ở" not in mine.text
    assert (await officer.post(f"/handoff/{theirs}/assign", {"assignee": ""})).status_code == 404

    # answer one (queued), answer the other and make its delivery fail, close the first
    await officer.post(f"/handoff/{first}/reply", {"text": "Chào chị, mang CCCD."})
    await officer.post(f"/handoff/{second}/reply", {"text": "Anh đến UBND xã nhé."})
    async with db.transaction() as session:
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.params["ticket_id"].as_integer() == second)
            .values(status=OutboxStatus.FAILED)
        )
    answered = await officer.get("/handoff", params={"status": "answered"})
    assert "Hỏi về trợ cấp" in answered.text and "đang chờ gửi" in answered.text
    undelivered = await officer.get("/handoff", params={"status": "undelivered"})
    assert "Hỏi về nhà ở" in undelivered.text and "Hỏi về trợ cấp" not in undelivered.text
    assert "không gửi được" in undelivered.text
    await officer.post(f"/handoff/{first}/close")
    history = await officer.get("/handoff", params={"status": "closed"})
    assert "Hỏi về trợ cấp" in history.text and "Chào chị, mang CCCD." in history.text
    assert "Đã đóng lúc" in history.text
    assert (await officer.get("/handoff", params={"status": "OPEN"})).status_code == 400

    async with db.transaction() as session:
        actions = (await session.scalars(select(AuditEntry.action).order_by(AuditEntry.id))).all()
        ticket = await session.get_one(HandoffTicket, first)
    handoff_actions = [action for action in actions if action.startswith("handoff.")]
    assert handoff_actions == ["handoff.assign", "handoff.reply", "handoff.reply", "handoff.close"]
    assert ticket.assigned_to == "canbo_qt"
    log = await officer.get("/audit")
    assert (
        "Cán bộ canbo_qt giao câu hỏi số" in log.text
        and "Nguyễn Thị Hoa cho Cán bộ canbo_qt" in log.text
    )


async def test_officers_set_their_communes_working_hours(
    signed_in, db: Database, factory: Factory, accounts: dict[str, int]
) -> None:  # type: ignore[no-untyped-def]
    officer: StaffClient = await signed_in("canbo_qt")
    form = await officer.get("/handoff/hours")
    assert form.status_code == 200 and 'name="am_open0" value="07:30"' in form.text  # default
    days = {f"on{d}": "1" for d in range(6)}  # Monday to Saturday
    periods = {f"am_open{d}": "07:00" for d in range(6)} | {
        f"am_close{d}": "11:00" for d in range(6)
    }
    bad = await officer.post("/handoff/hours", days | periods | {"am_close2": "06:00"})
    assert bad.status_code == 400 and "Thứ Tư" in bad.text
    none = await officer.post("/handoff/hours", {"am_open0": "07:00", "am_close0": "11:00"})
    assert none.status_code == 400 and "ít nhất một ngày" in none.text
    # an officer's commune is their own, whatever the form says
    saved = await officer.post("/handoff/hours", days | periods | {"commune": DAM_HA})
    assert saved.status_code == 303
    citizen = await factory.citizen(commune=QUANG_TAN)
    neighbour = await factory.citizen(commune=DAM_HA)
    saturday_morning = local(2026, 12, 5, 9, 0)
    async with db.transaction() as session:
        ours, _ = await handoff.ask_officer(
            session, chat_id=citizen.telegram_user_id, text="?", citizen=citizen,
            now=saturday_morning,
        )  # fmt: skip
        theirs, _ = await handoff.ask_officer(
            session, chat_id=neighbour.telegram_user_id, text="?", citizen=neighbour,
            now=saturday_morning,
        )  # fmt: skip
        assert ours.expected_answer_at is None  # Quảng Tân works on Saturday now
        assert theirs.expected_answer_at == local(2026, 12, 7, 7, 30)  # Đầm Hà: default
    log = (await officer.get("/audit")).text
    assert "Cán bộ canbo_qt đặt giờ làm việc trả lời câu hỏi: Thứ Hai 07:00–11:00" in log
    assert "Thứ Bảy 07:00–11:00" in log
    viewer: StaffClient = await signed_in("xem")
    assert (await viewer.get("/handoff/hours")).status_code == 403
