"""Lookups the dashboard needs around the existing use cases, each inside a commune scope.

The use cases (handoff, broadcast, events) act on ids they are given; deciding whether a
staff member may see that id at all is a reading question, answered here so that the scope
rule lives next to the registrations table's, not in the web layer.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import EventStatus, HandoffStatus, RegistrationStatus, ReviewStatus
from bot.db.models import AuditEntry, Citizen, Event, HandoffTicket, NluReviewItem, Registration


@dataclass(frozen=True)
class CitizenLabel:
    full_name: str | None
    phone: str | None
    commune: str | None


async def ticket_in_scope(
    session: AsyncSession, *, ticket_id: int, scope: str | None
) -> HandoffTicket | None:
    """The ticket if it exists and is in the scope: its commune, or not known yet (None: not
    yours). Unassigned tickets are everyone's, as in services.handoff.in_commune_scope."""
    ticket = await session.get(HandoffTicket, ticket_id)
    if ticket is None or (scope is not None and ticket.commune not in (scope, None)):
        return None
    return ticket


async def citizen_labels(
    session: AsyncSession, ids: Iterable[int | None]
) -> dict[int, CitizenLabel]:
    """Name, phone and commune of the given citizens, for headings in lists."""
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    rows = await session.execute(
        select(Citizen.id, Citizen.full_name, Citizen.phone, Citizen.commune).where(
            Citizen.id.in_(wanted)
        )
    )
    return {cid: CitizenLabel(name, phone, commune) for cid, name, phone, commune in rows.all()}


async def broadcast_audience(
    session: AsyncSession,
    *,
    event_id: int | None,
    statuses: tuple[RegistrationStatus, ...],
    scope: str | None = None,
) -> tuple[int, int]:
    """(reachable, unreachable) people a broadcast would reach: the event's registrants with
    those statuses, or (`event_id` None) the subscribers to announcements; inside `scope`."""
    statement = select(Citizen.telegram_user_id, Citizen.unreachable_at, Citizen.erased_at)
    if event_id is None:
        statement = statement.where(Citizen.broadcast_opt_in.is_(True))
    else:
        statement = statement.join(Registration, Registration.citizen_id == Citizen.id).where(
            Registration.event_id == event_id, Registration.status.in_(statuses)
        )
    if scope is not None:
        statement = statement.where(Citizen.commune == scope)
    rows = await session.execute(statement)
    reachable = unreachable = 0
    for telegram_id, unreachable_at, erased_at in rows.all():
        if telegram_id is not None and unreachable_at is None and erased_at is None:
            reachable += 1
        else:
            unreachable += 1
    return reachable, unreachable


async def list_events(session: AsyncSession, *, include_cancelled: bool = True) -> list[Event]:
    """All events, upcoming and recent first (the district runs a few dozen a year)."""
    statement = select(Event).order_by(Event.starts_at.desc(), Event.id.desc())
    if not include_cancelled:
        statement = statement.where(Event.status != EventStatus.CANCELLED)
    return list((await session.scalars(statement)).all())


@dataclass(frozen=True)
class Counters:
    open_tickets: int
    pending_reviews: int
    pending_registrations: int


async def counters(session: AsyncSession, *, scope: str | None) -> Counters:
    """The small numbers in the navigation bar (what is waiting for staff)."""
    tickets = select(func.count(HandoffTicket.id)).where(HandoffTicket.status == HandoffStatus.OPEN)
    if scope is not None:
        tickets = tickets.where(HandoffTicket.commune == scope)
    reviews = select(func.count(NluReviewItem.id)).where(
        NluReviewItem.status == ReviewStatus.NEW, NluReviewItem.text.is_not(None)
    )
    pending = (
        select(func.count(Registration.id))
        .join(Citizen, Citizen.id == Registration.citizen_id)
        .where(Registration.status == RegistrationStatus.PENDING)
    )
    if scope is not None:
        pending = pending.where(Citizen.commune == scope)
    return Counters(
        int((await session.execute(tickets)).scalar_one()),
        int((await session.execute(reviews)).scalar_one()),
        int((await session.execute(pending)).scalar_one()),
    )


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


async def audit_page(
    session: AsyncSession,
    *,
    page: int = 1,
    per_page: int = 50,
    actor: str | None = None,
    entity_type: str | None = None,
    scope: str | None = None,
) -> AuditPage:
    """The audit log, newest first, optionally for one actor or one kind of record; `scope`
    keeps the changes that concern that commune (an officer's view)."""
    conditions = []
    if scope is not None:
        conditions.append(AuditEntry.commune == scope)
    if actor:
        conditions.append(AuditEntry.actor == actor)
    if entity_type:
        conditions.append(AuditEntry.entity_type == entity_type)
    total = int(
        (await session.execute(select(func.count(AuditEntry.id)).where(*conditions))).scalar_one()
    )
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    entries = await session.scalars(
        select(AuditEntry)
        .where(*conditions)
        .order_by(AuditEntry.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return AuditPage(list(entries.all()), total, page, per_page)
