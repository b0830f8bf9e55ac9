"""Nothing crashes: a failing handler gets an apology and a staff report; the web app's guards."""

from __future__ import annotations

import logging

import httpx
import pytest
from e2e_helpers import WEBHOOK_SECRET, Person

from bot.application import Running
from bot.knowledge import KnowledgeBase
from bot.web import HEALTH_PATH, SECRET_HEADER
from telegram_standin import BotApiStandIn

pytestmark = pytest.mark.usefixtures("bot")


@pytest.fixture
def nlu_url() -> str:
    return "http://127.0.0.1:9"


async def test_a_bug_gets_an_apology_and_a_short_staff_report(
    standin: BotApiStandIn,
    staff_chat: int,
    person: Person,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    phone = "0912 345 678"

    def broken(self: KnowledgeBase, intent: str, entities: object = None) -> object:
        raise RuntimeError(f"personal data in an error message: {phone}")

    monkeypatch.setattr(KnowledgeBase, "answer", broken)

    apology = await person.say("tro cap bao nhieu")

    assert "Xin lỗi, mình vừa gặp lỗi" in apology.text
    report = await standin.wait_for_message(staff_chat, since=0)
    assert "RuntimeError" in (report.text or "") and "0912" not in (report.text or "")
    menu = await person.say("abc xyz")  # the bot carries on
    assert "chưa hiểu" in menu.text
    assert "RuntimeError" in caplog.text and "0912" not in caplog.text
    assert "tro cap" not in caplog.text  # nor what the person typed


async def test_telegram_refusing_a_message_is_reported_not_fatal(
    standin: BotApiStandIn, staff_chat: int, person: Person
) -> None:
    standin.inject_fault("sendMessage", status=400, description="Bad Request: boom")

    apology = await person.say("abc xyz")

    assert "Xin lỗi, mình vừa gặp lỗi" in apology.text
    report = await standin.wait_for_message(staff_chat, since=0)
    assert "BadRequest" in (report.text or "")


async def test_double_tap_on_a_menu_button_is_harmless(
    standin: BotApiStandIn, staff_chat: int, person: Person
) -> None:
    menu = await person.command("menu")
    await person.press("Học nghề")
    back = await person.press("« Menu chính")
    assert back.message_id == menu.message_id
    standin.press_button(person.user_id, text="Học nghề", message_id=menu.message_id)
    standin.press_button(person.user_id, text="Học nghề", message_id=menu.message_id)

    await person.command("menu")  # updates are handled in order: both presses are done
    assert any("message is not modified" in error for error in standin.stats.errors)
    assert standin.messages(staff_chat) == []  # ...which is a double tap, not an error


async def test_health_endpoint(bot: Running) -> None:
    async with httpx.AsyncClient(base_url=bot.web.url) as client:
        response = await client.get(HEALTH_PATH)

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "mode": "webhook" if bot.webhook_url else "polling",
        "bot": True,
        "database": True,
        "nlu": "down (keywords)",
        "sending": {},  # nothing sent yet: no waits for Telegram's limits to report
    }


async def test_the_staff_dashboard_is_mounted_on_the_same_server(bot: Running) -> None:
    async with httpx.AsyncClient(base_url=bot.web.url) as client:
        response = await client.get("/staff/login")

    assert response.status_code == 200 and "text/html" in response.headers["content-type"]


@pytest.mark.parametrize("mode", ["webhook"])
async def test_webhook_refuses_updates_without_the_secret(bot: Running) -> None:
    assert bot.webhook_url is not None
    update = {"update_id": 1, "message": {"message_id": 1, "date": 0, "chat": {"id": 1}}}
    async with httpx.AsyncClient() as client:
        missing = await client.post(bot.webhook_url, json=update)
        wrong = await client.post(bot.webhook_url, json=update, headers={SECRET_HEADER: "guess"})
        garbage = await client.post(
            bot.webhook_url, content=b"{not json", headers={SECRET_HEADER: WEBHOOK_SECRET}
        )

    assert (missing.status_code, wrong.status_code, garbage.status_code) == (403, 403, 400)
