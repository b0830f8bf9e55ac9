"""The overview: registrations over time, fill and no-show rates, what the bot did not get,
and the answer-quality figures kept in the database (services.answer_quality).

Each chart comes twice (wide and phone-sized, see dashboard.charts); an officer's page says
which figures are their commune's and which are the whole event's (seats are shared).
"""

from __future__ import annotations

from starlette.responses import Response

from bot.dashboard import charts
from bot.dashboard.core import Ctx
from bot.services import answer_quality, reporting
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
        quality = await answer_quality.quality_stats(session, now=now, weeks=WEEKS)
    by_name = t.OVERVIEW_BY[by]
    weekly = charts.responsive_columns(
        series.weeks,
        [charts.Series(_label(series, by, key), series.counts[key]) for key in series.keys],
        title=t.OVERVIEW_WEEKLY.format(by=by_name),
        week_label=t.OVERVIEW_CHART_WEEK,
    )
    totals = charts.responsive_bars(
        [(_label(series, by, key), total) for key, total in series.totals().items()],
        title=t.OVERVIEW_TOTALS.format(by=by_name),
    )
    per_event = charts.responsive_bars(
        [(s.title, s.registered) for s in stats], title=t.OVERVIEW_EVENTS
    )
    nlu_chart = charts.responsive_columns(
        nlu.weeks,
        [charts.Series(t.NAV_NLU, nlu.fallbacks)],
        title=t.OVERVIEW_NLU,
        week_label=t.OVERVIEW_CHART_WEEK,
    )
    quality_chart = charts.responsive_columns(
        quality.weeks,
        [
            charts.Series(t.QUALITY_OUTCOMES[o], quality.per_week[o])
            for o in answer_quality.OUTCOMES
        ],
        title=t.QUALITY_TITLE,
        week_label=t.OVERVIEW_CHART_WEEK,
    )
    fill, no_show = reporting.overall_rates(stats)
    scoped_seats = sum(
        s.counts.get(code, 0) for s in stats for code in ("confirmed", "attended", "no_show")
    )
    all_seats = sum(s.seats_taken for s in stats)
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
        quality=quality,
        quality_chart=quality_chart,
        outcomes=answer_quality.OUTCOMES,
        seat_share=None if not all_seats else scoped_seats / all_seats,
        has_data=any(series.totals().values()),
    )
