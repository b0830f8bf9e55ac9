"""Officers' own work over HTTP, on SQLite and PostgreSQL: their commune's events and
broadcasts, safe decisions (reason, undo, bulk confirmation, select all matching, attendance
window), the citizen page, the audit log of their commune — and nothing of another commune.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from bot.chat.notifications import render
from bot.db.engine import Database
from bot.db.enums import EventStatus, OutboxStatus, RegistrationStatus
from bot.db.models import (
    AuditEntry,
    Citizen,
    DuplicateDecision,
    Event,
    OutboxMessage,
    Registration,
)
from bot.services.clock import to_local
from bot.services.communes import DAM_HA, QUANG_TAN
from bot.texts.notifications import REJECT_REASONS
from tests.dashboard.support import Desk, StaffClient, add_registrations, decide
from tests.support.factories import Factory


def _local_input(moment) -> str:  # type: ignore[no-untyped-def]
    return to_local(moment).strftime("%Y-%m-%dT%H:%M")


def _event_form(factory: Factory, title: str, **extra: str) -> dict[str, str]:
    start = factory.now + timedelta(days=10)
    return {
        "kind": "vocational_class",
        "title": title,
        "starts_at": _local_input(start),
        "ends_at": _local_input(start + timedelta(hours=3)),
        "registration_deadline": _local_input(start - timedelta(days=2)),
        "capacity": "20",
        "venue": "Nhà văn hóa thôn 3",
        "requires_approval": "1",
        **extra,
    }


async def _actions(db: Database) -> list[str]:
    """The officers' changes in the audit log (sign-ins, audited too, left out)."""
    async with db.transaction() as session:
        actions = (await session.scalars(select(AuditEntry.action).order_by(AuditEntry.id))).all()
    return [action for action in actions if not action.startswith("staff.login")]


async def test_officer_creates_publishes_edits_and_cancels_their_communes_event(
    signed_in, db: Database, factory: Factory, desk: Desk
) -> None:  # type: ignore[no-untyped-def]
    officer: StaffClient = await signed_in("canbo_qt")
    # an officer cannot make a district-wide or another commune's event
    created = await officer.post("/events", _event_form(factory, "Lớp may K12", commune=DAM_HA))
    assert created.status_code == 303
    async with db.transaction() as session:
        event = await session.scalar(select(Event).where(Event.title == "Lớp may K12"))
    assert event is not None and event.commune == QUANG_TAN and event.status == EventStatus.DRAFT
    assert (await officer.post(f"/events/{event.id}/status", {"status": "open"})).status_code == 303
    edited = await officer.post(
        f"/events/{event.id}", _event_form(factory, "Lớp may K12", venue="Phòng 2, UBND xã")
    )
    assert edited.status_code == 303
    detail = await officer.get(f"/events/{event.id}")
    assert "Phòng 2, UBND xã" in detail.text and "Xã Quảng Tân" in detail.text
    assert "Hủy sự kiện" in detail.text

    # the other commune's officer reads it but changes nothing
    other: StaffClient = await signed_in("canbo_dh")
    page = await other.get(f"/events/{event.id}")
    assert page.status_code == 200 and "Hủy sự kiện" not in page.text
    for path, form in (
        (f"/events/{event.id}/cancel", {}),
        (f"/events/{event.id}/status", {"status": "closed"}),
        (f"/events/{event.id}", _event_form(factory, "Đổi tên")),
    ):
        assert (await other.post(path, form)).status_code == 403, path
    assert (await other.get(f"/events/{event.id}/edit")).status_code == 403

    assert (await officer.post(f"/events/{event.id}/cancel")).status_code == 303
    async with db.transaction() as session:
        event = await session.get_one(Event, event.id)
    assert event.status == EventStatus.CANCELLED and event.title == "Lớp may K12"
    assert await _actions(db) == ["event.create", "event.update", "event.update", "event.cancel"]
    log = await officer.get("/audit")
    for sentence in (
        "Cán bộ canbo_qt tạo sự kiện «Lớp may K12».",
        "Cán bộ canbo_qt mở nhận đăng ký sự kiện «Lớp may K12».",
        "Cán bộ canbo_qt sửa địa điểm của sự kiện «Lớp may K12».",
        "Cán bộ canbo_qt hủy sự kiện «Lớp may K12».",
    ):
        assert sentence in log.text, sentence
    assert "Lớp may K12" not in (await other.get("/audit")).text  # another commune's log


