"""Questions answered through the real NLU server: sources, NFD, "Ý bạn là…?", the officer."""

from __future__ import annotations

import unicodedata

import pytest
from e2e_helpers import Person, button_data
from sqlalchemy import select

from bot.application import Running
from bot.db.models import NluReviewItem
from telegram_standin import BotApiStandIn

pytestmark = [pytest.mark.nlu_server, pytest.mark.usefixtures("bot")]

ELDERLY_AMOUNT = "Trợ cấp cho người cao tuổi được bao nhiêu tiền một tháng?"


async def _review_items(run: Running) -> list[NluReviewItem]:
    async with run.db.transaction() as session:
        return list((await session.scalars(select(NluReviewItem).order_by(NluReviewItem.id))).all())


async def test_allowance_amount_without_diacritics_gets_the_sourced_answer(
    person: Person,
) -> None:
    answer = await person.say("tro cap nguoi cao tuoi duoc bao nhieu tien 1 thang")

    assert "Nguồn:" in answer.text and "Nghị định 20/2021/NĐ-CP" in answer.text
    assert "người cao tuổi" in answer.text.lower()  # the elderly variant, from the entity
    assert button_data(answer, "ANS|")  # follow-up questions
    assert "Menu" in answer.button_texts


async def test_nfd_input_gets_the_same_answer_as_nfc(person: Person) -> None:
    composed = await person.say(ELDERLY_AMOUNT)
    decomposed = await person.say(unicodedata.normalize("NFD", ELDERLY_AMOUNT))

    assert "Nguồn:" in decomposed.text
    assert decomposed.text == composed.text
    assert decomposed.button_texts == composed.button_texts


async def test_unclear_message_asks_which_one_then_offers_the_officer(
    bot: Running, person: Person
) -> None:
    clarify = await person.say("đăng ký")

    assert "Ý bạn là" in clarify.text
    choices = button_data(clarify, "ANS|")
    assert len(choices) == 3 and "ANS|register_vocational" in choices
    assert "Không phải các ý trên" in clarify.button_texts

    offer = await person.say("hỗ trợ")  # a second unclear message in a row

    assert "cán bộ" in offer.text and "Gửi câu hỏi cho cán bộ" in offer.button_texts
    items = await _review_items(bot)
    assert [item.reason for item in items] == ["low_confidence", "unclear"]
    assert items[0].predicted_intent and 0 < items[0].confidence < 0.55
    assert all(item.text == "" for item in items)  # no consent: the words are not kept


async def test_a_suggestion_answers_that_question(person: Person) -> None:
    clarify = await person.say("trợ cấp")  # which of the allowance questions?
    assert "Ý bạn là" in clarify.text

    answer = await person.press(data="ANS|allowance_eligibility")

    assert "Nguồn:" in answer.text
    assert "GO|elig:allowance" in button_data(answer, "GO|")  # the quick check comes next


async def test_unclear_question_goes_to_the_officer_with_consent(
    bot: Running, person: Person
) -> None:
    await person.agree()
    question = "cái này làm sao"
    clarify = await person.say(question)
    assert "Ý bạn là" in clarify.text

    offer = await person.press("Không phải các ý trên")
    assert offer.message_id == clarify.message_id and "cán bộ" in offer.text
    opened = await person.press("Gửi câu hỏi cho cán bộ")

    assert "#1" in opened.text and question in opened.text
    [item] = await _review_items(bot)
    assert item.text == question  # consented: kept for staff review (until the retention job)


async def test_out_of_scope_answers_and_offers_the_officer(bot: Running, person: Person) -> None:
    answer = await person.say("giá vàng hôm nay bao nhiêu")

    assert "ngoài phạm vi" in answer.text
    assert "ANS|human_handoff" in button_data(answer, "ANS|")
    [item] = await _review_items(bot)
    assert item.reason == "out_of_scope" and item.predicted_intent == "out_of_scope"


async def test_a_question_next_door_is_told_where_to_ask(person: Person) -> None:
    answer = await person.say(
        "Nhà tôi đang tranh chấp đất với hàng xóm, sổ đỏ vẫn đứng tên bố tôi đã mất. "
        "Giờ tôi phải làm thế nào?"
    )

    assert "UBND xã hòa giải" in answer.text  # the land referral, not a housing answer
    assert "Luật Đất đai" in answer.text  # the law that gives the commune that task
    assert "ANS|housing_eligibility" in button_data(answer, "ANS|")


async def test_asking_for_an_officer_in_words_asks_for_the_question(
    standin: BotApiStandIn, staff_chat: int, person: Person
) -> None:
    await person.agree()
    prompt = await person.say("cho tôi gặp cán bộ")
    assert "gõ câu hỏi" in prompt.text

    opened = await person.say("Nhà tôi bị bão làm tốc mái thì được hỗ trợ gì?")

    assert "#1" in opened.text
    notification = await standin.wait_for_message(staff_chat, since=0)
    assert "Nhà tôi bị bão làm tốc mái" in (notification.text or "")
