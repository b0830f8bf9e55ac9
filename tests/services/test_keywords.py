"""Keyword rules before the NLU: greetings of older users, stop words, questions in a form."""

from __future__ import annotations

import pytest

from bot.services.keywords import is_greeting, looks_like_question, wants_to_stop


@pytest.mark.parametrize(
    "text",
    ["alo", "Alô", "a lô", "A lô ạ", "alo alo", "ai đấy", "Ai đấy ạ?", "có ai không",
     "Có ai ở đó không", "co ai k", "xin chào", "ALO!!!"],
)  # fmt: skip
def test_greetings_older_users_type(text: str) -> None:
    assert is_greeting(text)


@pytest.mark.parametrize(
    "text", ["alo cho hỏi trợ cấp người già", "ai được hỗ trợ nhà ở", "có ai được trợ cấp không"]
)
def test_a_greeting_with_a_question_goes_to_the_nlu(text: str) -> None:
    assert not is_greeting(text)


@pytest.mark.parametrize(
    "text",
    ["thôi", "Thôi ạ", "dừng lại", "hủy", "hủy đi", "thôi không đăng ký nữa",
     "không đăng ký nữa", "Dung lai", "thoi khong dang ky nua"],
)  # fmt: skip
def test_stop_words(text: str) -> None:
    assert wants_to_stop(text)


@pytest.mark.parametrize("text", ["Nguyễn Thị Thôi", "Đầm Hà", "Lê Văn Dũng", "1958"])
def test_names_and_answers_are_not_stop_words(text: str) -> None:
    assert not wants_to_stop(text)


@pytest.mark.parametrize(
    "text",
    ["trợ cấp người khuyết tật bao nhiêu", "cho hỏi học nghề ở đâu", "mẹ tôi có được không?",
     "nhà tôi bị dột nát mà không có tiền sửa thì xin hỗ trợ thế nào"],
)  # fmt: skip
def test_questions_at_a_form_step(text: str) -> None:
    assert looks_like_question(text)


@pytest.mark.parametrize("text", ["Nguyễn Thị Lan", "Hoàng Văn Bảo", "thôn 5 Đại Bình", "Dực Yên"])
def test_answers_at_a_form_step_are_not_questions(text: str) -> None:
    assert not looks_like_question(text)
