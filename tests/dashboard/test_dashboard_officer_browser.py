"""An officer of xã Quảng Tân at work, in Chromium, on a 1366 px laptop and a 390 px phone.

Creates a class, publishes it, notifies its registrants, finds "Nguyễn Thị Hoa" by typing
"nguyen hoa", rejects her registration with a reason (the queued notice carries it), undoes
that, opens her citizen page, answers her question asked on Saturday night (she was told
Monday 7:30), and reads every step back in the audit log as sentences. Screenshots go to
var/screenshots/officer-<viewport>-NN-*.png. Reuses the browser set-up of
test_dashboard_browser (Debian's Chromium; skipped without it, failed under CI=true).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.chat.notifications import render
from bot.db.engine import Database
from bot.db.enums import OutboxStatus, RegistrationStatus, StaffRole
from bot.db.models import Event, OutboxMessage, Registration, StaffUser
from bot.services import handoff
from bot.services.clock import local, to_local
from bot.services.communes import DAM_HA, QUANG_TAN
from bot.texts import handoff as handoff_texts
from bot.texts.notifications import REJECT_REASONS
from tests.dashboard.support import TEST_HASH
from tests.dashboard.test_dashboard_browser import (  # noqa: F401  (fixtures)
    browser,
    live_url,
    new_page,
    shot,
)
from tests.support.factories import Factory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("migrated_url", ["sqlite"], indirect=True),
]
VIEWPORTS = {"laptop": (1366, 768), "phone": (390, 844)}


async def _lan(db: Database) -> None:
    async with db.transaction() as session:
        session.add(
            StaffUser(
                login="lan", full_name="Nguyễn Thị Lan", password_hash=TEST_HASH,
                role=StaffRole.OFFICER, commune=QUANG_TAN, active=True,
            )
        )  # fmt: skip


async def _sign_in(page: Any, base: str) -> None:
    from tests.dashboard.support import PASSWORD

    await page.goto(f"{base}/login")
    await page.fill('input[name="login"]', "lan")
    await page.fill('input[name="password"]', PASSWORD)
    await page.click('button[type="submit"]')
    await page.wait_for_load_state()


async def _no_sideways_scroll(page: Any, width: int) -> None:
    scroll = await page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll}px wide on a {width}px screen"


async def _min_size(locator: Any, height: float, width: float = 0) -> None:
    box = await locator.bounding_box()
    assert box is not None
    assert box["height"] >= height - 0.5 and box["width"] >= width - 0.5, box


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
async def test_an_officer_of_quang_tan_does_her_days_work(
    browser: Any,  # noqa: F811
    live_url: str,  # noqa: F811
    db: Database,
    factory: Factory,
    accounts: dict[str, int],
    viewport: str,
) -> None:
    width, height = VIEWPORTS[viewport]
    phone = viewport == "phone"
    name = f"officer-{viewport}"
    await _lan(db)
    page = await new_page(browser, width=width, height=height)
    page.on("dialog", lambda dialog: asyncio.ensure_future(dialog.accept()))
    await _sign_in(page, live_url)

    # 1. create the class (an officer's events belong to her commune) ----------------------
    await page.goto(f"{live_url}/events/new")
    start = to_local(factory.now + timedelta(days=10)).replace(hour=8, minute=0)
    await page.fill('input[name="title"]', "Lớp may K12")
    for field, moment in (
        ("starts_at", start),
        ("ends_at", start + timedelta(hours=4)),
        ("registration_deadline", start - timedelta(days=2)),
    ):
        await page.fill(f'input[name="{field}"]', moment.strftime("%Y-%m-%dT%H:%M"))
    await page.fill('input[name="capacity"]', "20")
    await page.fill('input[name="venue"]', "Nhà văn hóa thôn 3, xã Quảng Tân")
    await page.check('input[name="requires_approval"]')
    await shot(page, f"{name}-01-new-class")
    await page.click("form.form-grid button.primary")
    await page.wait_for_selector(".flash-ok")
    assert "Đã tạo sự kiện." in await page.inner_text(".flash-ok")
    async with db.transaction() as session:
        event = await session.scalar(select(Event).where(Event.title == "Lớp may K12"))
    assert event is not None and event.commune == QUANG_TAN

    # 2. publish it --------------------------------------------------------------------------
    await page.click("text=Mở nhận đăng ký")
    await page.wait_for_selector("text=Sự kiện đang nhận đăng ký.")
    await shot(page, f"{name}-02-published")

    hoa = await factory.citizen(full_name="Nguyễn Thị Hoa", commune=QUANG_TAN)
    binh = await factory.citizen(full_name="Trần Văn Bình", commune=QUANG_TAN)
    stranger = await factory.citizen(full_name="Nguyễn Văn Hoà", commune=DAM_HA)
    for person in (hoa, binh, stranger):
        await factory.register(person, event)

    # 3. notify the registrants of her commune -------------------------------------------
    await page.goto(f"{live_url}/events/{event.id}")
    await page.click("text=Gửi thông báo cho người đăng ký")
    await page.check('input[name="statuses"][value="pending"]')
    await page.fill('textarea[name="text"]', "Lớp học chuyển sang phòng 2, nhà văn hóa thôn 3.")
    await page.click("form.form-stack button[type=submit]")
    await page.wait_for_selector("text=Sẽ gửi tới 2 người.")
    await shot(page, f"{name}-03-broadcast-preview")
    await page.click("section.preview button.primary")
    await page.wait_for_selector(".flash-ok")
    async with db.transaction() as session:
        broadcast = (
            await session.scalars(
                select(OutboxMessage.citizen_id).where(OutboxMessage.template == "broadcast")
            )
        ).all()
    assert sorted(broadcast) == sorted([hoa.id, binh.id])  # not the Đầm Hà registrant

    # 4. find "Nguyễn Thị Hoa" by typing "nguyen hoa" ----------------------------------------
    await page.goto(f"{live_url}/registrations")
    await page.fill('input[name="q"]', "nguyen hoa")
    await page.click("form.filters button[type=submit]")
    await page.wait_for_url("**q=nguyen+hoa**")
    names = await page.locator("td.name strong").all_inner_texts()
    assert names == ["Nguyễn Thị Hoa"]
    registration_id = (await factory.register(hoa, event)).registration.id
    reject = page.locator(f'button[name="one"][value="reject:{registration_id}"]')
    if phone:
        await _min_size(reject, 44)
        await _min_size(page.locator('input[name="ids"]').first, 24, 24)
        name_box = await page.locator("td.name").first.bounding_box()
        reject_box = await reject.bounding_box()
        assert name_box and reject_box and name_box["x"] >= 0
        assert (
            name_box["x"] + name_box["width"] <= width
            and reject_box["x"] + reject_box["width"] <= width
        )
        await _no_sideways_scroll(page, width)
    assert await page.locator('td.name a.tel[href^="tel:+84"]').count() == 1
    await shot(page, f"{name}-04-search-nguyen-hoa")

    # 5. reject with a reason, then undo ----------------------------------------------------
    await reject.click()
    await page.wait_for_selector("text=Xác nhận: Không duyệt 1 đăng ký")
    await page.check('input[name="reason_code"][value="papers"]')
    await shot(page, f"{name}-05-reject-reason")
    await page.click("form.confirm button.primary")
    await page.wait_for_selector(".flash-ok")
    assert "Không duyệt: 1 đăng ký đã xử lý." in await page.inner_text("main")
    async with db.transaction() as session:
        notice = await session.scalar(
            select(OutboxMessage).where(
                OutboxMessage.registration_id == registration_id,
                OutboxMessage.template == "registration.rejected",
            )
        )
    assert notice is not None and notice.chat_id == hoa.telegram_user_id
    assert notice.status == OutboxStatus.PENDING
    citizen_reads = render(notice.template, notice.params).text
    assert "Lớp may K12" in citizen_reads
    assert f"Lý do: {REJECT_REASONS['papers']}" in citizen_reads
    await shot(page, f"{name}-06-rejected")
    await page.click(f'button[name="one"][value="reopen:{registration_id}"]')
    await page.wait_for_selector("text=Mở lại: 1 đăng ký đã xử lý.")
    async with db.transaction() as session:
        notice = await session.get_one(OutboxMessage, notice.id)
        status = (await session.get_one(Registration, registration_id)).status
    assert notice.status == OutboxStatus.CANCELLED and status == RegistrationStatus.PENDING

    # 6. her citizen page ----------------------------------------------------------------------
    await page.click("td.name a >> text=Nguyễn Thị Hoa")
    await page.wait_for_selector("h1 >> text=Nguyễn Thị Hoa")
    assert "Lớp may K12" in await page.inner_text("main")
    await page.fill('textarea[name="text"]', "Chị Hoa sẽ bổ sung giấy xác nhận hộ nghèo.")
    await page.click("#notes button[type=submit]")
    await page.wait_for_selector("text=Đã lưu ghi chú.")
    if phone:
        await _no_sideways_scroll(page, width)
    await shot(page, f"{name}-07-citizen-page")

    # 7. her question on Saturday 22:00 is answered; she had been told Monday 7:30 -------------
    asked = local(2026, 12, 5, 22, 0)
    async with db.transaction() as session:
        ticket, _ = await handoff.ask_officer(
            session, chat_id=hoa.telegram_user_id, citizen=hoa, now=asked,
            text="Tôi cần mang giấy tờ gì khi đi học lớp may?", topic="vocational_classes",
        )  # fmt: skip
        told = handoff_texts.ticket_opened(ticket.id, "…", ticket.expected_answer_at)
    assert "7:30 sáng thứ Hai, 07/12" in told
    await page.goto(f"{live_url}/handoff")
    card = page.locator(f"#ticket-{ticket.id}")
    assert "được báo sẽ có trả lời từ 07/12/2026 07:30" in await card.inner_text()
    await card.locator("textarea[name=text]").fill("Chào chị Hoa, chị mang CCCD và sổ hộ nghèo.")
    if phone:
        await _min_size(card.locator("form.reply button"), 44)
        await _no_sideways_scroll(page, width)
    await shot(page, f"{name}-08-handoff-outside-hours")
    await card.locator("form.reply button").click()
    await page.wait_for_selector(".flash-ok")
    async with db.transaction() as session:
        answer = await session.scalar(
            select(OutboxMessage).where(OutboxMessage.template == "handoff.reply")
        )
    assert answer is not None and answer.chat_id == hoa.telegram_user_id
    assert "sổ hộ nghèo" in answer.params["text"]

    # 8. the attendance sheet fits on the screen -------------------------------------------
    await page.goto(f"{live_url}/events/{event.id}/attendance")
    if phone:
        await _no_sideways_scroll(page, width)

    # 9. every step is in her commune's audit log, as sentences -----------------------------
    await page.goto(f"{live_url}/audit")
    await shot(page, f"{name}-09-audit-log")
    log = await page.inner_text("ol.audit-log")
    for sentence in (
        "Nguyễn Thị Lan tạo sự kiện «Lớp may K12».",
        "Nguyễn Thị Lan mở nhận đăng ký sự kiện «Lớp may K12».",
        "Nguyễn Thị Lan gửi thông báo tới 2 người đăng ký «Lớp may K12».",
        "Nguyễn Thị Lan không duyệt đăng ký của Nguyễn Thị Hoa cho «Lớp may K12» — lý do: "
        f"«{REJECT_REASONS['papers'].rstrip('.')}».",
        "Nguyễn Thị Lan mở lại đăng ký của Nguyễn Thị Hoa cho «Lớp may K12»",
        "Nguyễn Thị Lan thêm ghi chú về Nguyễn Thị Hoa.",
        f"Nguyễn Thị Lan trả lời câu hỏi số {ticket.id} của Nguyễn Thị Hoa.",
    ):
        assert sentence in log, sentence
    assert "{" not in log and "staff:" not in log, [
        line for line in log.splitlines() if "{" in line or "staff:" in line
    ]
    if phone:
        await _no_sideways_scroll(page, width)
    await page.goto(f"{live_url}/overview")
    if phone:
        assert await page.locator("svg.chart-narrow:visible").count() >= 3
        assert await page.locator("svg.chart-wide:visible").count() == 0
        await _no_sideways_scroll(page, width)
    await shot(page, f"{name}-10-overview")
