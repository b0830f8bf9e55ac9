"""Form answers people mean clearly: two-digit birth years, communes old, new and unmapped."""

from __future__ import annotations

import pytest

from bot.services.form_input import CommuneAnswer, commune_answer, two_digit_birth_year

LOW, HIGH = 1930, 2011


@pytest.mark.parametrize(
    ("typed", "year"),
    [("năm 58", 1958), ("58", 1958), ("sinh năm 58 ạ", 1958), ("'47", 1947), ("nam 30", 1930),
     ("05", 2005), ("năm 99", 1999)],
)  # fmt: skip
def test_two_digit_years_get_their_century(typed: str, year: int) -> None:
    assert two_digit_birth_year(typed, low=LOW, high=HIGH) == year


@pytest.mark.parametrize(
    "typed", ["năm 20", "1958", "58 hay 59", "12/58", "0912345678", "năm ngoái", "5"]
)
def test_anything_else_is_not_guessed(typed: str) -> None:
    assert two_digit_birth_year(typed, low=LOW, high=HIGH) is None


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("Quảng Lâm", CommuneAnswer(code="quang_tan")),
        ("xa dai binh", CommuneAnswer(code="dam_ha")),
        ("thôn 5 Đại Bình", CommuneAnswer(code="dam_ha")),
        # merged into Quảng Tân on 1/1/2020 (docs/contracts/domain-facts.md §0.6)
        ("Quảng Lợi", CommuneAnswer(code="quang_tan")),
        ("tôi ở xã Quảng Lợi cũ", CommuneAnswer(code="quang_tan")),
        ("Hạ Long", CommuneAnswer()),
        ("Đầm Hà hoặc Quảng Tân", CommuneAnswer()),
    ],
)
def test_commune_answers(typed: str, answer: CommuneAnswer) -> None:
    assert commune_answer(typed) == answer
