"""No per-person state in process memory: another bot process continues the conversation.

Each test talks to one bot, stops it, and goes on with a new one on the same database (as
when a person's next message reaches the other process behind the proxy, or after a
restart): the unclear-twice counter and the question half-asked for an officer carry over.
"""

from __future__ import annotations

import pytest
from e2e_helpers import Person
from sqlalchemy import select

from bot.application import BotApi, running
from bot.db.models import HandoffMessage
from bot.settings import Settings
from telegram_standin import BotApiStandIn

pytestmark = pytest.mark.nlu_server


async def test_a_second_unclear_message_in_another_process_offers_the_officer(
    standin: BotApiStandIn, settings: Settings, person: Person
) -> None:
    api = BotApi.standin(standin)
    async with running(settings, api=api, webhook=None, web_port=0):
        clarify = await person.say("đăng ký")
    assert "Ý bạn là" in clarify.text

    async with running(settings, api=api, webhook=None, web_port=0):
        offer = await person.say("hỗ trợ")  # the second unclear message in a row

    assert "cán bộ" in offer.text and "Gửi câu hỏi cho cán bộ" in offer.button_texts


async def test_the_question_typed_for_an_officer_reaches_them_from_another_process(
    standin: BotApiStandIn, settings: Settings, person: Person
) -> None:
    api = BotApi.standin(standin)
    async with running(settings, api=api, webhook=None, web_port=0):
        await person.agree()
        prompt = await person.command("canbo")
    assert "gõ câu hỏi" in prompt.text

    question = "Hồ sơ trợ cấp của mẹ tôi nộp từ tháng trước mà chưa có kết quả"
    async with running(settings, api=api, webhook=None, web_port=0) as run:
        opened = await person.say(question)
        async with run.db.transaction() as session:
            asked = (await session.scalars(select(HandoffMessage))).one()

    assert "#1" in opened.text
    assert asked.text == question
