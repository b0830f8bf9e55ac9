"""Overview charts, broadcast with preview, "try the bot", the audit log."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import select
from starlette.applications import Starlette

from bot.dashboard import create_dashboard_app
from bot.dashboard.views.try_bot import chat_id_for
from bot.db.engine import Database
from bot.db.models import Citizen, OutboxMessage
from tests.dashboard.support import Desk, FakeBot, StaffClient, dashboard_settings, decide


async def test_overview_draws_svg_charts_and_rates(signed_in, desk: Desk) -> None:  # type: ignore[no-untyped-def]
    admin: StaffClient = await signed_in("admin")
    await decide(admin, "approve", desk.dam_ha)
    for by in ("commune", "target_group", "event"):
        page = await admin.get("/overview", params={"by": by})
        assert page.status_code == 200
        assert page.text.count('<svg class="chart chart-wide"') == 4, by
        assert page.text.count('<svg class="chart chart-narrow"') == 4, by
    page = await admin.get("/overview")
    assert "Xã Đầm Hà (3)" in page.text and "Xã Quảng Tân (2)" in page.text
    assert "30 %" in page.text  # 3 of 10 seats of the class
    assert "chưa đếm tổng số tin nhắn" in page.text


async def test_officer_overview_counts_only_their_commune(signed_in, desk: Desk) -> None:  # type: ignore[no-untyped-def]
    officer: StaffClient = await signed_in("canbo_qt")
    page = await officer.get("/overview")
    assert "Xã Quảng Tân (2)" in page.text and "Xã Đầm Hà" not in page.text


async def test_overview_rate_uses_the_message_counter_when_given(
    db: Database,
    accounts,
    desk: Desk,  # type: ignore[no-untyped-def]
) -> None:
    async def counter(_since: object) -> int:
        return 200

    web = Starlette()
    web.mount("/staff", create_dashboard_app(db=db, settings=dashboard_settings(),
                                             message_counter=counter))  # fmt: skip
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=web), base_url="http://desk.test"
    ) as http:
        staff = StaffClient(http)
        await staff.login("admin")
        page = await staff.get("/overview")
    assert "Tỷ lệ chưa hiểu: 0 % (0/200 tin nhắn)" in page.text


async def test_broadcast_preview_counts_then_sends_exactly_that(
    signed_in,
    desk: Desk,
    db: Database,  # type: ignore[no-untyped-def]
) -> None:
    admin: StaffClient = await signed_in("admin")
    await decide(admin, "approve", desk.dam_ha)
    async with db.transaction() as session:
        citizen = await session.get_one(Citizen, desk.citizens[desk.dam_ha[0]])
        citizen.telegram_user_id = None  # cannot be reached
    form = {"event": desk.event_id, "statuses": ["confirmed"], "text": "Mang theo <CCCD> nhé"}
    assert (await admin.get("/broadcast", params={"event": str(desk.event_id)})).status_code == 200
    preview = await admin.post("/broadcast/preview", form)
    assert "Sẽ gửi tới 2 người." in preview.text
    assert "1 người không nhận được" in preview.text
    assert "Mang theo &lt;CCCD&gt; nhé" in preview.text
    signature = re.search(r'name="signature" value="([0-9a-f]+)"', preview.text)
    assert signature is not None
    tampered = await admin.post(
        "/broadcast/send", form | {"text": "Khác", "signature": signature[1]}
    )
    assert tampered.status_code == 409
    async with db.transaction() as session:
        assert (await session.scalars(select(OutboxMessage).where(
            OutboxMessage.template == "broadcast"))).all() == []  # fmt: skip
    sent = await admin.post("/broadcast/send", form | {"signature": signature[1]})
    assert sent.status_code == 303
    async with db.transaction() as session:
        rows = (
            await session.scalars(
                select(OutboxMessage).where(OutboxMessage.template == "broadcast")
            )
        ).all()
    assert len(rows) == 2 and rows[0].params["text"] == "Mang theo <CCCD> nhé"
    assert "Đã xếp hàng gửi 2 tin nhắn" in (await admin.get(f"/events/{desk.event_id}")).text


async def test_broadcast_preview_refuses_an_empty_text(signed_in, desk: Desk) -> None:  # type: ignore[no-untyped-def]
    admin: StaffClient = await signed_in("admin")
    response = await admin.post(
        "/broadcast/preview", {"event": desk.event_id, "statuses": ["confirmed"], "text": " "}
    )
    assert response.status_code == 400 and "Nội dung thông báo đang để trống." in response.text


async def test_try_the_bot_goes_through_the_injected_pipeline(
    signed_in,
    fake_bot: FakeBot,
    accounts: dict[str, int],  # type: ignore[no-untyped-def]
) -> None:
    officer: StaffClient = await signed_in("canbo_dh")
    assert "Nhập câu hỏi" in (await officer.get("/try-bot")).text
    page = await officer.post("/try-bot", {"text": "tro cap bao nhieu"})
    assert fake_bot.calls == [("tro cap bao nhieu", chat_id_for(accounts["canbo_dh"]))]
    assert "<b>Đã nhận:</b> tro cap bao nhieu" in page.text
    assert "<script>" not in page.text and "<i>hết</i>" in page.text
    as_json = await officer.post(
        "/try-bot", {"text": "xin chào"}, headers={"Accept": "application/json"}
    )
    assert as_json.json()["replies"][0] == "<b>Đã nhận:</b> xin chào"


async def test_try_the_bot_says_when_the_bot_is_not_connected(
    db: Database,
    accounts,  # type: ignore[no-untyped-def]
) -> None:
    web = Starlette()
    web.mount("/staff", create_dashboard_app(db=db, settings=dashboard_settings()))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=web), base_url="http://desk.test"
    ) as http:
        staff = StaffClient(http)
        await staff.login("canbo_dh")
        assert "Trợ lý chưa được kết nối" in (await staff.get("/try-bot")).text
        response = await staff.post("/try-bot", {"text": "alo"})
        assert response.status_code == 503


async def test_audit_log_shows_staff_changes_to_admins(signed_in, desk: Desk) -> None:  # type: ignore[no-untyped-def]
    admin: StaffClient = await signed_in("admin")
    await decide(admin, "reject", desk.quang_tan[:1], reason="Lớp đã đủ người")
    page = await admin.get("/audit")
    assert (
        "Cán bộ admin không duyệt đăng ký của Lê Văn Dũng cho «Lớp may công nghiệp» — lý do: "
        "«Lớp đã đủ người»." in page.text
    )
    assert "rejected" not in page.text and "{" not in page.text.split("<main")[1]
    filtered = await admin.get("/audit", params={"actor": "staff:canbo_dh"})
    assert "Chưa có thay đổi nào." in filtered.text
    by_admin = await admin.get("/audit", params={"actor": "staff:admin", "entity": "registration"})
    assert "Lê Văn Dũng" in by_admin.text
    assert (await admin.get("/audit", params={"actor": "staff:nobody"})).status_code == 400
    assert (await admin.get("/audit", params={"entity": "password"})).status_code == 400
