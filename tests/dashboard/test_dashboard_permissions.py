"""Roles: officers see and act on their commune only; viewers change nothing."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import func, select
from starlette.applications import Starlette

from bot.db.engine import Database
from bot.db.enums import HandoffStatus, RegistrationStatus
from bot.db.models import AuditEntry, Event, HandoffTicket, OutboxMessage, Registration
from bot.services import handoff
from bot.services.clock import utcnow
from bot.services.communes import DAM_HA, QUANG_TAN
from tests.dashboard.support import Desk, StaffClient, decide
from tests.dashboard.test_dashboard_auth import post_routes

READ_PAGES = ("/overview", "/events", "/registrations", "/handoff", "/nlu", "/events/{event}")
ADMIN_PAGES = ("/broadcast", "/audit", "/events/new", "/events/{event}/edit")


async def _status(db: Database, registration_id: int) -> RegistrationStatus:
    async with db.transaction() as session:
        return (await session.get_one(Registration, registration_id)).status


async def _counts(db: Database) -> tuple[int, ...]:
    counts = []
    async with db.transaction() as session:
        for model in (AuditEntry, OutboxMessage, Event, HandoffTicket):
            statement = select(func.count()).select_from(model)
            if model is AuditEntry:  # sign-ins are audited too; count only changes
                statement = statement.where(AuditEntry.action.not_like("staff.login%"))
            counts.append(int((await session.execute(statement)).scalar_one()))
    return tuple(counts)


async def test_viewer_reads_every_page_but_admin_pages(signed_in, desk: Desk) -> None:  # type: ignore[no-untyped-def]
    viewer: StaffClient = await signed_in("xem")
    for path in READ_PAGES:
        response = await viewer.get(path.format(event=desk.event_id))
        assert response.status_code == 200, path
        assert "chỉ xem" in response.text
    for path in (*ADMIN_PAGES, "/try-bot"):
        assert (await viewer.get(path.format(event=desk.event_id))).status_code == 403, path


async def test_viewer_sees_no_action_buttons(signed_in, desk: Desk) -> None:  # type: ignore[no-untyped-def]
    viewer: StaffClient = await signed_in("xem")
    page = await viewer.get("/registrations")
    assert 'name="one"' not in page.text and 'name="ids"' not in page.text
    assert "Nguyễn Văn An" in page.text and "Lê Văn Dũng" in page.text


async def test_viewer_cannot_change_anything(
    signed_in,
    desk: Desk,
    dashboard: Starlette,
    db: Database,  # type: ignore[no-untyped-def]
) -> None:
    viewer: StaffClient = await signed_in("xem")
    before = await _counts(db)
    forms = {
        "/registrations/decide": {"action": "approve", "ids": desk.dam_ha},
        "/events": {"title": "x"},
        "/events/1/status": {"status": "closed"},
        "/events/1/cancel": {},
    }
    for path in post_routes(dashboard):
        if path in ("/login", "/logout", "/password"):  # a viewer may change their own password
            continue
        response = await viewer.post(path, forms.get(path, {"text": "xin chào"}))
        assert response.status_code == 403, path
    assert await _counts(db) == before
    assert await _status(db, desk.dam_ha[0]) == RegistrationStatus.PENDING


async def test_officer_sees_only_their_communes_registrations(signed_in, desk: Desk) -> None:  # type: ignore[no-untyped-def]
    officer: StaffClient = await signed_in("canbo_dh")
    page = await officer.get("/registrations")
    assert "Nguyễn Văn An" in page.text
    assert "Lê Văn Dũng" not in page.text and "Phạm Thị Én" not in page.text
    assert "Hiển thị 1–3 trong 3" in page.text


async def test_officer_asking_for_another_commune_is_refused(signed_in, desk: Desk) -> None:  # type: ignore[no-untyped-def]
    officer: StaffClient = await signed_in("canbo_dh")
    for path in ("/registrations", "/registrations/export.csv", "/registrations/export.xlsx"):
        response = await officer.get(path, params={"commune": QUANG_TAN})
        assert response.status_code == 403, path
        assert "Phạm Thị Én" not in response.text


async def test_officer_exports_hold_only_their_commune(signed_in, desk: Desk) -> None:  # type: ignore[no-untyped-def]
    officer: StaffClient = await signed_in("canbo_qt")
    sheet = load_workbook(io.BytesIO((await officer.get("/registrations/export.xlsx")).content))
    names = [row[1] for row in sheet.active.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == ["Lê Văn Dũng", "Phạm Thị Én"]
    text = (await officer.get("/registrations/export.csv")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))[1:]
    assert sorted(row[1] for row in rows) == ["Lê Văn Dũng", "Phạm Thị Én"]


async def test_officer_cannot_decide_on_another_communes_registration(
    signed_in,
    desk: Desk,
    db: Database,  # type: ignore[no-untyped-def]
) -> None:
    officer: StaffClient = await signed_in("canbo_dh")
    confirmation = await officer.post(
        "/registrations/decide", {"action": "approve", "ids": [desk.dam_ha[0], desk.quang_tan[0]]}
    )
    assert "Nguyễn Văn An" in confirmation.text and "Lê Văn Dũng" not in confirmation.text
    response = await decide(officer, "approve", [desk.dam_ha[0], desk.quang_tan[0]])
    assert response.status_code == 303
    assert await _status(db, desk.dam_ha[0]) == RegistrationStatus.CONFIRMED
    assert await _status(db, desk.quang_tan[0]) == RegistrationStatus.PENDING
    page = await officer.get("/registrations")
    assert "Duyệt: 1 đăng ký đã xử lý" in page.text
    assert "không tìm thấy hoặc ngoài phạm vi" in page.text


async def test_officer_attendance_sheet_lists_only_their_commune(
    signed_in,
    desk: Desk,
    db: Database,  # type: ignore[no-untyped-def]
) -> None:
    admin: StaffClient = await signed_in("admin")
    await decide(admin, "approve", desk.dam_ha + desk.quang_tan)
    officer: StaffClient = await signed_in("canbo_qt")
    sheet = await officer.get(f"/events/{desk.event_id}/attendance")
    assert "Lê Văn Dũng" in sheet.text and "Nguyễn Văn An" not in sheet.text
    assert "Tổng số: 2 người" in sheet.text


async def test_officer_sees_and_answers_only_their_communes_tickets(
    signed_in,
    factory,
    db: Database,  # type: ignore[no-untyped-def]
) -> None:
    ours = await factory.citizen(full_name="Hoàng Văn Giang", commune=DAM_HA)
    theirs = await factory.citizen(full_name="Vũ Thị Hoa", commune=QUANG_TAN)
    async with db.transaction() as session:
        await handoff.ask_officer(
            session, chat_id=ours.telegram_user_id, text="Hỏi về nhà ở", now=utcnow(), citizen=ours
        )
        other, _ = await handoff.ask_officer(
            session,
            chat_id=theirs.telegram_user_id,
            text="Câu hỏi riêng của xã Quảng Tân",
            now=utcnow(),
            citizen=theirs,
        )
    officer: StaffClient = await signed_in("canbo_dh")
    inbox = await officer.get("/handoff")
    assert "Hỏi về nhà ở" in inbox.text
    assert "Câu hỏi riêng của xã Quảng Tân" not in inbox.text
    refused = await officer.post(f"/handoff/{other.id}/reply", {"text": "trả lời"})
    assert refused.status_code == 404
    refused = await officer.post(f"/handoff/{other.id}/close")
    assert refused.status_code == 404
    async with db.transaction() as session:
        ticket = await session.get_one(HandoffTicket, other.id)
        assert ticket.status == HandoffStatus.OPEN


async def test_viewers_change_no_event_and_officers_no_district_event(
    signed_in,
    desk: Desk,
    db: Database,  # type: ignore[no-untyped-def]
) -> None:
    before = await _counts(db)
    viewer: StaffClient = await signed_in("xem")
    for path in (f"/events/{desk.event_id}/cancel", "/broadcast/preview", "/events"):
        assert (await viewer.post(path, {"status": "closed"})).status_code == 403, path
    officer: StaffClient = await signed_in("canbo_dh")  # the desk's events are district-wide
    for path in (f"/events/{desk.event_id}/cancel", f"/events/{desk.event_id}/status"):
        assert (await officer.post(path, {"status": "closed"})).status_code == 403, path
    assert (await officer.get(f"/events/{desk.event_id}/edit")).status_code == 403
    assert await _counts(db) == before