async def test_officer_broadcast_reaches_only_their_communes_registrants(
    signed_in, db: Database, factory: Factory, desk: Desk
) -> None:  # type: ignore[no-untyped-def]
    officer: StaffClient = await signed_in("canbo_qt")
    form = {"event": str(desk.event_id), "statuses": ["pending"], "text": "Đổi phòng học."}
    preview = await officer.post("/broadcast/preview", form)
    assert "Sẽ gửi tới 2 người." in preview.text  # 2 of the 5 pending registrants
    signature = preview.text.split('name="signature" value="')[1].split('"')[0]
    sent = await officer.post("/broadcast/send", form | {"signature": signature})
    assert sent.status_code == 303
    async with db.transaction() as session:
        rows = (
            (
                await session.execute(
                    select(Citizen.commune).join(
                        OutboxMessage, OutboxMessage.citizen_id == Citizen.id
                    )
                )
            )
            .scalars()
            .all()
        )
    assert sorted(rows) == [QUANG_TAN, QUANG_TAN]
    # subscribers of announcements: the commune's only
    async with db.transaction() as session:
        await session.execute(update(Citizen).values(broadcast_opt_in=True))
    preview = await officer.post(
        "/broadcast/preview", {"event": "subscribers", "text": "Họp dân tối thứ Sáu."}
    )
    assert "Sẽ gửi tới 2 người." in preview.text
    too_long = await officer.post(
        "/broadcast/preview", {"event": "subscribers", "text": "x" * 4097}
    )
    assert too_long.status_code == 400 and "tối đa 4096" in too_long.text
    assert await _actions(db) == ["broadcast.event"]


async def test_reject_with_reason_reaches_the_citizen_and_undo_withdraws_it(
    signed_in, db: Database, desk: Desk
) -> None:  # type: ignore[no-untyped-def]
    officer: StaffClient = await signed_in("canbo_dh")
    target = desk.dam_ha[0]
    no_reason = await officer.post(
        "/registrations/decide",
        {"action": "reject", "ids": [target], "confirm": "1", "count": "1"},
    )
    assert no_reason.status_code == 400 and "Chưa chọn hoặc ghi lý do" in no_reason.text
    await officer.post(
        "/registrations/decide",
        {
            "action": "reject",
            "ids": [target],
            "confirm": "1",
            "count": "1",
            "reason_code": "papers",
        },
    )
    async with db.transaction() as session:
        notice = await session.scalar(
            select(OutboxMessage).where(OutboxMessage.registration_id == target)
        )
        registration = await session.get_one(Registration, target)
    assert registration.status == RegistrationStatus.REJECTED
    assert notice is not None and notice.template == "registration.rejected"
    assert notice.due_at >= notice.created_at + timedelta(minutes=4)  # the undo window
    text = render(notice.template, notice.params).text
    assert f"Lý do: {REJECT_REASONS['papers']}" in text
    page = await officer.get("/registrations")
    assert "sau 5 phút" in page.text and f'value="reopen:{target}"' in page.text

    await officer.post("/registrations/decide", {"one": f"reopen:{target}"})
    async with db.transaction() as session:
        notice = await session.get_one(OutboxMessage, notice.id)
        registration = await session.get_one(Registration, target)
    assert registration.status == RegistrationStatus.PENDING
    assert registration.decision_reason is None
    assert notice.status == OutboxStatus.CANCELLED  # the citizen never hears of it
    log = (await officer.get("/audit")).text
    assert "Cán bộ canbo_dh không duyệt đăng ký của Nguyễn Văn An" in log
    assert f"lý do: «{REJECT_REASONS['papers'].rstrip('.')}»." in log
    assert "Cán bộ canbo_dh mở lại đăng ký của Nguyễn Văn An" in log
    assert "chưa gửi đã được rút lại" in log


