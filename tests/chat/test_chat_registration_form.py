"""The registration form's rules, without Telegram or a database."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

import pytest

from bot.chat.registration.form import (
    FIELD_STEPS,
    InputProblem,
    RegistrationForm,
    Step,
    parse_birth_year,
    parse_commune,
    parse_full_name,
    parse_phone,
    prefill,
    target_group_code,
    toggle_group,
)
from bot.db.models import Citizen
from bot.services.phones import InvalidPhone, PhoneProblem

COMPLETE = RegistrationForm(
    event_id=7,
    full_name="Nguyễn Thị Lan",
    phone="+84912345678",
    birth_year=1990,
    commune="dam_ha",
    target_groups=(),
)


def test_steps_go_event_then_fields_in_order_then_summary() -> None:
    form = RegistrationForm()
    assert form.next_step() is Step.EVENT
    form = form.with_value(Step.EVENT, 7)
    seen = []
    values = {
        Step.FULL_NAME: "Lan",
        Step.PHONE: "+84912345678",
        Step.BIRTH_YEAR: 1990,
        Step.COMMUNE: "dam_ha",
        Step.TARGET_GROUPS: (),
    }
    while (step := form.next_step()) is not Step.SUMMARY:
        seen.append(step)
        form = form.with_value(step, values[step])
    assert tuple(seen) == FIELD_STEPS
    assert form.missing() is None


def test_no_target_group_is_an_answer_not_a_gap() -> None:
    assert RegistrationForm(**{**COMPLETE.to_data(), "target_groups": None}).missing() is (
        Step.TARGET_GROUPS
    )
    assert COMPLETE.missing() is None


def test_stored_data_round_trips_and_garbage_is_dropped() -> None:
    assert RegistrationForm.from_data(COMPLETE.to_data()) == COMPLETE
    hostile = {
        "event_id": "7; DROP TABLE",
        "birth_year": True,
        "commune": "hanoi",
        "target_groups": ["elderly", "admin", 3],
        "full_name": ["x"],
    }
    form = RegistrationForm.from_data(hostile)
    assert form == RegistrationForm(target_groups=("elderly",))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("  Nguyễn   Thị Lan ", "Nguyễn Thị Lan"),
        (unicodedata.normalize("NFD", "Hoàng Thị Dịu"), "Hoàng Thị Dịu"),
        ("<b>Lan & Co", "<b>Lan & Co"),  # kept as typed; escaped when shown
    ],
)
def test_names_are_cleaned_not_censored(typed: str, expected: str) -> None:
    assert parse_full_name(typed) == expected


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("0912345678", "has_digits"),
        ("!!", "no_letters"),
        ("L", "too_short"),
        ("A" * 101, "too_long"),
    ],
)
def test_bad_names_say_why(typed: str, problem: str) -> None:
    with pytest.raises(InputProblem) as refused:
        parse_full_name(typed)
    assert refused.value.code == problem


@pytest.mark.parametrize(
    "typed", ["0912 345 678", "0912.345.678", "+84 912 345 678", "số tôi là 0912-345-678"]
)
def test_phones_in_any_usual_form(typed: str) -> None:
    assert parse_phone(typed) == "+84912345678"


def test_landline_is_refused_with_its_reason() -> None:
    with pytest.raises(InvalidPhone) as refused:
        parse_phone("0203 3880 123")
    assert refused.value.problem is PhoneProblem.LANDLINE


@pytest.mark.parametrize(("typed", "year"), [("1985", 1985), ("tôi sinh năm 1960 ạ", 1960)])
def test_birth_years(typed: str, year: int) -> None:
    assert parse_birth_year(typed, 2026) == year


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("1929", "out_of_range"),
        ("2012", "out_of_range"),
        ("85", "not_a_year"),
        ("1985 hoặc 1986", "not_a_year"),
    ],
)
def test_bad_birth_years(typed: str, problem: str) -> None:
    with pytest.raises(InputProblem) as refused:
        parse_birth_year(typed, 2026)
    assert refused.value.code == problem


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Đầm Hà", "dam_ha"),
        ("thị trấn Đầm Hà", "dam_ha"),
        ("xa tan binh", "dam_ha"),
        (unicodedata.normalize("NFD", "Xã Dực Yên"), "quang_tan"),
        ("Quảng Lâm", "quang_tan"),
        ("Hà Nội", None),
        ("Quảng Lợi", None),  # merged into an unverified unit: no guess
    ],
)
def test_communes_old_and_new(typed: str, code: str | None) -> None:
    assert parse_commune(typed) == code


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("người cao tuổi", "elderly"),
        ("nguoi gia", "elderly"),
        ("hộ cận nghèo", "near_poor_household"),
        ("bộ đội xuất ngũ", "demobilised_soldier"),
        ("disabled", "disabled"),
        ("sinh viên mới tốt nghiệp", None),  # not a group events are reserved for
    ],
)
def test_target_group_entities_map_to_desk_codes(value: str, code: str | None) -> None:
    assert target_group_code(value) == code


def test_toggling_groups() -> None:
    form = toggle_group(RegistrationForm(), "elderly")
    form = toggle_group(form, "woman")
    assert form.target_groups == ("elderly", "woman")
    assert toggle_group(form, "elderly").target_groups == ("woman",)
    with pytest.raises(ValueError, match="unknown target group"):
        toggle_group(form, "admin")


def _citizen(**values: object) -> Citizen:
    defaults: dict[str, object] = {
        "full_name": "Lan 🌸",
        "phone": None,
        "birth_year": None,
        "commune": None,
        "target_groups": [],
        "consent_at": datetime(2026, 1, 1, tzinfo=UTC),
    }
    return Citizen(**(defaults | values))


def test_a_telegram_display_name_is_not_taken_for_a_full_name() -> None:
    form = prefill(RegistrationForm(), _citizen(), {})
    assert form.full_name is None and form.target_groups is None


def test_a_completed_profile_fills_everything() -> None:
    person = _citizen(
        full_name="Nguyễn Thị Lan", phone="+84912345678", birth_year=1990, commune="dam_ha"
    )
    form = prefill(RegistrationForm(event_id=7), person, {})
    assert form.missing() is None


def test_the_first_message_wins_over_the_profile() -> None:
    person = _citizen(phone="+84912345678", commune="dam_ha", target_groups=["woman"])
    entities = {
        "phone": "0987 654 321",
        "commune": "Dực Yên",
        "target_group": "người khuyết tật",
        "trade": "may công nghiệp",
    }
    form = prefill(RegistrationForm(), person, entities)
    assert form.phone == "+84987654321"
    assert form.commune == form.commune_filter == "quang_tan"
    assert form.target_groups == ("woman", "disabled")
    assert form.trade == "may công nghiệp"


def test_unusable_entities_are_ignored() -> None:
    form = prefill(RegistrationForm(), None, {"phone": "024 3825 1234", "commune": "Hà Nội"})
    assert form == RegistrationForm()
