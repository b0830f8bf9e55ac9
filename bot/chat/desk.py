"""The chat's calls into the registration desk, each one unit of work (one transaction).

Thin glue over bot.services: the services take a session and never commit; the chat needs
"do this for the person behind this Telegram account" in one transaction. Ownership is
decided here, in SQL: a registration is only ever loaded together with the condition that
its citizen is the presser, so a forged id of someone else's registration finds nothing.
No Telegram here, so the rules are testable against a database alone.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from bot.db.engine import Database
from bot.db.enums import ACTIVE, EventKind
from bot.db.models import Citizen, Event, Registration
from bot.knowledge.vocab import fold_key
from bot.services import seats
from bot.services.citizens import get_citizen_by_telegram_id
from bot.services.clock import utcnow
from bot.services.communes import COMMUNES, FORMER_UNITS
from bot.services.errors import Reason, RegistrationRefused
from bot.services.events import list_open_events
from bot.services.registrations import (
    cancel_registration,
    check_open_for_registration,
    list_citizen_registrations,
)


@dataclass(frozen=True)
class EventChoice:
    event: Event
    seats_left: int | None  # None: no limit


async def citizen(db: Database, telegram_user_id: int) -> Citizen | None:
    async with db.transaction() as session:
        return await get_citizen_by_telegram_id(session=session, telegram_user_id=telegram_user_id)


def has_consent(citizen: Citizen | None) -> bool:
    """Agreed to have data stored, and not erased since: the one consent check."""
    return citizen is not None and citizen.consent_at is not None and citizen.erased_at is None


async def open_events(
    db: Database, *, kind: str | None, now: datetime | None = None
) -> list[EventChoice]:
    """Events taking registrations now, soonest first, with the seats still free."""
    wanted = EventKind(kind) if kind in {k.value for k in EventKind} else None
    async with db.transaction() as session:
        events = await list_open_events(session=session, now=now, kind=wanted)
        choices = []
        for event in events:
            left = None
            if event.capacity is not None:
                left = max(event.capacity - await seats.seats_taken(session, event.id), 0)
            choices.append(EventChoice(event, left))
        return choices


def _has_phrase(haystack: str, phrase: str) -> bool:
    return f" {phrase} " in f" {haystack} "


# Words around a trade that say nothing about which trade ("nghề may", "lớp hàn", "thợ mộc").
_GENERIC_TRADE_WORDS = frozenset({"nghề", "lớp", "thợ", "học", "dạy", "nghe", "lop", "tho", "hoc"})


def _words(text: str, *, keep_marks: bool) -> list[str]:
    """Lower-case words; without diacritics unless `keep_marks` ("may" must not find "máy")."""
    if keep_marks:
        return unicodedata.normalize("NFC", text).lower().split()
    return fold_key(text).split()


def matches_trade(event: Event, trade: str) -> bool:
    """The trade, or two consecutive words of it, occurs in the title or description.

    "chăn nuôi thú y" (the NLU's canonical value) then finds "Lớp kỹ thuật chăn nuôi", and
    "nghề may" finds "Lớp may công nghiệp". A trade written with diacritics is matched with
    them, so "may" does not find "sửa chữa xe máy"; one typed without is matched folded.
    """
    keep_marks = not trade.isascii()
    text = " ".join(_words(f"{event.title} {event.description}", keep_marks=keep_marks))
    words = [w for w in _words(trade, keep_marks=keep_marks) if w not in _GENERIC_TRADE_WORDS]
    if not words:
        return False
    if len(words) <= 2:
        return _has_phrase(text, " ".join(words))
    return any(_has_phrase(text, f"{a} {b}") for a, b in itertools.pairwise(words))


def _commune_names(code: str) -> set[str]:
    """Folded place names of a commune and its former units, without "xã"/"thị trấn"."""
    names = [COMMUNES[code]] if code in COMMUNES else []
    names += [unit.name for unit in FORMER_UNITS if unit.commune == code]
    return {fold_key(name).removeprefix("thi tran ").removeprefix("xa ") for name in names}


def matches_commune(event: Event, code: str) -> bool:
    """The venue names the commune or one of the former units that formed it."""
    venue = fold_key(event.venue)
    return any(_has_phrase(venue, name) for name in _commune_names(code))


def filter_events(
    choices: Sequence[EventChoice], *, trade: str | None, commune: str | None
) -> list[EventChoice]:
    """The choices that fit the first message's trade and commune (all when none given)."""
    kept = list(choices)
    if trade:
        kept = [c for c in kept if matches_trade(c.event, trade)]
    if commune:
        kept = [c for c in kept if matches_commune(c.event, commune)]
    return kept


async def event(db: Database, event_id: int) -> Event | None:
    async with db.transaction() as session:
        return await session.get(Event, event_id)


def registration_refusal(event: Event, now: datetime | None = None) -> Reason | None:
    """Why `event` takes no registrations now, or None when it does."""
    try:
        check_open_for_registration(event, now or utcnow())
    except RegistrationRefused as refused:
        return refused.reason
    return None


async def active_registration(
    db: Database, telegram_user_id: int, event_id: int
) -> Registration | None:
    """The presser's active registration for the event (event loaded), or None."""
    async with db.transaction() as session:
        registration: Registration | None = await session.scalar(
            _owned(telegram_user_id).where(
                Registration.event_id == event_id, Registration.status.in_(ACTIVE)
            )
        )
        return registration


def _owned(telegram_user_id: int) -> Select[tuple[Registration]]:
    return (
        select(Registration)
        .join(Citizen, Citizen.id == Registration.citizen_id)
        .where(Citizen.telegram_user_id == telegram_user_id)
        .options(selectinload(Registration.event))
    )


async def my_registrations(
    db: Database, telegram_user_id: int, *, now: datetime | None = None
) -> list[Registration]:
    """Active registrations for events not yet over, soonest first (events loaded)."""
    async with db.transaction() as session:
        person = await get_citizen_by_telegram_id(
            session=session, telegram_user_id=telegram_user_id
        )
        if person is None:
            return []
        return await list_citizen_registrations(session=session, citizen=person, now=now)


async def owned_registration(
    db: Database, telegram_user_id: int, registration_id: int
) -> Registration | None:
    """The registration if it belongs to the presser (event loaded), else None."""
    async with db.transaction() as session:
        registration: Registration | None = await session.scalar(
            _owned(telegram_user_id).where(Registration.id == registration_id)
        )
        return registration


@dataclass(frozen=True)
class Cancelled:
    registration: Registration
    event: Event
    was_active: bool
    promoted: int


async def cancel_owned(
    db: Database, telegram_user_id: int, registration_id: int, *, now: datetime | None = None
) -> Cancelled | None:
    """Cancel the presser's registration (promotes the waitlist); None if it is not theirs.

    Raises `RegistrationRefused` when it can no longer be cancelled (the event started).
    """
    async with db.transaction() as session:
        registration: Registration | None = await session.scalar(
            _owned(telegram_user_id).where(Registration.id == registration_id)
        )
        if registration is None:
            return None
        was_active = registration.status in ACTIVE
        promoted = await cancel_registration(session=session, registration=registration, now=now)
        target = await session.get_one(Event, registration.event_id)
        return Cancelled(registration, target, was_active, len(promoted))