async def test_reopen_after_the_notice_left_tells_the_citizen(
    signed_in, db: Database, desk: Desk
) -> None:  # type: ignore[no-untyped-def]
    admin: StaffClient = await signed_in("admin")
    target = desk.dam_ha[1]
    await decide(admin, "approve", [target])
    await decide(admin, "reject", [target], reason="Trùng lịch")
    async with db.transaction() as session:
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.template == "registration.rejected")
            .values(status=OutboxStatus.SENT)
        )
    await admin.post("/registrations/decide", {"one": f"reopen:{target}"})
    async with db.transaction() as session:
        registration = await session.get_one(Registration, target)
        templates = (
            await session.scalars(
                select(OutboxMessage.template)
                .where(OutboxMessage.registration_id == target)
                .order_by(OutboxMessage.id)
            )
        ).all()
    assert registration.status == RegistrationStatus.CONFIRMED  # it had a seat before
    assert templates[-1] == "registration.approved"


async def test_select_all_matching_covers_every_page_after_a_confirmation_naming_the_count(
    signed_in, db: Database, factory: Factory, desk: Desk
) -> None:  # type: ignore[no-untyped-def]
    ids = await add_registrations(
        db, factory, 60, event_id=desk.other_event_id, commune=QUANG_TAN,
        created_at=factory.now, status=RegistrationStatus.PENDING,
    )  # fmt: skip
    officer: StaffClient = await signed_in("canbo_qt")
    back = f"event={desk.other_event_id}&status=pending"
    listing = await officer.get(f"/registrations?{back}")
    assert "Chọn tất cả 60 đăng ký khớp bộ lọc" in listing.text
    confirmation = await officer.post(
        "/registrations/decide", {"action": "approve", "all_matching": "1", "back": back}
    )
    assert "Xác nhận: Duyệt 60 đăng ký" in confirmation.text
    listed = [
        int(v) for v in confirmation.text.split('name="ids" value="')[1:] for v in [v.split('"')[0]]
    ]
    assert sorted(listed) == sorted(ids)
    await officer.post(
        "/registrations/decide",
        {"action": "approve", "ids": listed, "confirm": "1", "count": "60", "back": back},
    )
    async with db.transaction() as session:
        statuses = set(
            (
                await session.scalars(select(Registration.status).where(Registration.id.in_(ids)))
            ).all()
        )
        untouched = await session.get_one(Registration, desk.quang_tan[0])
    assert statuses == {RegistrationStatus.CONFIRMED}
    assert untouched.status == RegistrationStatus.PENDING  # another event: not matching
    # the same filter with a forged commune cannot reach another commune
    forged = await officer.post(
        "/registrations/decide",
        {"action": "approve", "all_matching": "1", "back": "commune=dam_ha"},
    )
    assert forged.status_code == 403


async def test_check_in_and_no_show_follow_one_rule(
    signed_in, db: Database, factory: Factory, desk: Desk
) -> None:  # type: ignore[no-untyped-def]
    soon = await factory.event(
        title="Phiên sáng nay",
        starts_at=factory.now + timedelta(hours=1),
        registration_deadline=factory.now + timedelta(minutes=30),
    )
    later = await factory.event(title="Phiên tuần sau", starts_at=factory.now + timedelta(days=7))
    person = await factory.citizen(full_name="Đỗ Thị Mai", commune=DAM_HA)
    now_reg = (await factory.register(person, soon)).registration.id
    later_reg = (await factory.register(person, later)).registration.id
    officer: StaffClient = await signed_in("canbo_dh")
    for action in ("check_in", "no_show"):
        await officer.post("/registrations/decide", {"one": f"{action}:{later_reg}"})
    await officer.post("/registrations/decide", {"one": f"no_show:{now_reg}"})
    async with db.transaction() as session:
        assert (
            await session.get_one(Registration, later_reg)
        ).status == RegistrationStatus.CONFIRMED
        assert (await session.get_one(Registration, now_reg)).status == RegistrationStatus.NO_SHOW
    await officer.post("/registrations/decide", {"one": f"check_in:{now_reg}"})
    async with db.transaction() as session:
        assert (await session.get_one(Registration, now_reg)).status == RegistrationStatus.ATTENDED


