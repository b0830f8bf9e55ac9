"""Phone numbers: every way people type a Vietnamese mobile becomes one +84 form."""

from __future__ import annotations

import pytest

from bot.services.phones import InvalidPhone, PhoneProblem, format_phone_local, normalize_phone


@pytest.mark.parametrize(
    "typed",
    [
        "0912 345 678",
        "0912.345.678",
        "0912-345-678",
        "0912345678",
        "+84 912345678",
        "+84912345678",
        "84912345678",
        "(+84)912-345-678",
        "(+84) 912 345 678",
        "+84 (0) 912 345 678",
        "+840912345678",
        "0084 912 345 678",
        "912345678",
        "  0912 345 678  ",
        "０９１２３４５６７８",  # full-width digits from some phone keyboards
        "0912\u00a0345\u00a0678",
    ],
)
def test_vietnamese_mobile_formats_normalise_to_e164(typed: str) -> None:
    assert normalize_phone(typed) == "+84912345678"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("0388 123 456", "+84388123456"),  # Viettel 03x
        ("0868123456", "+84868123456"),
        ("0701 234 567", "+84701234567"),  # MobiFone 07x
        ("0522 123 456", "+84522123456"),  # Vietnamobile
        ("0599 123 456", "+84599123456"),  # Gmobile
        ("0849 123 456", "+84849123456"),  # Vinaphone 084 (9 digits after the 0)
        ("0999 123 456", "+84999123456"),
    ],
)
def test_every_current_mobile_range_is_accepted(typed: str, expected: str) -> None:
    assert normalize_phone(typed) == expected


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", PhoneProblem.EMPTY),
        ("   ", PhoneProblem.EMPTY),
        ("---", PhoneProblem.EMPTY),
        ("0912 345 67a", PhoneProblem.INVALID_CHARACTERS),
        ("0912+345678", PhoneProblem.INVALID_CHARACTERS),
        ("++84912345678", PhoneProblem.INVALID_CHARACTERS),
        ("+1 415 555 0100", PhoneProblem.FOREIGN),
        ("+86 138 0013 8000", PhoneProblem.FOREIGN),
        ("0086 138 0013 8000", PhoneProblem.FOREIGN),
        ("0203 3845 678", PhoneProblem.LANDLINE),  # Quảng Ninh landline
        ("+84 203 3845 678", PhoneProblem.LANDLINE),
        ("024 3826 1234", PhoneProblem.LANDLINE),
        ("1900 1234", PhoneProblem.SERVICE_NUMBER),
        ("1800 599 920", PhoneProblem.SERVICE_NUMBER),
        ("0168 123 4567", PhoneProblem.OBSOLETE_PREFIX),  # pre-2018 11-digit Viettel
        ("0912 345", PhoneProblem.TOO_SHORT),
        ("091234567", PhoneProblem.TOO_SHORT),
        ("09123456789", PhoneProblem.TOO_LONG),
        ("0952 345 678", PhoneProblem.UNKNOWN_PREFIX),  # S-Fone, closed
        ("0612 345 678", PhoneProblem.UNKNOWN_PREFIX),
    ],
)
def test_unusable_numbers_are_refused_with_a_reason(typed: str, problem: PhoneProblem) -> None:
    with pytest.raises(InvalidPhone) as caught:
        normalize_phone(typed)
    assert caught.value.problem == problem


def test_refusal_message_does_not_contain_the_number() -> None:
    with pytest.raises(InvalidPhone) as caught:
        normalize_phone("0203 3845 678")
    assert "3845" not in str(caught.value)


def test_normalising_twice_changes_nothing() -> None:
    once = normalize_phone("0912.345.678")
    assert normalize_phone(once) == once


def test_local_display_groups_digits_the_vietnamese_way() -> None:
    assert format_phone_local("+84912345678") == "0912 345 678"
    with pytest.raises(ValueError):
        format_phone_local("0912345678")
