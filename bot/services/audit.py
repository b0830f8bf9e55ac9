"""Audit log of staff changes: who, when, which record, and its fields before and after.

Staff actions are logged here (citizens' own actions are in the registration history), plus
security events whoever caused them: sign-in attempts, exports, erasures (`security=True`).
Snapshots hold JSON-safe values; only the fields that changed are kept, so the log stays
readable and carries as little personal data as the change itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import AuditEntry
from bot.services.actors import Actor


def _json_safe(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_safe(item) for item in value]
    return value


def snapshot(obj: object, fields: Iterable[str]) -> dict[str, Any]:
    """The named attributes of `obj`, made JSON-safe."""
    return {name: _json_safe(getattr(obj, name)) for name in fields}


def diff(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(before, after) restricted to the keys whose values differ."""
    keys = [key for key in after if before.get(key) != after[key]]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


def record(
    session: AsyncSession,
    *,
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: int | None,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    at: datetime,
    commune: str | None = None,
    security: bool = False,
) -> AuditEntry | None:
    """Add an audit entry if `actor` is staff; returns it (or None for non-staff actors).

    `commune` is the commune the change concerns (the citizen's, the event's, the ticket's):
    officers read their commune's part of the log, admins all of it. `security=True` records
    it whoever the actor is: sign-in attempts on unknown accounts and a citizen's own erasure
    belong in the log too.
    """
    if not actor.is_staff and not security:
        return None
    entry = AuditEntry(
        at=at,
        actor=str(actor),
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        before=None if before is None else dict(before),
        after=None if after is None else dict(after),
        commune=commune,
    )
    session.add(entry)
    return entry


def record_export(
    session: AsyncSession,
    *,
    actor: Actor,
    what: str,
    file_format: str,
    filters: Mapping[str, Any],
    scope: str | None,
    rows: int,
    at: datetime,
) -> AuditEntry | None:
    """An export of personal data: which list, which filter, how many rows, in what format."""
    return record(
        session,
        actor=actor,
        action=f"export.{what}",
        entity_type="export",
        entity_id=None,
        before=None,
        after={
            "format": file_format,
            "filters": {key: _json_safe(value) for key, value in filters.items()},
            "scope": scope,
            "rows": rows,
        },
        at=at,
        security=True,
    )
