"""Figures for the overview page: registrations over time, fill and no-show rates, NLU misses.

Weekly series are bucketed in Python from one narrow query (registration time and one key per
row): at the district's scale (thousands of rows a year) that is a few milliseconds, and it
avoids date functions that differ between SQLite and PostgreSQL. Weeks start on Monday, local
time.

NLU fallback rate: the database has no counter of every message the bot receives (answered
messages leave no row), so the rate review items ÷ messages can only be computed when the
caller passes `messages_total` from such a counter. Without one, `NluStats.rate` is None and
the page shows the weekly count of fallbacks and, among reviewed items, the share that staff
labelled with a real intent (questions the bot should have understood).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import SEAT_HOLDING, EventStatus, RegistrationStatus, ReviewStatus
from bot.db.models import Citizen, Event, NluReviewItem, Registration
from bot.services.clock import LOCAL_TZ, to_local, utcnow

GroupBy = Literal["commune", "target_group", "event"]
GROUP_BYS: tuple[GroupBy, ...] = ("commune", "target_group", "event")
MAX_SERIES = 6  # more stacked colours than this are unreadable; the rest is "other"
OTHER = "__other__"
NONE = "__none__"


@dataclass(frozen=True)
class WeeklySeries:
    """Counts per week (Monday, local) for each group key, largest groups first."""

    weeks: list[date]
    keys: list[str]
    counts: dict[str, list[int]]
    labels: dict[str, str]  # event keys -> event titles; other keys are codes

    def totals(self) -> dict[str, int]:
        return {key: sum(self.counts[key]) for key in self.keys}


@dataclass(frozen=True)
class EventStats:
    event_id: int
    title: str
    starts_at: datetime
    status: EventStatus
    capacity: int | None
    seats_taken: int  # the whole event, whatever the scope (a seat count is not personal)
    counts: dict[str, int]  # per status, inside the scope

    @property
    def registered(self) -> int:
        return sum(self.counts.values())

    @property
    def fill_rate(self) -> float | None:
        return None if not self.capacity else self.seats_taken / self.capacity

    @property
    def no_show_rate(self) -> float | None:
        attended = self.counts.get(RegistrationStatus.ATTENDED.value, 0)
        no_show = self.counts.get(RegistrationStatus.NO_SHOW.value, 0)
        return None if attended + no_show == 0 else no_show / (attended + no_show)


@dataclass(frozen=True)
class NluStats:
    weeks: list[date]
    fallbacks: list[int]
    pending: int
    labelled: int  # staff named a real intent: the bot should have understood
    out_of_scope: int
    messages_total: int | None
    since: datetime

    @property
    def total(self) -> int:
        return sum(self.fallbacks)

    @property
    def rate(self) -> float | None:
        """Fallbacks ÷ messages received, when a message counter was given."""
        if not self.messages_total:
            return None
        return self.total / self.messages_total

    @property
    def missed_share(self) -> float | None:
        reviewed = self.labelled + self.out_of_scope
        return None if reviewed == 0 else self.labelled / reviewed


def week_start(moment: datetime) -> date:
    day = to_local(moment).date()
    return day - timedelta(days=day.weekday())


def _weeks(now: datetime, count: int) -> list[date]:
    last = week_start(now)
    return [last - timedelta(weeks=count - 1 - i) for i in range(count)]


def window_start(now: datetime, weeks: int) -> datetime:
    first = _weeks(now, weeks)[0]
    return datetime(first.year, first.month, first.day, tzinfo=LOCAL_TZ)


def _top_keys(counter: Counter[str]) -> list[str]:
    ranked = [key for key, _ in counter.most_common()]
    if len(ranked) <= MAX_SERIES:
        return ranked
    return [*ranked[: MAX_SERIES - 1], OTHER]


async def weekly_registrations(
    session: AsyncSession,
    *,
    scope: str | None,
    by: GroupBy,
    weeks: int = 12,
    now: datetime | None = None,
) -> WeeklySeries:
    """Registrations created per week, split by commune, target group or event."""
    now = now or utcnow()
    week_list = _weeks(now, weeks)
    statement: Any = (
        select(
            Registration.created_at, Citizen.commune, Citizen.target_groups, Event.id, Event.title
        )
        .join(Citizen, Citizen.id == Registration.citizen_id)
        .join(Event, Event.id == Registration.event_id)
        .where(Registration.created_at >= window_start(now, weeks))
    )
    if scope is not None:
        statement = statement.where(Citizen.commune == scope)
    per_key: dict[str, Counter[date]] = defaultdict(Counter)
    sizes: Counter[str] = Counter()
    titles: dict[str, str] = {}
    for created_at, commune, groups, event_id, title in (await session.execute(statement)).all():
        if by == "commune":
            keys = [commune or NONE]
        elif by == "target_group":
            keys = list(groups or ()) or [NONE]
        else:
            keys = [str(event_id)]
            titles[str(event_id)] = title
        week = week_start(created_at)
        for key in keys:
            per_key[key][week] += 1
            sizes[key] += 1
    keys = _top_keys(sizes)
    counts: dict[str, list[int]] = {}
    for key in keys:
        if key == OTHER:
            rest = [k for k in per_key if k not in keys]
            counts[key] = [sum(per_key[k][w] for k in rest) for w in week_list]
        else:
            counts[key] = [per_key[key][w] for w in week_list]
    return WeeklySeries(week_list, keys, counts, titles)


async def event_stats(
    session: AsyncSession, *, scope: str | None, limit: int = 30
) -> list[EventStats]:
    """Per event (newest start first): status counts inside the scope, seats of the event."""
    events = list(
        (
            await session.scalars(
                select(Event).order_by(Event.starts_at.desc(), Event.id.desc()).limit(limit)
            )
        ).all()
    )
    if not events:
        return []
    ids = [event.id for event in events]
    scoped: Any = (
        select(Registration.event_id, Registration.status, func.count())
        .join(Citizen, Citizen.id == Registration.citizen_id)
        .where(Registration.event_id.in_(ids))
        .group_by(Registration.event_id, Registration.status)
    )
    if scope is not None:
        scoped = scoped.where(Citizen.commune == scope)
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for event_id, status, count in (await session.execute(scoped)).all():
        counts[event_id][RegistrationStatus(status).value] = int(count)
    seats_statement = (
        select(Registration.event_id, func.count())
        .where(Registration.event_id.in_(ids), Registration.status.in_(SEAT_HOLDING))
        .group_by(Registration.event_id)
    )
    seats = {eid: int(n) for eid, n in (await session.execute(seats_statement)).all()}
    return [
        EventStats(
            event.id,
            event.title,
            event.starts_at,
            event.status,
            event.capacity,
            seats.get(event.id, 0),
            counts.get(event.id, {}),
        )
        for event in events
    ]


def overall_rates(stats: list[EventStats]) -> tuple[float | None, float | None]:
    """(fill rate over events with a capacity, no-show rate over marked attendance)."""
    capacity = sum(s.capacity or 0 for s in stats if s.capacity)
    taken = sum(s.seats_taken for s in stats if s.capacity)
    attended = sum(s.counts.get(RegistrationStatus.ATTENDED.value, 0) for s in stats)
    no_show = sum(s.counts.get(RegistrationStatus.NO_SHOW.value, 0) for s in stats)
    fill = None if capacity == 0 else taken / capacity
    rate = None if attended + no_show == 0 else no_show / (attended + no_show)
    return fill, rate


async def nlu_stats(
    session: AsyncSession,
    *,
    weeks: int = 12,
    messages_total: int | None = None,
    now: datetime | None = None,
) -> NluStats:
    """Fallbacks per week and how reviewed ones were labelled (see the module docstring)."""
    now = now or utcnow()
    week_list = _weeks(now, weeks)
    since = window_start(now, weeks)
    rows = await session.execute(
        select(NluReviewItem.created_at, NluReviewItem.status).where(
            NluReviewItem.created_at >= since
        )
    )
    per_week: Counter[date] = Counter()
    statuses: Counter[str] = Counter()
    for created_at, status in rows.all():
        per_week[week_start(created_at)] += 1
        statuses[ReviewStatus(status).value] += 1
    return NluStats(
        weeks=week_list,
        fallbacks=[per_week[w] for w in week_list],
        pending=statuses[ReviewStatus.NEW.value],
        labelled=statuses[ReviewStatus.LABELLED.value],
        out_of_scope=statuses[ReviewStatus.OUT_OF_SCOPE.value],
        messages_total=messages_total,
        since=since,
    )