async def test_citizen_page_profile_notes_duplicates_and_scope(
    signed_in, db: Database, factory: Factory, desk: Desk
) -> None:  # type: ignore[no-untyped-def]
    hoa = await factory.citizen(full_name="Nguyễn Thị Hoa", commune=QUANG_TAN, phone="+84912345678")
    twin = await factory.citizen(full_name="Nguyễn Thị Ho\u200ba", commune=QUANG_TAN)
    second_account = await factory.citizen(
        full_name="Hoa Nguyễn", commune=QUANG_TAN, phone="+84912345678"
    )
    officer: StaffClient = await signed_in("canbo_qt")
    page = await officer.get(f"/citizens/{hoa.id}")
    assert page.status_code == 200
    assert "Cùng số điện thoại" in page.text and "Tên giống hệt khi bỏ dấu" in page.text
    assert 'href="tel:+84912345678"' in page.text and "Đã đồng ý lúc" in page.text
    # another commune's citizen does not exist for this officer
    dam_ha_citizen = desk.citizens[desk.dam_ha[0]]
    assert (await officer.get(f"/citizens/{dam_ha_citizen}")).status_code == 404
    refused = await officer.post(f"/citizens/{dam_ha_citizen}/notes", {"text": "x"})
    assert refused.status_code == 404

    saved = await officer.post(
        f"/citizens/{hoa.id}",
        {"full_name": "Nguyễn Thị Hoà", "phone": "0912 345 678", "birth_year": "1968",
         "commune": DAM_HA, "target_groups": ["woman"]},
    )  # fmt: skip
    assert saved.status_code == 303
    await officer.post(f"/citizens/{hoa.id}/notes", {"text": "Đã gọi, hẹn thứ Hai nộp hồ sơ."})
    await officer.post(f"/citizens/{hoa.id}/duplicates/{twin.id}", {"decision": "not_same"})
    await officer.post(f"/citizens/{hoa.id}/duplicates/{second_account.id}", {"decision": "merge"})
    page = await officer.get(f"/citizens/{hoa.id}")
    assert "Đã gọi, hẹn thứ Hai nộp hồ sơ." in page.text
    assert "Có thể là cùng một người" not in page.text  # both pairs decided
    async with db.transaction() as session:
        hoa_now = await session.get_one(Citizen, hoa.id)
        merged = await session.get_one(Citizen, second_account.id)
        decisions = (
            await session.execute(select(func.count()).select_from(DuplicateDecision))
        ).scalar_one()
    assert hoa_now.full_name == "Nguyễn Thị Hoà" and hoa_now.birth_year == 1968
    assert hoa_now.commune == QUANG_TAN  # an officer cannot move someone out of the commune
    assert merged.merged_into_id == hoa.id and decisions == 2
    assert await _actions(db) == [
        "citizen.update", "citizen.note", "citizen.not_duplicate", "citizen.merge",
    ]  # fmt: skip
    log = (await officer.get("/audit")).text
    assert "Cán bộ canbo_qt sửa họ tên, năm sinh, nhóm đối tượng của Nguyễn Thị Hoà." in log
    assert "Cán bộ canbo_qt thêm ghi chú về Nguyễn Thị Hoà." in log
    assert "là hai người khác nhau" in log and "gộp hồ sơ số" in log
