"""When commune officers work, and when a citizen asking now can expect an answer.

Hours are per commune, in local time (Asia/Ho_Chi_Minh), as periods per weekday: rows of the
`office_hours` table, or — for a commune without rows — the default from the settings
(`OFFICE_HOURS`, e.g. "0-4 07:30-11:30 13:30-17:00": Monday to Friday, two periods). The
default is an assumption to be confirmed by each commune office (domain-facts.md verifies no
hours), which is why the citizen is told an *expected* time, not a promise.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import OfficeHours
from bot.services import audit
from bot.services.actors import Actor
from bot.services.clock import LOCAL_TZ, ensure_utc, utcnow

#: weekday (0 = Monday) -> sorted (opens, closes) in minutes after local midnight
WeeklyHours = Mapping[int, tuple[tuple[int, int], ...]]

DEFAULT_OFFICE_HOURS = "0-4 07:30-11:30 13:30-17:00"
_GROUP = re.compile(r"^\s*(\d)(?:-(\d))?((?:\s+\d{1,2}:\d{2}-\d{1,2}:\d{2})+)\s*$")
_PERIOD = re.compile(r"(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})")


class InvalidHours(ValueError):
    """The hours text does not follow "D[-D] HH:MM-HH:MM …[; …]"."""


def parse_hours(spec: str) -> WeeklyHours:
    """`"0-4 07:30-11:30 13:30-17:00; 5 07:30-11:30"` -> periods per weekday."""
    hours: dict[int, list[tuple[int, int]]] = {}
    for group in filter(str.strip, spec.split(";")):
        match = _GROUP.match(group)
        if match is None:
            raise InvalidHours(group)
        first, last = int(match[1]), int(match[2] or match[1])
        periods = []
        for h1, m1, h2, m2 in _PERIOD.findall(match[3]):
            opens, closes = int(h1) * 60 + int(m1), int(h2) * 60 + int(m2)
            if not 0 <= opens < closes <= 24 * 60 or int(m1) > 59 or int(m2) > 59:
                raise InvalidHours(group)
            periods.append((opens, closes))
        if not 0 <= first <= last <= 6:
            raise InvalidHours(group)
        for day in range(first, last + 1):
            hours.setdefault(day, []).extend(periods)
    return {day: tuple(sorted(periods)) for day, periods in hours.items()}


async def hours_for(session: AsyncSession, commune: str | None, default: str) -> WeeklyHours:
    """The commune's own hours from the database, else `default` (settings.office_hours)."""
    if commune is not None:
        rows = (
            (
                await session.execute(
                    select(
                        OfficeHours.weekday, OfficeHours.opens_minute, OfficeHours.closes_minute
                    ).where(OfficeHours.commune == commune)
                )
            )
            .tuples()
            .all()
        )
        if rows:
            hours: dict[int, list[tuple[int, int]]] = {}
            for weekday, opens, closes in rows:
                hours.setdefault(weekday, []).append((opens, closes))
            return {day: tuple(sorted(periods)) for day, periods in hours.items()}
    return parse_hours(default)


def next_opening(hours: WeeklyHours, now: datetime) -> datetime | None:
    """None while an office period is running at `now`; else the start of the next one
    (aware, UTC). None too when the hours are empty (nothing sensible to promise)."""
    local = ensure_utc(now).astimezone(LOCAL_TZ)
    minute = local.hour * 60 + local.minute
    for offset in range(8):
        day = local.date() + timedelta(days=offset)
        for opens, closes in hours.get(day.weekday(), ()):
            if offset == 0 and opens <= minute < closes:
                return None
            if offset > 0 or opens > minute:
                moment = datetime.combine(day, time(opens // 60, opens % 60), tzinfo=LOCAL_TZ)
                return ensure_utc(moment)
    return None


async def expected_answer_time(
    session: AsyncSession,
    commune: str | None,
    now: datetime,
    *,
    default: str = DEFAULT_OFFICE_HOURS,
) -> datetime | None:
    """When a question asked at `now` can expect an answer from `commune`'s officers:
    None during working hours (soon), else when the office next opens."""
    return next_opening(await hours_for(session, commune, default), now)


def format_hours(hours: WeeklyHours) -> str:
    """The spec text of `hours` (the inverse of `parse_hours`), for the audit log."""
    groups = []
    for day in sorted(hours):
        periods = " ".join(
            f"{o // 60:02d}:{o % 60:02d}-{c // 60:02d}:{c % 60:02d}" for o, c in hours[day]
        )
        groups.append(f"{day} {periods}")
    return "; ".join(groups)


async def set_hours(
    session: AsyncSession,
    *,
    commune: str,
    hours: WeeklyHours,
    actor: Actor | None = None,
    now: datetime | None = None,
) -> None:
    """Replace a commune's hours (audited when staff do it from the dashboard)."""
    existing = (
        await session.scalars(select(OfficeHours).where(OfficeHours.commune == commune))
    ).all()
    before = await hours_for(session, commune, "") if existing else None
    for row in existing:
        await session.delete(row)
    for weekday, periods in hours.items():
        for opens, closes in periods:
            session.add(
                OfficeHours(
                    commune=commune, weekday=weekday, opens_minute=opens, closes_minute=closes
                )
            )
    await session.flush()
    if actor is not None:
        audit.record(
            session,
            actor=actor,
            action="office_hours.update",
            entity_type="office_hours",
            entity_id=None,
            before=None if before is None else {"hours": format_hours(before)},
            after={"hours": format_hours(hours)},
            at=now or utcnow(),
            commune=commune,
        )
