"""Real-browser tests: Debian's Chromium driven by Playwright, against uvicorn on a free port.

They check what HTTP tests cannot: that the forms, the select-all script, downloads and the
"try the bot" script work in a browser. Screenshots of the key pages land in var/screenshots/
for a human to look at. Without /usr/bin/chromium the tests skip, except under CI=true.
"""

from __future__ import annotations

import asyncio
import io
import os
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from openpyxl import load_workbook
from sqlalchemy import select
from starlette.applications import Starlette

from bot.db.engine import Database
from bot.db.enums import HandoffStatus, RegistrationStatus
from bot.db.models import HandoffTicket, OutboxMessage, Registration
from bot.services import handoff, nlu_review
from bot.services.clock import utcnow
from bot.services.communes import DAM_HA, QUANG_TAN
from bot.settings import PROJECT_ROOT
from tests.dashboard.support import PASSWORD, Desk, add_registrations
from tests.support.factories import Factory

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = PROJECT_ROOT / "var" / "screenshots"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    # One backend is enough for the browser; the HTTP tests cover both.
    pytest.mark.parametrize("migrated_url", ["sqlite"], indirect=True),
]


@pytest.fixture
async def live_url(web_app: Starlette) -> AsyncIterator[str]:
    """The app served by uvicorn in this event loop on 127.0.0.1 and an ephemeral port."""
    server = uvicorn.Server(
        uvicorn.Config(web_app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/staff"
    finally:
        server.should_exit = True
        await task


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} missing: apt-get install chromium"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason} (CI=true: browser tests must run)")
        pytest.skip(reason)
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        try:
            yield launched
        finally:
            await launched.close()


async def new_page(browser: Any, *, width: int = 1366, height: int = 768) -> Any:
    context = await browser.new_context(
        viewport={"width": width, "height": height}, accept_downloads=True, locale="vi-VN"
    )
    context.set_default_timeout(10_000)
    return await context.new_page()


async def sign_in(page: Any, base: str, login: str) -> None:
    await page.goto(f"{base}/registrations")
    assert "/login" in page.url
    await page.fill('input[name="login"]', login)
    await page.fill('input[name="password"]', PASSWORD)
    await page.click('button[type="submit"]')
    await page.wait_for_url(f"{base}/registrations")


