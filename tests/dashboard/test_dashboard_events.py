"""Events: create, edit (registrants told), open/close, cancel; attendance sheet; QR poster."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from starlette.applications import Starlette

from bot.dashboard import create_dashboard_app
from bot.db.engine import Database
from bot.db.enums import EventKind, EventStatus
from bot.db.models import AuditEntry, Event, OutboxMessage
from bot.services.clock import to_local
from tests.dashboard.support import Desk, StaffClient, dashboard_settings
from tests.support.factories import Factory


def local_input(factory: Factory, days: int, hour: int) -> str:
    moment = to_local(factory.now + timedelta(days=days)).replace(hour=hour, minute=0)
    return moment.strftime("%Y-%m-%dT%H:%M")


def event_form(factory: Factory, **overrides: object) -> dict[str, object]:
    form: dict[str, object] = {
        "kind": "job_fair",
        "title": "Phiên giao dịch việc làm Đầm Hà",
        "starts_at": local_input(factory, 10, 8),
        "ends_at": local_input(factory, 10, 11),
        "registration_deadline": local_input(factory, 9, 17),
        "capacity": "50",
        "venue": "Nhà văn hoá xã Đầm Hà",
        "venue_map_url": "",
        "organiser": "Trung tâm DVVL Quảng Ninh",
        "eligible_target_groups": ["youth", "unemployed"],
        "what_to_bring": "CCCD",
        "description": "",
    }
    form.update(overrides)
    return form


async def test_admin_creates_an_event_in_local_time_then_opens_it(
    signed_in,
    factory: Factory,
    db: Database,  # type: ignore[no-untyped-def]
) -> None:
    admin: StaffClient = await signed_in("admin")
    assert (await admin.get("/events/new")).status_code == 200
    response = await admin.post("/events", event_form(factory))
    assert response.status_code == 303
    async with db.transaction() as session:
        event = await session.scalar(select(Event))
    assert event is not None
    assert event.status == EventStatus.DRAFT and event.kind == EventKind.JOB_FAIR
    assert to_local(event.starts_at).hour == 8  # typed as Đầm Hà time, stored as UTC
    assert event.eligible_target_groups == ["unemployed", "youth"]
    detail = await admin.get(f"/events/{event.id}")
    assert "Đã tạo sự kiện." in detail.text and "Bản nháp" in detail.text
    await admin.post(f"/events/{event.id}/status", {"status": "open"})
    await admin.post(f"/events/{event.id}/status", {"status": "closed"})
    async with db.transaction() as session:
        assert (await session.get_one(Event, event.id)).status == EventStatus.CLOSED


async def test_a_wrong_form_is_shown_again_with_the_reason(
    signed_in,
    factory: Factory,
    db: Database,  # type: ignore[no-untyped-def]
) -> None:
    admin: StaffClient = await signed_in("admin")
    late = await admin.post(
        "/events", event_form(factory, registration_deadline=local_input(factory, 11, 8))
    )
    assert late.status_code == 400
    assert "Hạn đăng ký không được sau giờ bắt đầu." in late.text
    assert "Phiên giao dịch việc làm Đầm Hà" in late.text  # what was typed is kept
    bad = await admin.post("/events", event_form(factory, capacity="-3"))
    assert "số chỗ phải là số nguyên dương" in bad.text
    async with db.transaction() as session:
        assert (await session.scalars(select(Event))).all() == []


async def test_moving_an_event_tells_its_registrants(
    signed_in,
    desk: Desk,
    factory: Factory,
    db: Database,  # type: ignore[no-untyped-def]
) -> None:
    admin: StaffClient = await signed_in("admin")
    await admin.post("/registrations/decide", {"action": "approve", "ids": desk.dam_ha})
    form = await admin.get(f"/events/{desk.event_id}/edit")
    assert "Lớp may công nghiệp" in form.text
    async with db.transaction() as session:
        event = await session.get_one(Event, desk.event_id)
    changed = {
        "title": event.title,
        "starts_at": to_local(event.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": to_local(event.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "registration_deadline": to_local(event.registration_deadline).strftime("%Y-%m-%dT%H:%M"),
        "capacity": "10",
        "venue": "Hội trường UBND xã Quảng Tân",
        "requires_approval": "1",
        "organiser": event.organiser,
        "venue_map_url": event.venue_map_url,
        "description": event.description,
        "what_to_bring": event.what_to_bring,
    }
    response = await admin.post(f"/events/{desk.event_id}", changed)
    assert response.status_code == 303
    async with db.transaction() as session:
        notices = (
            await session.scalars(
                select(OutboxMessage).where(OutboxMessage.template == "event.changed")
            )
        ).all()
        audit = await session.scalar(select(AuditEntry).where(AuditEntry.action == "event.update"))
    assert len(notices) == 5  # 3 confirmed + 2 still pending
    assert audit is not None and audit.after == {"venue": "Hội trường UBND xã Quảng Tân"}
    again = await admin.post(f"/events/{desk.event_id}", changed)
    assert again.status_code == 303
    assert "Không có gì thay đổi." in (await admin.get(f"/events/{desk.event_id}")).text


async def test_cancelling_notifies_and_locks_the_event(
    signed_in,
    desk: Desk,
    db: Database,  # type: ignore[no-untyped-def]
) -> None:
    admin: StaffClient = await signed_in("admin")
    await admin.post(f"/events/{desk.event_id}/cancel")
    page = await admin.get(f"/events/{desk.event_id}")
    assert "Đã hủy sự kiện; 5 thông báo" in page.text
    assert (await admin.get(f"/events/{desk.event_id}/edit")).status_code == 409
    async with db.transaction() as session:
        assert (await session.get_one(Event, desk.event_id)).status == EventStatus.CANCELLED


async def test_events_list_and_unknown_event(signed_in, desk: Desk) -> None:  # type: ignore[no-untyped-def]
    viewer: StaffClient = await signed_in("xem")
    listing = await viewer.get("/events")
    assert "Lớp may công nghiệp" in listing.text and "Phiên việc làm tháng 9" in listing.text
    assert (await viewer.get("/events/9999")).status_code == 404


async def test_attendance_sheet_lists_seat_holders_by_given_name_for_printing(
    signed_in,
    desk: Desk,  # type: ignore[no-untyped-def]
) -> None:
    admin: StaffClient = await signed_in("admin")
    await admin.post(
        "/registrations/decide", {"action": "approve", "ids": desk.dam_ha + desk.quang_tan[:1]}
    )
    sheet = await admin.get(f"/events/{desk.event_id}/attendance")
    text = sheet.text
    assert "Danh sách điểm danh" in text and "Ký tên" in text
    # by given name: An, Bình, Cường, Dũng; Én (still pending) is not on the sheet
    order = [text.index(name) for name in ("Văn An", "Thị Bình", "Văn Cường", "Văn Dũng")]
    assert order == sorted(order)
    assert "Phạm Thị Én" not in text
    assert "Tổng số: 4 người" in text


async def test_poster_has_a_qr_code_of_the_deep_link(signed_in, desk: Desk) -> None:  # type: ignore[no-untyped-def]
    viewer: StaffClient = await signed_in("xem")
    poster = await viewer.get(f"/events/{desk.event_id}/poster")
    assert f"https://t.me/TroLyAnSinhBot?start=ev_{desk.event_id}" in poster.text
    assert '<svg class="qr"' in poster.text


async def test_poster_without_a_bot_name_explains_why(db: Database, accounts, desk: Desk) -> None:  # type: ignore[no-untyped-def]
    import httpx

    app = create_dashboard_app(db=db, settings=dashboard_settings())
    web = Starlette()
    web.mount("/staff", app)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=web), base_url="http://desk.test"
    ) as http:
        staff = StaffClient(http)
        await staff.login("admin")
        poster = await staff.get(f"/events/{desk.event_id}/poster")
    assert "Chưa cấu hình tên bot Telegram" in poster.text
    assert '<svg class="qr"' not in poster.text
