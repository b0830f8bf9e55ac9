"""The staff's registrations table: filters, sorting and pages, always inside a commune scope.

One query builder serves the page, the exports and the attendance sheet, so an export holds
exactly the rows the table shows under the same filters (all pages of them), and an officer's
scope is applied in one place. Only the columns the table needs are selected (no ORM
objects), which keeps a page over 10,000 registrations at a few milliseconds.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, String, cast, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import RegistrationStatus
from bot.db.models import Citizen, Event, Registration
from bot.services import names
from bot.services.clock import LOCAL_TZ

PER_PAGE_CHOICES = (25, 50, 100, 200)
DEFAULT_PER_PAGE = 50

#: Sort keys the table offers -> the column they sort on.
SORT_COLUMNS: dict[str, Any] = {
    "created": Registration.created_at,
    "name": Citizen.full_name,
    "birth_year": Citizen.birth_year,
    "commune": Citizen.commune,
    "event": Event.starts_at,
    "status": Registration.status,
    "changed": Registration.status_changed_at,
}
DEFAULT_SORT = "created"


@dataclass(frozen=True)
class RegistrationFilter:
    """What the staff asked to see; empty fields do not filter. Dates are local, inclusive."""

    event_id: int | None = None
    commune: str | None = None
    statuses: tuple[RegistrationStatus, ...] = ()
    target_group: str | None = None
    registered_from: date | None = None
    registered_to: date | None = None
    search: str = ""


@dataclass(frozen=True)
class RegistrationRow:
    """One line of the table (and of the exports)."""

    registration_id: int
    citizen_id: int
    full_name: str | None
    phone: str | None
    birth_year: int | None
    commune: str | None
    target_groups: tuple[str, ...]
    event_id: int
    event_title: str
    event_starts_at: datetime
    status: RegistrationStatus
    waitlist_position: int | None
    created_at: datetime
    status_changed_at: datetime
    decision_reason: str | None = None  # why staff refused it (shown on the row)


@dataclass(frozen=True)
class Page:
    rows: list[RegistrationRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def _local_midnight_utc(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=LOCAL_TZ)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _search_condition(raw: str) -> Any:
    """Phone digits (0912… or 84912…), else the name ignoring diacritics, case and spacing.

    Names are matched on `citizens.name_key` (services.names): "nguyen hoa" becomes
    `% nguyen% hoa%` and finds "Nguyễn Thị Hoa" on SQLite and PostgreSQL alike.
    """
    text = " ".join(unicodedata.normalize("NFC", raw).split())
    digits = "".join(ch for ch in text if ch.isdigit())
    if digits and len(digits) >= 3 and len(digits) >= len(text.replace(" ", "")) - 1:
        national = digits[1:] if digits.startswith("0") else digits
        national = national[2:] if national.startswith("84") and len(national) > 9 else national
        return Citizen.phone.contains(national, autoescape=True)
    words, joined = names.like_pattern(text), names.joined_pattern(text)
    if words is None:  # only punctuation: nothing can match
        return Citizen.id.is_(None)
    if joined is not None:  # one long word: its word-start matches are substrings too
        return func.replace(Citizen.name_key, " ", "").like(joined)
    return (literal(" ") + Citizen.name_key).like(words)


def _apply_filters(
    statement: Select[Any], filters: RegistrationFilter, scope: str | None
) -> Select[Any]:
    conditions: list[Any] = []
    if scope is not None:
        conditions.append(Citizen.commune == scope)
    if filters.commune:
        conditions.append(Citizen.commune == filters.commune)
    if filters.event_id is not None:
        conditions.append(Registration.event_id == filters.event_id)
    if filters.statuses:
        conditions.append(Registration.status.in_(filters.statuses))
    if filters.target_group:
        # target_groups is a JSON list of codes; a quoted code cannot match another code.
        quoted = f'%"{_like_escape(filters.target_group)}"%'
        conditions.append(cast(Citizen.target_groups, String).like(quoted, escape="\\"))
    if filters.registered_from is not None:
        conditions.append(Registration.created_at >= _local_midnight_utc(filters.registered_from))
    if filters.registered_to is not None:
        end = _local_midnight_utc(filters.registered_to + timedelta(days=1))
        conditions.append(Registration.created_at < end)
    if filters.search.strip():
        conditions.append(_search_condition(filters.search))
    return statement.where(*conditions) if conditions else statement


def _base(columns: Sequence[Any]) -> Select[Any]:
    return (
        select(*columns)
        .select_from(Registration)
        .join(Citizen, Citizen.id == Registration.citizen_id)
        .join(Event, Event.id == Registration.event_id)
    )


_ROW_COLUMNS = (
    Registration.id,
    Registration.citizen_id,
    Citizen.full_name,
    Citizen.phone,
    Citizen.birth_year,
    Citizen.commune,
    Citizen.target_groups,
    Registration.event_id,
    Event.title,
    Event.starts_at,
    Registration.status,
    Registration.waitlist_position,
    Registration.created_at,
    Registration.status_changed_at,
    Registration.decision_reason,
)


def _row(values: Sequence[Any]) -> RegistrationRow:
    """A result row of `_ROW_COLUMNS` (same order as the dataclass fields)."""
    return RegistrationRow(
        registration_id=values[0],
        citizen_id=values[1],
        full_name=values[2],
        phone=values[3],
        birth_year=values[4],
        commune=values[5],
        target_groups=tuple(values[6] or ()),
        event_id=values[7],
        event_title=values[8],
        event_starts_at=values[9],
        status=RegistrationStatus(values[10]),
        waitlist_position=values[11],
        created_at=values[12],
        status_changed_at=values[13],
        decision_reason=values[14],
    )


def _ordered(statement: Select[Any], sort: str, descending: bool) -> Select[Any]:
    column = SORT_COLUMNS.get(sort, SORT_COLUMNS[DEFAULT_SORT])
    primary = column.desc() if descending else column.asc()
    tie = Registration.id.desc() if descending else Registration.id.asc()
    return statement.order_by(primary, tie)


async def count_registrations(
    session: AsyncSession, *, filters: RegistrationFilter, scope: str | None
) -> int:
    statement = _apply_filters(_base([func.count(Registration.id)]), filters, scope)
    return int((await session.execute(statement)).scalar_one())


async def registration_page(
    session: AsyncSession,
    *,
    filters: RegistrationFilter,
    scope: str | None,
    sort: str = DEFAULT_SORT,
    descending: bool = True,
    page: int = 1,
    per_page: int = DEFAULT_PER_PAGE,
) -> Page:
    """One page of the filtered table; a page past the end shows the last page."""
    per_page = per_page if per_page in PER_PAGE_CHOICES else DEFAULT_PER_PAGE
    total = await count_registrations(session, filters=filters, scope=scope)
    last_page = max(1, math.ceil(total / per_page))
    page = min(max(1, page), last_page)
    statement = _ordered(_apply_filters(_base(_ROW_COLUMNS), filters, scope), sort, descending)
    result = await session.execute(statement.limit(per_page).offset((page - 1) * per_page))
    return Page([_row(values) for values in result.all()], total, page, per_page)


async def filtered_registrations(
    session: AsyncSession,
    *,
    filters: RegistrationFilter,
    scope: str | None,
    sort: str = DEFAULT_SORT,
    descending: bool = True,
) -> list[RegistrationRow]:
    """Every row matching the filters, in table order (what an export contains)."""
    statement = _ordered(_apply_filters(_base(_ROW_COLUMNS), filters, scope), sort, descending)
    result = await session.execute(statement)
    return [_row(values) for values in result.all()]


def _given_name_key(row: RegistrationRow) -> tuple[str, str]:
    """Vietnamese lists sort by given name (the last word), then by the full name."""
    name = row.full_name or ""
    folded = unicodedata.normalize("NFD", name.lower().replace("đ", "d"))
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    words = plain.split()
    return (words[-1] if words else "", plain)


ATTENDANCE_STATUSES = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.ATTENDED,
    RegistrationStatus.NO_SHOW,
)


async def attendance_rows(
    session: AsyncSession, *, event_id: int, scope: str | None
) -> list[RegistrationRow]:
    """People holding a seat at the event, by given name, for the printed sign-in sheet."""
    rows = await filtered_registrations(
        session,
        filters=RegistrationFilter(event_id=event_id, statuses=ATTENDANCE_STATUSES),
        scope=scope,
    )
    return sorted(rows, key=_given_name_key)


async def registration_in_scope(
    session: AsyncSession, *, registration_id: int, scope: str | None
) -> Registration | None:
    """The registration if it exists and its citizen is inside `scope` (else None)."""
    statement = (
        select(Registration)
        .join(Citizen, Citizen.id == Registration.citizen_id)
        .where(Registration.id == registration_id)
    )
    if scope is not None:
        statement = statement.where(Citizen.commune == scope)
    registration: Registration | None = await session.scalar(statement)
    return registration


async def registration_rows(
    session: AsyncSession, *, ids: Sequence[int], scope: str | None
) -> list[RegistrationRow]:
    """The rows of these registrations that lie inside `scope` (a confirmation page)."""
    if not ids:
        return []
    statement = _base(_ROW_COLUMNS).where(Registration.id.in_(list(ids)))
    if scope is not None:
        statement = statement.where(Citizen.commune == scope)
    result = await session.execute(statement.order_by(Registration.id))
    return [_row(values) for values in result.all()]


async def matching_ids(
    session: AsyncSession, *, filters: RegistrationFilter, scope: str | None, limit: int
) -> list[int]:
    """Ids of every registration matching the filters (all pages), at most `limit` + 1,
    so the caller can tell "too many" from "exactly `limit`"."""
    statement = _apply_filters(_base([Registration.id]), filters, scope)
    result = await session.execute(statement.order_by(Registration.id).limit(limit + 1))
    return [int(value) for value in result.scalars().all()]
