"""nlu.phone: Vietnamese mobile numbers in every way people write them."""

from __future__ import annotations

import pytest

from nlu.phone import find_phones, normalise_phone


@pytest.mark.parametrize(
    "raw",
    [
        "0912345678",
        "0912 345 678",
        "0912.345.678",
        "0912-345-678",
        "+84912345678",
        "+84 912 345 678",
        "84912345678",
        "(+84) 912-345-678",
        "+84 0912 345 678",
    ],
)
def test_mobile_formats_normalise_to_plus84(raw: str) -> None:
    assert normalise_phone(raw) == "+84912345678"


@pytest.mark.parametrize(
    "raw", ["024 3825 1234", "091234567", "09123456789", "0112345678", "+1 415 555 0100", ""]
)
def test_non_mobile_numbers_are_refused(raw: str) -> None:
    assert normalise_phone(raw) is None


def test_phone_found_inside_a_sentence_with_its_span() -> None:
    text = "Cháu tên Lan, sđt 0387 654 321 ạ"
    [(start, end, value)] = find_phones(text)
    assert text[start:end] == "0387 654 321"
    assert value == "+84387654321"


def test_id_card_numbers_are_not_phones() -> None:
    assert find_phones("CCCD của tôi là 022190012345") == []
