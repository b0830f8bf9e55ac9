"""The NLU server is down: keywords still answer, and the menu still serves every feature."""

from __future__ import annotations

import pytest
from e2e_helpers import Person, button_data
from sqlalchemy import select

from bot.application import Running
from bot.db.models import NluReviewItem

pytestmark = pytest.mark.usefixtures("bot")


@pytest.fixture
def nlu_url() -> str:
    """Nothing listens on port 9 (discard): every parse fails at once, as when Rasa is down."""
    return "http://127.0.0.1:9"


async def test_keywords_answer_with_sources_when_the_nlu_is_down(person: Person) -> None:
    answer = await person.say("tro cap bao nhieu tien vay")

    assert "Nguồn:" in answer.text
    assert "ANS|allowance_procedure" in button_data(answer, "ANS|")


async def test_the_menu_reaches_answers_and_features_when_nothing_matches(
    bot: Running, person: Person
) -> None:
    menu = await person.say("abc xyz")

    assert "chưa hiểu" in menu.text
    assert menu.button_texts == [
        "Hỗ trợ nhà ở",
        "Trợ cấp xã hội",
        "Học nghề",
        "Việc làm & hội chợ",
        "Đăng ký của tôi",
        "Gặp cán bộ",
    ]
    housing = await person.press("Hỗ trợ nhà ở")
    assert housing.message_id == menu.message_id
    assert "GO|elig:housing" in button_data(housing, "GO|")
    answer = await person.press("Hỗ trợ nhà ở bao nhiêu?")
    assert "Nguồn:" in answer.text
    async with bot.db.transaction() as session:
        [item] = (await session.scalars(select(NluReviewItem))).all()
    assert item.reason == "nlu_down" and item.text == ""  # no consent: the words are not kept
