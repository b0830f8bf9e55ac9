"""The overview: registrations over time, fill and no-show rates, what the bot did not get."""

from __future__ import annotations

from starlette.responses import Response

from bot.dashboard import charts
from bot.dashboard.core import Ctx
from bot.services import reporting
from bot.services.clock import utcnow
from bot.services.reporting import NONE, OTHER, WeeklySeries
from bot.texts import dashboard as t

WEEKS = 12


def _label(series: WeeklySeries, by: str, key: str) -> str:
    if key == OTHER:
        return t.OTHER_GROUP
    if key == NONE:
        return t.NO_COMMUNE if by == "commune" else t.NO_GROUP
    if by == "commune":
        return t.COMMUNES.get(key, key)
    if by == "target_group":
        return t.TARGET_GROUPS.get(key, key)
    return series.labels.get(key, key)


async def overview(ctx: Ctx) -> Response:
    by_param = ctx.request.query_params.get("by", "commune")
    by: reporting.GroupBy = "commune"
    for option in reporting.GROUP_BYS:
        if option == by_param:
            by = option
    scope = ctx.me.commune_scope
    now = utcnow()
    messages_total = None
    if ctx.state.message_counter is not None:
        messages_total = await ctx.state.message_counter(
            reporting.overview.window_start(now, WEEKS)
        )
    async with ctx.db.transaction() as session:
        series = await reporting.weekly_registrations(
            session, scope=scope, by=by, weeks=WEEKS, now=now
        )
        stats = await reporting.event_stats(session, scope=scope, limit=15)
        nlu = await reporting.nlu_stats(
            session, weeks=WEEKS, messages_total=messages_total, now=now
        )
    by_name = t.OVERVIEW_BY[by]
    weekly = charts.stacked_columns(
        series.weeks,
        [charts.Series(_label(series, by, key), series.counts[key]) for key in series.keys],
        title=t.OVERVIEW_WEEKLY.format(by=by_name),
        week_label=t.OVERVIEW_CHART_WEEK,
    )
    totals = charts.horizontal_bars(
        [(_label(series, by, key), total) for key, total in series.totals().items()],
        title=t.OVERVIEW_TOTALS.format(by=by_name),
    )
    per_event = charts.horizontal_bars(
        [(s.title, s.registered) for s in stats], title=t.OVERVIEW_EVENTS
    )
    nlu_chart = charts.stacked_columns(
        nlu.weeks,
        [charts.Series(t.NAV_NLU, nlu.fallbacks)],
        title=t.OVERVIEW_NLU,
        week_label=t.OVERVIEW_CHART_WEEK,
    )
    fill, no_show = reporting.overall_rates(stats)
    return await ctx.render(
        "overview.html",
        by=by,
        weeks=WEEKS,
        total=sum(series.totals().values()) if by != "target_group" else None,
        weekly=weekly,
        totals=totals,
        per_event=per_event,
        nlu_chart=nlu_chart,
        stats=stats,
        fill=fill,
        no_show=no_show,
        nlu=nlu,
        has_data=any(series.totals().values()),
    )
