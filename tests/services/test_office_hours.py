"""Working hours per commune and when a citizen asking now can expect an answer."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db.engine import Database
from bot.db.models import AnswerOutcome
from bot.services import handoff
from bot.services.clock import local
from bot.services.communes import DAM_HA, QUANG_TAN
from bot.services.office_hours import (
    InvalidHours,
    expected_answer_time,
    next_opening,
    parse_hours,
    set_hours,
)
from bot.texts import handoff as handoff_texts
from tests.support.factories import Factory

WEEKDAYS = parse_hours("0-4 07:30-11:30 13:30-17:00")


def test_inside_working_hours_nobody_is_kept_waiting() -> None:
    assert next_opening(WEEKDAYS, local(2026, 12, 3, 9, 0)) is None  # Thursday morning
    assert next_opening(WEEKDAYS, local(2026, 12, 3, 16, 59)) is None


def test_outside_working_hours_the_next_opening_is_given() -> None:
    # Thursday lunch -> 13:30 the same day; Thursday evening -> Friday 07:30
    assert next_opening(WEEKDAYS, local(2026, 12, 3, 12, 0)) == local(2026, 12, 3, 13, 30)
    assert next_opening(WEEKDAYS, local(2026, 12, 3, 17, 0)) == local(2026, 12, 4, 7, 30)
    # Saturday 22:00 -> Monday 07:30
    assert next_opening(WEEKDAYS, local(2026, 12, 5, 22, 0)) == local(2026, 12, 7, 7, 30)


def test_hours_text_is_checked() -> None:
    assert parse_hours("5 08:00-11:00; 0-4 07:30-17:00")[5] == ((480, 660),)
    for bad in ("mon-fri 7:30-17:00", "0-7 07:30-17:00", "0 17:00-07:30", "0 07:75-08:00"):
        with pytest.raises(InvalidHours):
            parse_hours(bad)


async def test_a_commune_can_have_its_own_hours(db: Database) -> None:
    saturday_morning = local(2026, 12, 5, 9, 0)
    async with db.transaction() as session:
        await set_hours(session, commune=QUANG_TAN, hours=parse_hours("0-5 07:00-11:00"))
    async with db.transaction() as session:
        assert await expected_answer_time(session, QUANG_TAN, saturday_morning) is None
        assert await expected_answer_time(session, DAM_HA, saturday_morning) == local(
            2026, 12, 7, 7, 30
        )


async def test_a_question_at_22h_on_saturday_is_told_monday(db: Database, factory: Factory) -> None:
    citizen = await factory.citizen(commune=QUANG_TAN)
    asked = local(2026, 12, 5, 22, 0)
    async with db.transaction() as session:
        ticket, is_new = await handoff.ask_officer(
            session, chat_id=citizen.telegram_user_id, text="Cho hỏi hồ sơ", now=asked,
            citizen=citizen, topic="allowance_procedure",
        )  # fmt: skip
        expected = ticket.expected_answer_at
        outcomes = (await session.scalars(select(AnswerOutcome.outcome))).all()
    assert is_new and expected == local(2026, 12, 7, 7, 30)
    assert outcomes == ["handoff"]
    text = handoff_texts.ticket_opened(ticket.id, "Cho hỏi hồ sơ", expected)
    assert "ngoài giờ làm việc" in text and "7:30 sáng thứ Hai, 07/12" in text
    assert "chưa được xác nhận" in text  # the hours are an assumption, never a promise
    async with db.transaction() as session:
        during, _ = await handoff.ask_officer(
            session, chat_id=citizen.telegram_user_id, text="Thêm", now=local(2026, 12, 7, 8, 0),
            citizen=citizen,
        )  # fmt: skip
        assert during.expected_answer_at is None


def test_a_typo_in_the_office_hours_setting_stops_the_start() -> None:
    from pydantic import ValidationError

    from bot.settings import Settings

    assert Settings(office_hours="0-5 07:00-11:00").office_hours == "0-5 07:00-11:00"
    with pytest.raises(ValidationError, match="OFFICE_HOURS"):
        Settings(office_hours="thứ 2-6 7h30-17h")
