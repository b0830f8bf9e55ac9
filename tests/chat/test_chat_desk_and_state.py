"""The flows' database glue: event filters, ownership, and form state that survives."""

from __future__ import annotations

from datetime import timedelta

from bot.chat import desk
from bot.chat.flow_state import STATE_TTL, FlowState, clear_state, load_state, save_state
from bot.db.engine import Database
from bot.db.enums import RegistrationStatus
from bot.db.models import Event
from bot.services.clock import utcnow
from tests.support.factories import Factory


def _event(title: str, venue: str = "", description: str = "") -> Event:
    return Event(title=title, venue=venue, description=description)


def test_trade_filter_uses_the_nlu_value_and_respects_diacritics() -> None:
    sewing = _event("Lớp may công nghiệp")
    farming = _event("Lớp kỹ thuật chăn nuôi lợn")
    motorbikes = _event("Lớp sửa chữa xe máy")
    assert desk.matches_trade(sewing, "may công nghiệp")
    assert desk.matches_trade(sewing, "nghề may")
    assert desk.matches_trade(sewing, "may cong nghiep")
    assert desk.matches_trade(farming, "chăn nuôi thú y")
    assert not desk.matches_trade(motorbikes, "nghề may")
    assert not desk.matches_trade(sewing, "nấu ăn")


def test_commune_filter_knows_the_former_units() -> None:
    quang_tan = _event("Phiên việc làm", venue="Nhà văn hoá thôn 3, xã Quảng Lâm")
    dam_ha = _event("Phiên việc làm", venue="Hội trường UBND xã Đầm Hà")
    assert desk.matches_commune(quang_tan, "quang_tan")
    assert not desk.matches_commune(quang_tan, "dam_ha")
    assert desk.matches_commune(dam_ha, "dam_ha")
    choices = [desk.EventChoice(quang_tan, 3), desk.EventChoice(dam_ha, None)]
    assert desk.filter_events(choices, trade=None, commune="quang_tan") == choices[:1]
    assert desk.filter_events(choices, trade=None, commune=None) == choices


async def test_open_events_count_free_seats(db: Database, factory: Factory) -> None:
    full = await factory.event(title="Đủ chỗ", capacity=1)
    await factory.event(title="Không giới hạn", capacity=None)
    await factory.event(title="Nháp", status="draft")
    await factory.register(await factory.citizen(), full)
    choices = await desk.open_events(db, kind=None)
    assert [(c.event.title, c.seats_left) for c in choices] == [
        ("Đủ chỗ", 0),
        ("Không giới hạn", None),
    ]
    assert await desk.open_events(db, kind="job_fair") == []


async def test_a_registration_is_only_found_for_its_own_citizen(
    db: Database, factory: Factory
) -> None:
    event = await factory.event()
    owner, other = await factory.citizens(2)
    result = await factory.register(owner, event)
    registration_id = result.registration.id
    assert owner.telegram_user_id is not None and other.telegram_user_id is not None

    assert await desk.owned_registration(db, other.telegram_user_id, registration_id) is None
    assert await desk.cancel_owned(db, other.telegram_user_id, registration_id) is None
    mine = await desk.owned_registration(db, owner.telegram_user_id, registration_id)
    assert mine is not None and mine.status == RegistrationStatus.CONFIRMED

    cancelled = await desk.cancel_owned(db, owner.telegram_user_id, registration_id)
    assert cancelled is not None and cancelled.was_active
    again = await desk.cancel_owned(db, owner.telegram_user_id, registration_id)
    assert again is not None and not again.was_active


async def test_state_is_saved_replaced_and_cleared(db: Database) -> None:
    await save_state(db, 5, FlowState("registration", "phone", {"full_name": "Lan"}))
    assert await load_state(db, 5) == FlowState("registration", "phone", {"full_name": "Lan"})
    await save_state(db, 5, FlowState("eligibility", "age", {"check": "allowance"}))
    assert (await load_state(db, 5)) == FlowState("eligibility", "age", {"check": "allowance"})
    assert await load_state(db, 6) is None
    assert await clear_state(db, 5) is True
    assert await clear_state(db, 5) is False


async def test_a_form_left_for_days_is_forgotten(db: Database) -> None:
    old = utcnow() - STATE_TTL - timedelta(minutes=1)
    await save_state(db, 5, FlowState("registration", "phone"), now=old)
    assert await load_state(db, 5) is None
    assert await clear_state(db, 5) is False  # and removed
