"""A citizen's story ("mẹ tôi 80 tuổi không có lương hưu") gets the answer for that person."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.knowledge import KnowledgeBase
from bot.knowledge.eligibility import Outcome
from bot.knowledge.story import Story, answer_story, parse_age, parse_pension

AFTER = dt.date(2026, 12, 3)


def test_mother_80_without_pension_gets_the_social_pension(kb: KnowledgeBase) -> None:
    story = Story.from_entities(
        {"relation": "mẹ tôi", "age": "80 tuổi", "pension": "không có lương hưu"}
    )
    result = answer_story(kb, story, on=AFTER)
    assert result.verdict is not None
    assert result.verdict.outcome is Outcome.LIKELY_ELIGIBLE
    assert result.verdict.amount == 540_000
    html = result.render_html() or ""
    first = html.splitlines()[0]
    assert first == (
        "<b>Người này có thể được khoảng 540.000 đ/tháng (trợ cấp hưu trí xã hội).</b>"
    )
    assert "Nghị định 335/2026/NĐ-CP" in html


def test_the_same_story_before_july_2026(kb: KnowledgeBase) -> None:
    story = Story(age=80, relation="mẹ", pension="no")
    result = answer_story(kb, story, on=dt.date(2026, 5, 1))
    assert result.verdict is not None and result.verdict.amount == 500_000


def test_a_story_about_oneself_says_ban(kb: KnowledgeBase) -> None:
    result = answer_story(kb, Story(age=45, disability_level="severe", pension="no"), on=AFTER)
    assert result.verdict is not None
    assert result.render_html().startswith(  # type: ignore[union-attr]
        "<b>Bạn có thể được khoảng 1.050.000 đ/tháng"
    )


def test_a_pension_lower_than_the_social_pension_still_qualifies(kb: KnowledgeBase) -> None:
    story = Story.from_entities({"relation": "bố tôi", "age": "77t", "pension": "lương hưu thấp"})
    result = answer_story(kb, story, on=AFTER)
    assert result.verdict is not None and result.verdict.outcome is Outcome.LIKELY_ELIGIBLE


def test_a_missing_fact_that_matters_becomes_a_question(kb: KnowledgeBase) -> None:
    # 80 years old, pension not said: it decides the outcome, so the check asks.
    result = answer_story(kb, Story(age=80, relation="bà nội em"), on=AFTER)
    assert result.verdict is None
    assert result.next_question is not None and result.next_question.id == "pension"


@pytest.mark.parametrize(
    ("text", "age"), [("82 tuổi", 82), ("75t", 75), ("năm nay đã 80", 80), ("già rồi", None)]
)
def test_ages_in_chat_spelling(text: str, age: int | None) -> None:
    assert parse_age(text) == age


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("không có lương hưu", "no"),
        ("ko co luong huu", "no"),
        ("có lương hưu", "yes"),
        ("lương hưu thấp", "lower"),
    ],
)
def test_pension_in_chat_spelling(text: str, value: str) -> None:
    assert parse_pension(text) == value
