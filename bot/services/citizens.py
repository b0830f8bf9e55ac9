"""Citizens: profile with consent, lookup by Telegram id, staff edits, reachability.

A profile is only stored together with the consent text version the person agreed to and the
time they agreed (`save_citizen`), so the desk can always show what someone consented to.
Phones are stored normalised (+84…), communes as codes (see services.communes), target groups
as codes from `TARGET_GROUPS`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Citizen, OutboxMessage
from bot.outbox.queue import cancel_pending
from bot.services import audit
from bot.services.actors import Actor
from bot.services.clock import utcnow
from bot.services.communes import resolve_commune
from bot.services.errors import CitizenDataRefused, Reason
from bot.services.phones import normalize_phone

#: Groups that events can be reserved for (codes; bot.texts names them).
TARGET_GROUPS = frozenset(
    {
        "elderly",
        "disabled",
        "poor_household",
        "near_poor_household",
        "ethnic_minority",
        "single_parent",
        "unemployed",
        "youth",
        "demobilised_soldier",
        "land_acquired",
        "rural_worker",
        "woman",
    }
)
_PROFILE_FIELDS = ("full_name", "phone", "birth_year", "commune", "target_groups")


@dataclass(frozen=True)
class CitizenProfile:
    """What a citizen tells the bot (or staff type in); validated by `clean_profile`."""

    full_name: str
    phone: str | None = None
    birth_year: int | None = None
    commune: str | None = None
    target_groups: tuple[str, ...] = ()


def clean_profile(profile: CitizenProfile, *, now: datetime) -> CitizenProfile:
    """The profile normalised (NFC name, +84 phone, commune code), or a refusal.

    Raises `CitizenDataRefused` or `phones.InvalidPhone`.
    """
    name = " ".join(unicodedata.normalize("NFC", profile.full_name).split())
    if not name or len(name) > 200:
        raise CitizenDataRefused(Reason.INVALID_NAME, length=len(name))
    commune = None
    if profile.commune is not None:
        commune = resolve_commune(profile.commune)
        if commune is None:
            raise CitizenDataRefused(Reason.UNKNOWN_COMMUNE)
    if profile.birth_year is not None and not 1900 <= profile.birth_year <= now.year:
        raise CitizenDataRefused(Reason.INVALID_BIRTH_YEAR, birth_year=profile.birth_year)
    unknown = sorted(set(profile.target_groups) - TARGET_GROUPS)
    if unknown:
        raise CitizenDataRefused(Reason.UNKNOWN_TARGET_GROUP, groups=unknown)
    return CitizenProfile(
        full_name=name,
        phone=None if profile.phone is None else normalize_phone(profile.phone),
        birth_year=profile.birth_year,
        commune=commune,
        target_groups=tuple(sorted(set(profile.target_groups))),
    )


def _apply(citizen: Citizen, profile: CitizenProfile) -> None:
    citizen.full_name = profile.full_name
    citizen.phone = profile.phone
    citizen.birth_year = profile.birth_year
    citizen.commune = profile.commune
    citizen.target_groups = list(profile.target_groups)


async def get_citizen_by_telegram_id(
    *, session: AsyncSession, telegram_user_id: int
) -> Citizen | None:
    statement = select(Citizen).where(Citizen.telegram_user_id == telegram_user_id)
    citizen: Citizen | None = await session.scalar(statement)
    return citizen


async def save_citizen(
    *,
    session: AsyncSession,
    telegram_user_id: int,
    profile: CitizenProfile,
    consent_text_version: str,
    now: datetime | None = None,
) -> Citizen:
    """Create or update the citizen behind a Telegram account, recording their consent."""
    now = now or utcnow()
    cleaned = clean_profile(profile, now=now)
    citizen = await get_citizen_by_telegram_id(session=session, telegram_user_id=telegram_user_id)
    if citizen is None:
        citizen = Citizen(telegram_user_id=telegram_user_id, created_at=now)
        session.add(citizen)
    _apply(citizen, cleaned)
    citizen.consent_at = now
    citizen.consent_text_version = consent_text_version
    citizen.unreachable_at = None  # they are talking to us, so messages reach them again
    citizen.unreachable_reason = None
    citizen.updated_at = now
    await session.flush()
    return citizen


async def update_citizen(
    *,
    session: AsyncSession,
    citizen: Citizen,
    profile: CitizenProfile,
    actor: Actor,
    now: datetime | None = None,
) -> Citizen:
    """A staff correction of a citizen's profile (audited: fields before and after)."""
    now = now or utcnow()
    cleaned = clean_profile(profile, now=now)
    before = audit.snapshot(citizen, _PROFILE_FIELDS)
    _apply(citizen, cleaned)
    old, new = audit.diff(before, audit.snapshot(citizen, _PROFILE_FIELDS))
    if new:
        citizen.updated_at = now
        await session.flush()
        audit.record(
            session,
            actor=actor,
            action="citizen.update",
            entity_type="citizen",
            entity_id=citizen.id,
            before=old,
            after=new,
            at=now,
        )
    return citizen


async def set_broadcast_opt_in(
    *, session: AsyncSession, citizen: Citizen, opt_in: bool, now: datetime | None = None
) -> None:
    """Whether the citizen wants general announcements (not only about their events)."""
    citizen.broadcast_opt_in = opt_in
    citizen.updated_at = now or utcnow()
    await session.flush()


async def mark_unreachable(
    *, session: AsyncSession, citizen_id: int, reason: str, now: datetime | None = None
) -> int:
    """The bot cannot message this person (they blocked it): stop all pending messages.

    Returns how many pending rows were cancelled. Talking to the bot again (`save_citizen`)
    clears the flag.
    """
    now = now or utcnow()
    citizen = await session.get(Citizen, citizen_id)
    if citizen is not None and citizen.unreachable_at is None:
        citizen.unreachable_at = now
        citizen.unreachable_reason = reason[:200]
    return await cancel_pending(
        session, OutboxMessage.citizen_id == citizen_id, reason="recipient_unreachable"
    )
