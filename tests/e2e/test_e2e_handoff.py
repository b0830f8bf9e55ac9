"""Handoff: question → ticket → staff chat → an officer's Telegram reply → the citizen.

The officer's answer travels like every message the system sends on its own: handoff.reply
queues it in the outbox and the dispatcher (started by bot.application) sends it.
"""

from __future__ import annotations

import pytest
from e2e_helpers import Person, staff_reply
from sqlalchemy import select

from bot.application import Running
from bot.db.enums import HandoffStatus, OutboxStatus
from bot.db.models import HandoffMessage, HandoffTicket, OutboxMessage
from telegram_standin import BotApiStandIn

pytestmark = pytest.mark.usefixtures("bot")

ANSWER = "Bác mang CCCD tới UBND xã <Đầm Hà> nhé & hỏi bộ phận một cửa."
QUESTION = "Mẹ tôi 82 tuổi ở thôn <3> & không có lương hưu, hồ sơ trợ cấp nộp ở đâu?"


async def _officer_answers(
    standin: BotApiStandIn, staff_chat: int, person: Person, text: str
) -> tuple[str, str]:
    """The staff chat's notification text, and the officer's answer as the citizen reads it."""
    notification = await standin.wait_for_message(
        staff_chat, lambda m: "Câu hỏi mới" in (m.text or ""), since=0
    )
    officer = standin.create_citizen(first_name="Cán bộ Hà", username="canbo_ha")
    since = standin.mark()
    staff_reply(
        standin,
        user_id=officer.user_id,
        chat_id=staff_chat,
        to_message_id=notification.message_id,
        text=text,
    )
    confirmation = await standin.wait_for_message(staff_chat, since=since)
    assert "Đã gửi câu trả lời" in (confirmation.text or "")
    answer = await person.wait_for(lambda m: "Cán bộ trả lời" in (m.text or ""), since=since)
    return notification.text or "", answer.text or ""


@pytest.fixture
def nlu_url() -> str:
    return "http://127.0.0.1:9"  # /canbo and buttons need no NLU


async def test_officer_reply_in_the_staff_chat_reaches_the_citizen(
    bot: Running, standin: BotApiStandIn, staff_chat: int, person: Person
) -> None:
    await person.agree()
    prompt = await person.command("canbo")
    assert "gõ câu hỏi" in prompt.text

    opened = await person.say(QUESTION)

    assert "#1" in opened.text and "Giờ làm việc cụ thể chưa được xác nhận" in opened.text
    notification, answer = await _officer_answers(standin, staff_chat, person, ANSWER)
    assert QUESTION in notification  # escaped on the way out, intact on screen
    assert ANSWER in answer
    await bot.dispatcher.wait_idle()  # the delivery is recorded right after Telegram answers
    async with bot.db.transaction() as session:
        ticket = (await session.scalars(select(HandoffTicket))).one()
        messages = (await session.scalars(select(HandoffMessage))).all()
        sent = (await session.scalars(select(OutboxMessage))).one()
    assert ticket.status == HandoffStatus.ANSWERED
    assert [m.staff_login for m in messages] == [None, "telegram:canbo_ha"]
    assert sent.template == "handoff.reply" and sent.status == OutboxStatus.SENT


async def test_asking_an_officer_without_consent_asks_for_it_first(
    bot: Running, person: Person
) -> None:
    consent = await person.command("canbo", "cho tôi hỏi về trợ cấp cho mẹ tôi")

    assert "cán bộ trả lời được bạn" in consent.text
    assert consent.button_texts == ["Đồng ý", "Không đồng ý"]
    since = person.standin.mark()
    await person.press("Đồng ý")

    opened = await person.wait_for(lambda m: "#1" in (m.text or ""), since=since)
    assert "cho tôi hỏi về trợ cấp cho mẹ tôi" in opened.text


async def test_moving_on_after_the_prompt_does_not_send_the_next_message(
    bot: Running, person: Person
) -> None:
    await person.agree()
    await person.command("canbo")
    await person.command("menu")  # changed their mind

    answer = await person.say("tro cap bao nhieu")

    assert "Nguồn:" in answer.text
    async with bot.db.transaction() as session:
        assert (await session.scalars(select(HandoffTicket))).all() == []
