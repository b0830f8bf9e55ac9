"""Names for the audit log: who did it (the staff member's name) and on whom or what (the
citizen's name, the event's title), so the page can read as sentences instead of ids.

Looked up in a handful of queries per page (one per kind of record), never per entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import AuditEntry, Citizen, Event, HandoffTicket, Registration, StaffUser


@dataclass(frozen=True)
class AuditLabels:
    staff: dict[str, str] = field(default_factory=dict)  # "staff:lan" -> "Nguyễn Thị Lan"
    registrations: dict[int, tuple[str | None, str]] = field(default_factory=dict)
    events: dict[int, str] = field(default_factory=dict)
    citizens: dict[int, str | None] = field(default_factory=dict)
    tickets: dict[int, str | None] = field(default_factory=dict)  # ticket -> citizen name


def _ids(entries: Iterable[AuditEntry], entity_type: str) -> list[int]:
    return sorted(
        {e.entity_id for e in entries if e.entity_type == entity_type and e.entity_id is not None}
    )


async def audit_labels(session: AsyncSession, entries: list[AuditEntry]) -> AuditLabels:
    labels = AuditLabels()
    logins = {e.actor.partition(":")[2] for e in entries if e.actor.startswith("staff:")}
    for entry in entries:
        assignee = (entry.after or {}).get("assigned_to")
        if isinstance(assignee, str):
            logins.add(assignee)
    if logins:
        staff_rows = await session.execute(
            select(StaffUser.login, StaffUser.full_name).where(StaffUser.login.in_(logins))
        )
        labels.staff.update({f"staff:{login}": name for login, name in staff_rows.tuples()})
    registration_ids = _ids(entries, "registration")
    if registration_ids:
        registration_rows = await session.execute(
            select(Registration.id, Citizen.full_name, Event.title)
            .join(Citizen, Citizen.id == Registration.citizen_id)
            .join(Event, Event.id == Registration.event_id)
            .where(Registration.id.in_(registration_ids))
        )
        labels.registrations.update(
            {rid: (name, title) for rid, name, title in registration_rows.tuples()}
        )
    event_ids = _ids(entries, "event")
    if event_ids:
        event_rows = await session.execute(
            select(Event.id, Event.title).where(Event.id.in_(event_ids))
        )
        labels.events.update(dict(event_rows.tuples().all()))
    citizen_ids = _ids(entries, "citizen")
    if citizen_ids:
        citizen_rows = await session.execute(
            select(Citizen.id, Citizen.full_name).where(Citizen.id.in_(citizen_ids))
        )
        labels.citizens.update(dict(citizen_rows.tuples().all()))
    ticket_ids = _ids(entries, "handoff_ticket")
    if ticket_ids:
        ticket_rows = await session.execute(
            select(HandoffTicket.id, Citizen.full_name)
            .outerjoin(Citizen, Citizen.id == HandoffTicket.citizen_id)
            .where(HandoffTicket.id.in_(ticket_ids))
        )
        labels.tickets.update(dict(ticket_rows.tuples().all()))
    return labels