async def shot(page: Any, name: str, *, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


async def more_history(db: Database, factory: Factory, desk: Desk) -> None:
    """A few weeks of registrations so that the charts have something to draw."""
    for weeks_ago, count, commune in ((1, 6, DAM_HA), (2, 4, QUANG_TAN), (4, 9, DAM_HA)):
        await add_registrations(
            db, factory, count, event_id=desk.other_event_id, commune=commune,
            created_at=factory.now - timedelta(weeks=weeks_ago), groups=["unemployed"],
        )  # fmt: skip


async def test_filter_bulk_approve_and_download_the_xlsx(
    browser: Any, live_url: str, desk: Desk, db: Database, factory: Factory
) -> None:
    await more_history(db, factory, desk)
    page = await new_page(browser)
    await page.goto(f"{live_url}/login")
    await shot(page, "01-login")
    await sign_in(page, live_url, "admin")

    await page.select_option('select[name="event"]', str(desk.event_id))
    await page.select_option('select[name="commune"]', DAM_HA)
    await page.select_option('select[name="status"]', "pending")
    await page.click("form.filters button[type=submit]")
    await page.wait_for_url("**status=pending**")
    assert await page.locator('input[name="ids"]').count() == 3
    await page.check("[data-select-all]")
    assert await page.locator('input[name="ids"]:checked').count() == 3
    await shot(page, "02-registrations-filtered")
    await page.select_option('select[name="action"]', "approve")
    await page.click('button[name="bulk"]')
    await page.wait_for_selector("text=Xác nhận: Duyệt 3 đăng ký")  # nothing done yet
    await page.click("form.confirm button.primary")
    await page.wait_for_selector(".flash-ok")
    assert "Duyệt: 3 đăng ký đã xử lý." in await page.inner_text(".flash-ok")
    async with db.transaction() as session:
        statuses = (
            await session.scalars(
                select(Registration.status).where(Registration.id.in_(desk.dam_ha))
            )
        ).all()
    assert set(statuses) == {RegistrationStatus.CONFIRMED}

    await page.select_option('select[name="status"]', "confirmed")
    await page.click("form.filters button[type=submit]")
    await page.wait_for_url("**status=confirmed**")
    await shot(page, "03-registrations-approved")
    async with page.expect_download() as waiting:
        await page.click("text=Tải Excel (XLSX)")
    download = await waiting.value
    assert download.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(Path(await download.path()).read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "Họ và tên"
    assert sorted(row[0] for row in rows[1:]) == sorted(desk.dam_ha)
    assert {row[8] for row in rows[1:]} == {"Đã có chỗ"}


async def test_officer_replies_to_a_handoff(
    browser: Any, live_url: str, factory: Factory, db: Database, accounts: dict[str, int]
) -> None:
    citizen = await factory.citizen(full_name="Hoàng Thị Lan", commune=DAM_HA)
    async with db.transaction() as session:
        ticket, _ = await handoff.ask_officer(
            session, chat_id=citizen.telegram_user_id, citizen=citizen, now=utcnow(),
            text="Cho tôi hỏi hồ sơ trợ cấp cho mẹ tôi 82 tuổi cần những gì?",
            topic="allowance_procedure",
        )  # fmt: skip
    page = await new_page(browser)
    await sign_in(page, live_url, "canbo_dh")
    await page.click("nav >> text=Câu hỏi của dân")
    await page.fill(f"#ticket-{ticket.id} textarea[name=text]", "Chào chị, cần CCCD và đơn.")
    await shot(page, "04-handoff-inbox")
    await page.click(f"#ticket-{ticket.id} form.reply button[type=submit]")
    await page.wait_for_selector(".flash-ok")
    assert "Đã lưu câu trả lời" in await page.inner_text(".flash-ok")
    assert "Đang chờ gửi" in await page.inner_text(f"#ticket-{ticket.id}")  # not yet sent
    assert "Chào chị, cần CCCD và đơn." in await page.inner_text(f"#ticket-{ticket.id}")
    async with db.transaction() as session:
        outbox = (await session.scalars(select(OutboxMessage))).all()
        status = (await session.get_one(HandoffTicket, ticket.id)).status
    assert [(m.template, m.chat_id) for m in outbox] == [
        ("handoff.reply", citizen.telegram_user_id)
    ]
    assert status == HandoffStatus.ANSWERED


async def test_key_pages_render_in_a_browser(
    browser: Any, live_url: str, desk: Desk, db: Database, factory: Factory
) -> None:
    await more_history(db, factory, desk)
    async with db.transaction() as session:
        await nlu_review.log_message(
            session, text="cho hỏi tiền hỗ trợ nhà bao giờ nhận", predicted_intent="housing_amount",
            confidence=0.38, ranking=[("housing_amount", 0.38)], reason="low_confidence",
            now=utcnow(),
        )  # fmt: skip
    page = await new_page(browser)
    await sign_in(page, live_url, "admin")
    await page.goto(f"{live_url}/registrations?sort=name&dir=asc")
    await page.check(f'input[name="ids"][value="{desk.dam_ha[0]}"]')
    await page.click(f'button[name="one"][value="approve:{desk.dam_ha[1]}"]')
    await page.wait_for_selector(".flash-ok")
    await page.goto(f"{live_url}/overview")
    assert await page.locator("svg.chart-wide").count() == 4
    assert await page.locator("svg.chart-narrow:visible").count() == 0
    await shot(page, "05-overview")
    await page.goto(f"{live_url}/events/{desk.event_id}/attendance")
    await page.emulate_media(media="print")
    assert not await page.is_visible("header.topbar")
    await shot(page, "06-attendance-print")
    await page.emulate_media(media="screen")
    await page.goto(f"{live_url}/events/{desk.event_id}/poster")
    assert await page.locator("svg.qr").count() == 1
    await shot(page, "07-poster")
    await page.goto(f"{live_url}/nlu")
    await shot(page, "08-nlu-review")
    await page.goto(f"{live_url}/try-bot")
    await page.fill('input[name="text"]', "trợ cấp người cao tuổi bao nhiêu")
    await page.press('input[name="text"]', "Enter")
    await page.wait_for_selector("#chat-log .msg-staff")
    assert "Đã nhận:" in await page.inner_text("#chat-log")
    assert await page.locator("#chat-log script").count() == 0
    await shot(page, "09-try-bot")
    page.on("dialog", lambda dialog: asyncio.ensure_future(dialog.accept()))
    await page.goto(f"{live_url}/events/{desk.other_event_id}")
    await page.click("text=Hủy sự kiện")
    await page.wait_for_selector(".flash-ok")
    assert "Đã hủy sự kiện" in await page.inner_text(".flash-ok")

    phone = await new_page(browser, width=390, height=844)
    await sign_in(phone, live_url, "canbo_qt")
    assert not await phone.is_visible("nav >> text=Sự kiện")  # the menu starts folded
    await shot(phone, "10-registrations-phone")
