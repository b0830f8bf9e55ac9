"""In Chromium: an admin changes the Quảng Ninh standard with its source and the date checked,
previews it as Telegram will show it and publishes; the next citizen asking "trợ cấp người
khuyết tật nặng bao nhiêu" gets the new amount without a restart; the audit log shows the
change; a rollback restores the old amount. Screenshots: var/screenshots/knowledge-*.png."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.applications import Starlette

from bot.dashboard import create_dashboard_app
from bot.db.engine import Database
from bot.knowledge.store import KnowledgeStore, LiveKnowledgeBase
from tests.dashboard import test_dashboard_browser as browser_tests
from tests.dashboard.support import dashboard_settings
from tests.dashboard.test_dashboard_browser import new_page, shot, sign_in

# The Chromium and uvicorn fixtures of the dashboard's browser tests, shared.
browser = browser_tests.browser
live_url = browser_tests.live_url

pytestmark = [
    pytest.mark.browser,
    pytest.mark.parametrize("migrated_url", ["sqlite"], indirect=True),
]

QUESTION = "trợ cấp người khuyết tật nặng bao nhiêu"
# What the NLU model returns for QUESTION (docs/contracts/nlu-contract.md); the browser test
# does not start Rasa, so this one understanding is given, the answer is the real pipeline's.
UNDERSTOOD = ("allowance_amount", {"target_group": "người khuyết tật"})


class Citizen:
    """The bot's answering path over the live knowledge, as the "Thử trợ lý" page calls it."""

    def __init__(self, knowledge: LiveKnowledgeBase) -> None:
        self.knowledge = knowledge

    async def __call__(self, text: str, chat_id: int) -> list[str]:
        assert text == QUESTION
        intent, entities = UNDERSTOOD
        return [self.knowledge.answer(intent, entities).render_html()]


@pytest.fixture
def store(db: Database) -> KnowledgeStore:
    return KnowledgeStore(db)


@pytest.fixture
def dashboard(db: Database, store: KnowledgeStore) -> Starlette:
    bot_knowledge = store.live()  # what the bot holds from start-up on
    return create_dashboard_app(
        db=db, settings=dashboard_settings(), try_bot=Citizen(bot_knowledge),
        knowledge=bot_knowledge,
    )  # fmt: skip


async def ask(page: Any, base: str) -> str:
    await page.goto(f"{base}/try-bot")
    await page.fill('#chat-form input[name="text"]', QUESTION)
    await page.click('#chat-form button[type="submit"]')
    # (a locator, not wait_for_function: the page's CSP forbids evaluating strings)
    await page.locator("#chat-log .msg-staff .msg-text").first.wait_for()
    texts: list[str] = await page.locator("#chat-log .msg-staff .msg-text").all_inner_texts()
    return texts[-1]


async def test_officer_changes_the_standard_and_the_next_citizen_gets_it(
    browser: Any, live_url: str, accounts: dict[str, int], store: KnowledgeStore
) -> None:
    page = await new_page(browser)
    await sign_in(page, live_url, "admin")
    chat = await page.context.new_page()  # a second tab: the "Thử trợ lý" page
    before = await ask(chat, live_url)
    assert "Nặng: khoảng 1.050.000 đ" in before

    await page.goto(f"{live_url}/knowledge")
    await page.click('tr[data-fact="qn_standard"] a')
    await page.fill('input[name="value"]', "750000")
    await page.fill('input[name="valid_from"]', "2026-11-01")
    await page.fill('input[name="source_document"]', "Nghị quyết 99/2026/NQ-HĐND tỉnh Quảng Ninh")
    await page.fill('input[name="source_date"]', "2026-10-20")
    await page.fill('input[name="checked_on"]', "2026-12-02")
    await page.click("#edit-form button[type=submit]")
    preview = await page.locator("#preview").inner_text()
    assert "Nặng: khoảng 1.125.000 đ" in preview
    assert "Nghị quyết 99/2026/NQ-HĐND tỉnh Quảng Ninh" in preview
    await shot(page, "knowledge-preview")
    assert "Nặng: khoảng 1.050.000 đ" in await ask(chat, live_url)  # nothing published yet

    await page.click("#publish-form button[type=submit]")
    await page.wait_for_url(f"{live_url}/knowledge")
    await shot(page, "knowledge-published")

    after = await ask(chat, live_url)  # same running app, no restart
    assert "Nặng: khoảng 1.125.000 đ" in after
    await shot(chat, "knowledge-citizen-answer")

    await page.goto(f"{live_url}/audit")
    audit = await page.locator("main").inner_text()
    assert "công bố qn_standard" in audit and "→ 750000" in audit
    await shot(page, "knowledge-audit")

    await page.goto(f"{live_url}/knowledge")
    await page.click("#history tr[data-version] button")
    await page.wait_for_url(f"{live_url}/knowledge")
    await shot(page, "knowledge-rolled-back")
    assert "Nặng: khoảng 1.050.000 đ" in await ask(chat, live_url)
