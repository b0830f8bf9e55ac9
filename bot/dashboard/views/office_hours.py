"""Working hours of a commune office, set by its officers (or an admin for any commune).

They decide what a citizen asking an officer is told: inside the hours "an officer answers
soon", outside them when an answer can be expected (services.office_hours). Up to two periods
a day (morning, afternoon); a day without a tick is a day off.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.responses import Response

from bot.dashboard.core import Ctx, DashboardError
from bot.services import actors
from bot.services.communes import COMMUNES, OUTSIDE
from bot.services.office_hours import WeeklyHours, hours_for, set_hours
from bot.texts import dashboard as t

_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
_PERIODS = (("am_open", "am_close"), ("pm_open", "pm_close"))


def _commune(ctx: Ctx, chosen: str | None) -> str:
    """An officer's own commune; an admin's choice (first commune by default)."""
    if ctx.me.commune_scope is not None:
        return ctx.me.commune_scope
    communes = [code for code in COMMUNES if code != OUTSIDE]
    if chosen and chosen not in communes:
        raise DashboardError(400, t.FILTER_INVALID.format(field=t.REG_FILTER_COMMUNE, value=chosen))
    return chosen or communes[0]


def _minutes(text: str) -> int | None:
    match = _TIME.match(text.strip())
    if match is None or int(match[1]) > 24 or int(match[2]) > 59:
        return None
    return int(match[1]) * 60 + int(match[2])


def _rows(hours: WeeklyHours) -> list[dict[str, Any]]:
    """One row per weekday for the form: on/off and up to two periods as HH:MM."""
    rows = []
    for day, name in enumerate(t.WEEKDAY_NAMES):
        periods = list(hours.get(day, ()))[:2]
        row: dict[str, Any] = {"day": day, "name": name, "on": bool(periods)}
        for index, (opens_key, closes_key) in enumerate(_PERIODS):
            opens, closes = periods[index] if index < len(periods) else (None, None)
            row[opens_key] = "" if opens is None else f"{opens // 60:02d}:{opens % 60:02d}"
            row[closes_key] = "" if closes is None else f"{closes // 60:02d}:{closes % 60:02d}"
        rows.append(row)
    return rows


async def _page(
    ctx: Ctx, commune: str, hours: WeeklyHours, *, error: str | None = None
) -> Response:
    return await ctx.render(
        "office_hours.html",
        status=400 if error else 200,
        commune=commune,
        communes=[code for code in COMMUNES if code != OUTSIDE],
        rows=_rows(hours),
        error=error,
    )


async def hours_form(ctx: Ctx) -> Response:
    commune = _commune(ctx, ctx.request.query_params.get("commune"))
    async with ctx.db.transaction() as session:
        hours = await hours_for(session, commune, ctx.state.settings.office_hours)
    return await _page(ctx, commune, hours)


def _read(ctx: Ctx) -> tuple[WeeklyHours, str | None]:
    """The hours as ticked and typed, and the first problem found (None if all is well)."""
    hours: dict[int, tuple[tuple[int, int], ...]] = {}
    for day, name in enumerate(t.WEEKDAY_NAMES):
        if ctx.field(f"on{day}") != "1":
            continue
        periods: list[tuple[int, int]] = []
        for opens_key, closes_key in _PERIODS:
            opens_text, closes_text = (
                ctx.field(f"{opens_key}{day}"),
                ctx.field(f"{closes_key}{day}"),
            )
            if not opens_text and not closes_text:
                continue
            opens, closes = _minutes(opens_text), _minutes(closes_text)
            if opens is None or closes is None or closes <= opens or closes > 24 * 60:
                return {}, t.HOURS_BAD_PERIOD.format(day=name)
            if periods and opens < periods[-1][1]:
                return {}, t.HOURS_OVERLAP.format(day=name)
            periods.append((opens, closes))
        if not periods:
            return {}, t.HOURS_DAY_EMPTY.format(day=name)
        hours[day] = tuple(periods)
    if not hours:  # no rows would mean "the default hours", not "never"
        return {}, t.HOURS_NO_DAY
    return hours, None


async def save_hours(ctx: Ctx) -> Response:
    commune = _commune(ctx, ctx.field("commune") or None)
    hours, problem = _read(ctx)
    if problem is not None:
        return await _page(ctx, commune, hours, error=problem)
    async with ctx.db.transaction() as session:
        await set_hours(session, commune=commune, hours=hours, actor=actors.staff(ctx.me.login))
    ctx.flash(t.HOURS_SAVED.format(commune=t.COMMUNES.get(commune, commune)))
    return ctx.redirect(ctx.url("office_hours", {"commune": commune}))
