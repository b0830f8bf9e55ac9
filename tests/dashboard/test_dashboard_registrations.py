"""The registrations table: filters, sorting, pages, exports of exactly the filtered rows,
decisions one at a time and in bulk."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta

from openpyxl import load_workbook
from sqlalchemy import select
from starlette.applications import Starlette

from bot.db.engine import Database
from bot.db.enums import RegistrationStatus
from bot.db.models import AuditEntry, Citizen, OutboxMessage, Registration
from bot.services.clock import LOCAL_TZ, to_local
from bot.services.communes import DAM_HA, QUANG_TAN
from tests.dashboard.support import Desk, StaffClient, add_registrations, decide
from tests.support.factories import Factory

_COUNT = re.compile(r"Hiển thị \d+–\d+ trong (\d+) đăng ký")


def shown(html: str) -> int:
    match = _COUNT.search(html)
    return int(match.group(1)) if match else 0


async def xlsx_rows(staff: StaffClient, **params: str) -> list[tuple[object, ...]]:
    response = await staff.get("/registrations/export.xlsx", params=params)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))


async def test_filters_by_event_commune_status_group_date_and_search(
    signed_in,
    desk: Desk,
    factory: Factory,
    db: Database,  # type: ignore[no-untyped-def]
) -> None:
    last_month = factory.now - timedelta(days=30)
    await add_registrations(
        db, factory, 4, event_id=desk.other_event_id, commune=QUANG_TAN, created_at=last_month
    )
    admin: StaffClient = await signed_in("admin")
    assert shown((await admin.get("/registrations")).text) == 9
    cases = {
        (("event", str(desk.other_event_id)),): 4,
        (("commune", DAM_HA),): 3,
        (("commune", QUANG_TAN), ("status", "pending")): 2,
        (("status", "confirmed"),): 4,
        (("group", "youth"),): 3,
        (("group", "poor_household"),): 1,
        (("from", to_local(factory.now).date().isoformat()),): 5,
        (("to", to_local(last_month).date().isoformat()),): 4,
        (("q", "đặng"),): 1,
        (("q", "Bình"),): 1,
        (("q", "nguyen"),): 5,  # diacritics folded: "Nguyễn Văn An" and 4 "Nguyễn Văn Thử n"
        (("q", "nguyen an"),): 1,
        (("q", "DANG  van"),): 1,
    }
    for params, expected in cases.items():
        page = await admin.get("/registrations", params=dict(params))
        assert page.status_code == 200
        assert shown(page.text) == expected, params


async def test_search_by_phone_in_local_or_international_form(
    signed_in,
    desk: Desk,
    db: Database,  # type: ignore[no-untyped-def]
) -> None:
    async with db.transaction() as session:
        citizen = await session.get_one(Citizen, desk.citizens[desk.dam_ha[1]])
        phone = citizen.phone
    assert phone is not None
    admin: StaffClient = await signed_in("admin")
    for typed in (phone, "0" + phone[3:], phone[-6:]):
        page = await admin.get("/registrations", params={"q": typed})
        assert shown(page.text) == 1, typed
        assert "Trần Thị Bình" in page.text


async def test_sorting_by_name_both_ways(signed_in, desk: Desk) -> None:  # type: ignore[no-untyped-def]
    admin: StaffClient = await signed_in("admin")
    ascending = await xlsx_rows(admin, sort="name", dir="asc")
    names = [row[1] for row in ascending[1:]]
    # Where "Đ" sorts depends on the database's collation; names starting with ASCII do not.
    plain = [name for name in names if not name.startswith("Đ")]
    assert plain == ["Lê Văn Dũng", "Nguyễn Văn An", "Phạm Thị Én", "Trần Thị Bình"]
    descending = await xlsx_rows(admin, sort="name")
    assert [row[1] for row in descending[1:]] == names[::-1]
    page = await admin.get("/registrations", params={"sort": "name", "dir": "asc"})
    assert page.text.index("Nguyễn Văn An") < page.text.index("Trần Thị Bình")


async def test_pages_of_the_table(
    signed_in,
    desk: Desk,
    factory: Factory,
    db: Database,  # type: ignore[no-untyped-def]
) -> None:
    await add_registrations(
        db, factory, 55, event_id=desk.other_event_id, commune=DAM_HA, created_at=factory.now
    )
    admin: StaffClient = await signed_in("admin")
    first = await admin.get("/registrations", params={"per_page": "25"})
    assert "Trang 1/3" in first.text and first.text.count('name="ids"') == 25
    last = await admin.get("/registrations", params={"per_page": "25", "page": "3"})
    assert "Hiển thị 51–60 trong 60" in last.text and last.text.count('name="ids"') == 10
    beyond = await admin.get("/registrations", params={"per_page": "25", "page": "99"})
    assert "Trang 3/3" in beyond.text


async def test_xlsx_export_holds_exactly_the_filtered_rows_of_every_page(
    signed_in,
    desk: Desk,
    factory: Factory,
    db: Database,  # type: ignore[no-untyped-def]
) -> None:
    wanted = await add_registrations(
        db, factory, 60, event_id=desk.other_event_id, commune=DAM_HA, created_at=factory.now,
        groups=["youth"],
    )  # fmt: skip
    await add_registrations(
        db, factory, 7, event_id=desk.other_event_id, commune=QUANG_TAN, created_at=factory.now,
        groups=["youth"],
    )  # fmt: skip
    admin: StaffClient = await signed_in("admin")
    params = {"event": str(desk.other_event_id), "commune": DAM_HA, "per_page": "25"}
    rows = await xlsx_rows(admin, **params)
    header, body = rows[0], rows[1:]
    assert header[:5] == ("Mã ĐK", "Họ và tên", "Năm sinh", "Số điện thoại", "Xã")
    assert sorted(row[0] for row in body) == sorted(wanted)
    first = body[0]
    assert first[4] == "Đầm Hà"
    assert first[5] == "Thanh niên"
    assert first[8] == "Đã có chỗ"
    assert isinstance(first[10], datetime)
    assert first[10] == to_local(factory.now).replace(tzinfo=None)  # local time, not UTC
    assert str(first[3]).startswith("09")


async def test_csv_export_is_utf8_with_bom_and_matches_the_table(
    signed_in,
    desk: Desk,  # type: ignore[no-untyped-def]
) -> None:
    admin: StaffClient = await signed_in("admin")
    response = await admin.get("/registrations/export.csv", params={"group": "youth"})
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][1] == "Họ và tên"
    assert sorted(row[1] for row in rows[1:]) == ["Lê Văn Dũng", "Nguyễn Văn An", "Phạm Thị Én"]
    local_time = to_local(datetime.now(LOCAL_TZ)).strftime("%d/%m/%Y")
    assert rows[1][10].startswith(local_time)


async def test_exports_are_built_in_the_worker_process_not_on_the_bots_loop(
    signed_in,
    desk: Desk,
    dashboard: Starlette,  # type: ignore[no-untyped-def]
) -> None:
    exports = dashboard.state.dashboard.exports
    before = exports.builds.copy()
    admin: StaffClient = await signed_in("admin")
    assert (await admin.get("/registrations/export.xlsx")).status_code == 200
    assert (await admin.get("/registrations/export.csv")).status_code == 200
    assert exports.builds["process"] == before["process"] + 2
    assert exports.builds["thread"] == before["thread"]


async def test_csv_export_neutralises_formulas_in_names(
    signed_in,
    factory: Factory,
    desk: Desk,  # type: ignore[no-untyped-def]
) -> None:
    event = await factory.event(title="=HYPERLINK(1)")
    citizen = await factory.citizen(full_name="=1+2")
    await factory.register(citizen, event)
    admin: StaffClient = await signed_in("admin")
    rows = list(
        csv.reader(
            io.StringIO(
                (
                    await admin.get("/registrations/export.csv", params={"event": str(event.id)})
                ).content.decode("utf-8-sig")
            )
        )
    )
    assert rows[1][1] == "'=1+2" and rows[1][6] == "'=HYPERLINK(1)"


async def test_bulk_approve_confirms_notifies_and_audits(
    signed_in,
    desk: Desk,
    db: Database,  # type: ignore[no-untyped-def]
) -> None:
    officer: StaffClient = await signed_in("canbo_dh")
    confirmation = await officer.post(
        "/registrations/decide", {"action": "approve", "ids": desk.dam_ha, "back": ""}
    )
    assert "Xác nhận: Duyệt 3 đăng ký" in confirmation.text
    async with db.transaction() as session:  # nothing happens before the confirmation
        changes = select(AuditEntry).where(AuditEntry.action.not_like("staff.login%"))
        assert not (await session.scalars(changes)).all()
    response = await decide(officer, "approve", desk.dam_ha, back="status=pending")
    assert response.status_code == 303
    assert response.headers["location"] == "/staff/registrations?status=pending"
    async with db.transaction() as session:
        statuses = (
            await session.scalars(
                select(Registration.status).where(Registration.id.in_(desk.dam_ha))
            )
        ).all()
        notices = (await session.scalars(select(OutboxMessage.template))).all()
        audit = (
            await session.scalars(
                select(AuditEntry.actor).where(AuditEntry.action == "registration.approve")
            )
        ).all()
    assert set(statuses) == {RegistrationStatus.CONFIRMED}
    assert notices.count("registration.approved") == 3
    assert audit.count("staff:canbo_dh") == 3


async def test_single_reject_and_refused_no_show_before_the_event(
    signed_in,
    desk: Desk,
    db: Database,  # type: ignore[no-untyped-def]
) -> None:
    admin: StaffClient = await signed_in("admin")
    asked = await admin.post("/registrations/decide", {"one": f"reject:{desk.dam_ha[0]}"})
    assert "Lý do không duyệt" in asked.text  # a rejection always asks for the reason
    await decide(admin, "reject", desk.dam_ha[:1], reason="Thiếu giấy tờ")
    await admin.post("/registrations/decide", {"one": f"approve:{desk.dam_ha[1]}"})
    await admin.post("/registrations/decide", {"one": f"no_show:{desk.dam_ha[1]}"})
    page = await admin.get("/registrations")
    assert "Chưa tới giờ điểm danh" in page.text  # the event is a week away
    await admin.post("/registrations/decide", {"one": f"check_in:{desk.dam_ha[1]}"})
    assert "Chưa tới giờ điểm danh" in (await admin.get("/registrations")).text
    async with db.transaction() as session:
        first = await session.get_one(Registration, desk.dam_ha[0])
        second = await session.get_one(Registration, desk.dam_ha[1])
    assert first.status == RegistrationStatus.REJECTED
    assert first.decision_reason == "Thiếu giấy tờ"
    assert second.status == RegistrationStatus.CONFIRMED  # check-in refused 7 days ahead


async def test_bulk_without_a_selection_says_so(signed_in, desk: Desk) -> None:  # type: ignore[no-untyped-def]
    admin: StaffClient = await signed_in("admin")
    await admin.post("/registrations/decide", {"action": "approve"})
    assert "Chưa chọn dòng nào." in (await admin.get("/registrations")).text
    assert (
        await admin.post("/registrations/decide", {"action": "drop", "ids": [1]})
    ).status_code == 400
