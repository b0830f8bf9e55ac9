"""The step table holds together: every field asked is labelled, stored and saved somewhere."""

from __future__ import annotations

import pytest

from bot.chat.registration.form import RegistrationForm
from bot.chat.registration.steps import STEPS, FieldStep, Step
from bot.db.models import Citizen
from bot.texts import registration as texts


@pytest.mark.parametrize("field", STEPS, ids=lambda f: f.field)
def test_every_field_has_a_question_a_label_and_a_citizen_column(field: FieldStep) -> None:
    assert field.prompt().strip()
    assert texts.FIELD_LABELS[field.field]
    assert field.field in Citizen.__table__.columns
    assert field.stored(None) is None  # nothing stored: the question is asked
    assert field.stored(["<script>"]) in (None, ())  # garbage from the database is dropped


def test_the_steps_are_every_field_between_the_event_and_the_summary() -> None:
    assert [field.step for field in STEPS] == [
        step for step in Step if step not in (Step.EVENT, Step.SUMMARY)
    ]


def test_a_form_keeps_exactly_the_fields_of_the_table() -> None:
    with pytest.raises(TypeError, match="no such form field"):
        RegistrationForm(favourite_colour="xanh")
    data = RegistrationForm(event_id=3).to_data()
    assert set(data) == {"event_id", "kind", "trade", "commune_filter"} | {f.field for f in STEPS}
