"""/start, consent (Personal Data Protection Law 91/2025), deep links, commands, and a hostile
Telegram name."""

from __future__ import annotations

import pytest
from e2e_helpers import Person
from sqlalchemy import select
from telegram import Update

from bot.application import Running
from bot.chat.registration import entry as registration
from bot.db.models import Citizen
from bot.texts.consent import CONSENT_VERSION
from telegram_standin import BotApiStandIn

pytestmark = pytest.mark.usefixtures("bot")


@pytest.fixture
def nlu_url() -> str:
    """These conversations never need the NLU: a closed port keeps them fast and Rasa-free."""
    return "http://127.0.0.1:9"


async def _citizens(run: Running) -> list[Citizen]:
    async with run.db.transaction() as session:
        return list((await session.scalars(select(Citizen))).all())


async def test_start_greets_asks_consent_and_records_it(bot: Running, person: Person) -> None:
    welcome = await person.command("start")

    assert "Trợ lý An sinh" in welcome.text
    assert "91/2025/QH15" in welcome.text
    assert welcome.button_texts == ["Đồng ý", "Không đồng ý", "📄 Đọc đầy đủ"]
    assert await _citizens(bot) == []  # nothing stored before the answer

    confirmed = await person.press("Đồng ý")

    assert confirmed.message_id == welcome.message_id  # the consent message became the answer
    assert "đã ghi nhận bạn đồng ý" in confirmed.text
    assert "Hỗ trợ nhà ở" in confirmed.button_texts and "Gặp cán bộ" in confirmed.button_texts
    [citizen] = await _citizens(bot)
    assert citizen.telegram_user_id == person.user_id
    assert citizen.consent_at is not None and citizen.consent_text_version == CONSENT_VERSION
    again = await person.command("start")
    assert "Đồng ý" not in again.button_texts and "Trợ cấp xã hội" in again.button_texts


async def test_declining_stores_nothing_and_questions_still_work(
    bot: Running, person: Person
) -> None:
    await person.command("start")

    declined = await person.press("Không đồng ý")

    assert "không đồng ý" in declined.text and "vẫn hỏi đáp được" in declined.text
    assert await _citizens(bot) == []
    submenu = await person.press("Trợ cấp xã hội")
    answer = await person.press("Mức trợ cấp bao nhiêu?")
    assert submenu.message_id == declined.message_id
    assert "Nguồn:" in answer.text


async def test_a_hostile_name_arrives_intact(bot: Running, standin: BotApiStandIn) -> None:
    citizen = standin.create_citizen(first_name="<b>Lan & Co", last_name=None)
    person = Person(standin, citizen.user_id)

    welcome = await person.command("start")

    assert "Xin chào <b>Lan & Co!" in welcome.text
    await person.press("Đồng ý")
    [stored] = await _citizens(bot)
    assert stored.full_name == "<b>Lan & Co"


async def test_deep_link_opens_the_event_after_consent(
    bot: Running, person: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[dict[str, object]] = []

    async def start_registration(update: Update, context: object, **kwargs: object) -> None:
        """Stands in for the registration form: records the call, shows its first message."""
        opened.append(kwargs)
        assert update.effective_chat is not None
        await update.effective_chat.send_message(f"Đăng ký sự kiện {kwargs['event_id']}")

    monkeypatch.setattr(registration, "start_registration", start_registration)
    welcome = await person.command("start", "ev_42")
    assert welcome.button_texts == ["Đồng ý", "Không đồng ý", "📄 Đọc đầy đủ"] and opened == []

    since = person.standin.mark()
    await person.press("Đồng ý")

    await person.wait_for(lambda m: m.text == "Đăng ký sự kiện 42", since=since)
    assert opened == [{"kind": None, "entities": {}, "event_id": 42}]
    form = await person.command("start", "ev_43")  # consented already: straight to the form
    assert form.text == "Đăng ký sự kiện 43"


async def test_commands_are_registered_in_vietnamese(bot: Running, standin: BotApiStandIn) -> None:
    commands = {c["command"]: c["description"] for c in standin.commands()}
    assert list(commands) == ["start", "menu", "huy", "dangky", "canbo", "riengtu"]
    assert commands["canbo"] == "Gặp cán bộ"
