"""The citizen page: one person's profile, registrations, questions, notes, consent and
erasure state, and the records that look like the same person.

Duplicates are found two ways: the same phone number on two Telegram accounts, and names that
are equal once invisible characters and diacritics are removed (`citizens.name_key`). A pair
staff marked "not the same person" is not flagged again; a merged record is not shown. An
officer sees only duplicates inside their commune (naming a person of another commune would
leak it).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.db.models import (
    Citizen,
    CitizenNote,
    DuplicateDecision,
    Event,
    HandoffTicket,
    Registration,
)


@dataclass(frozen=True)
class Duplicate:
    citizen: Citizen
    same_phone: bool
    same_name: bool


@dataclass(frozen=True)
class CitizenFile:
    citizen: Citizen
    registrations: list[Registration]  # events loaded
    tickets: list[HandoffTicket]
    notes: list[CitizenNote]
    duplicates: list[Duplicate]
    merged_into: Citizen | None


async def citizen_in_scope(
    session: AsyncSession, *, citizen_id: int, scope: str | None
) -> Citizen | None:
    """The citizen if they exist and live in `scope` (None: not found, or not yours)."""
    citizen = await session.get(Citizen, citizen_id)
    if citizen is None or (scope is not None and citizen.commune != scope):
        return None
    return citizen


async def _decided_pairs(session: AsyncSession, citizen_id: int) -> set[int]:
    rows = await session.execute(
        select(DuplicateDecision.citizen_id, DuplicateDecision.other_id).where(
            or_(
                DuplicateDecision.citizen_id == citizen_id,
                DuplicateDecision.other_id == citizen_id,
            )
        )
    )
    return {b if a == citizen_id else a for a, b in rows.tuples()}


async def duplicates_of(
    session: AsyncSession, citizen: Citizen, *, scope: str | None
) -> list[Duplicate]:
    """Other live records with the same phone or the same name key, not yet decided."""
    conditions = []
    if citizen.phone:
        conditions.append(Citizen.phone == citizen.phone)
    if citizen.name_key:
        conditions.append(Citizen.name_key == citizen.name_key)
    if not conditions or citizen.erased_at is not None:
        return []
    statement = select(Citizen).where(
        Citizen.id != citizen.id,
        Citizen.erased_at.is_(None),
        Citizen.merged_into_id.is_(None),
        or_(*conditions),
    )
    if scope is not None:
        statement = statement.where(Citizen.commune == scope)
    decided = await _decided_pairs(session, citizen.id)
    found = []
    for other in (await session.scalars(statement.order_by(Citizen.id))).all():
        if other.id in decided:
            continue
        found.append(
            Duplicate(
                other,
                same_phone=bool(citizen.phone) and other.phone == citizen.phone,
                same_name=bool(citizen.name_key) and other.name_key == citizen.name_key,
            )
        )
    return found


async def citizen_file(
    session: AsyncSession, *, citizen: Citizen, scope: str | None
) -> CitizenFile:
    registrations = await session.scalars(
        select(Registration)
        .join(Event, Event.id == Registration.event_id)
        .where(Registration.citizen_id == citizen.id)
        .options(selectinload(Registration.event))
        .order_by(Event.starts_at.desc(), Registration.id.desc())
    )
    tickets = await session.scalars(
        select(HandoffTicket)
        .where(HandoffTicket.citizen_id == citizen.id)
        .order_by(HandoffTicket.id.desc())
    )
    notes = await session.scalars(
        select(CitizenNote)
        .where(CitizenNote.citizen_id == citizen.id)
        .order_by(CitizenNote.id.desc())
    )
    merged_into = (
        await session.get(Citizen, citizen.merged_into_id) if citizen.merged_into_id else None
    )
    return CitizenFile(
        citizen=citizen,
        registrations=list(registrations.all()),
        tickets=list(tickets.all()),
        notes=list(notes.all()),
        duplicates=await duplicates_of(session, citizen, scope=scope),
        merged_into=merged_into,
    )
