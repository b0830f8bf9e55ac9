"""The registrations table: filters, sorting, pages, exports and staff decisions.

An officer's commune scope is applied by services.reporting to the table, the exports and to
every action (a registration outside the scope is "not found", never "forbidden", so ids of
other communes leak nothing). Bulk actions run each registration in its own transaction: one
refusal (already approved, event not started) does not undo the others, and the flash message
counts both.

Decisions are taken safely: a row's own approve / check-in / no-show / re-open button acts at
once (one person, reversible); anything on several rows, and every rejection, first shows a
confirmation page that names how many people it concerns — and, for a rejection, asks for the
reason the citizen will read. "Select all N matching" resolves the filter on the server, so it
covers every page, not only the rows on screen.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import QueryParams
from starlette.responses import Response

from bot.dashboard.core import Ctx, DashboardError
from bot.dashboard.forms import FilterProblem, TableQuery, nfc, table_query
from bot.db.enums import RegistrationStatus
from bot.db.models import Registration
from bot.services import actors, attendance, audit, reporting
from bot.services.actors import Actor
from bot.services.citizens import TARGET_GROUPS
from bot.services.clock import to_local, utcnow
from bot.services.communes import COMMUNES, OUTSIDE
from bot.services.errors import DeskError
from bot.texts import dashboard as t
from bot.texts import notifications as citizen_texts

log = logging.getLogger(__name__)

MAX_BULK = 500
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Decision = Callable[..., Awaitable[object]]
ACTIONS: dict[str, Decision] = {
    "approve": attendance.approve,
    "reject": attendance.reject,
    "check_in": attendance.check_in,
    "no_show": attendance.mark_no_show,
    "reopen": attendance.reopen,
}
#: What a row's own button may do without a confirmation page (one person, reversible).
DIRECT = frozenset({"approve", "check_in", "no_show", "reopen"})


def _query(ctx: Ctx) -> TableQuery:
    try:
        query = table_query(ctx.request.query_params)
    except FilterProblem as problem:
        raise DashboardError(400, str(problem)) from None
    scope = ctx.me.commune_scope
    if scope is not None and query.filters.commune not in (None, scope):
        # An officer asking for another commune gets nothing, not their own commune silently.
        raise DashboardError(403, t.ERROR_FORBIDDEN)
    return query


async def registration_list(ctx: Ctx) -> Response:
    query = _query(ctx)
    async with ctx.db.transaction() as session:
        page = await reporting.registration_page(
            session,
            filters=query.filters,
            scope=ctx.me.commune_scope,
            sort=query.sort,
            descending=query.descending,
            page=query.page,
            per_page=query.per_page,
        )
        event_list = await reporting.list_events(session)
    communes = [code for code in COMMUNES if code != OUTSIDE or ctx.me.commune_scope is None]
    if ctx.me.commune_scope is not None:
        communes = [ctx.me.commune_scope]
    return await ctx.render(
        "registrations.html",
        page=page,
        query=query,
        events=event_list,
        communes=communes,
        statuses=list(RegistrationStatus),
        groups=sorted(TARGET_GROUPS, key=lambda code: t.TARGET_GROUPS.get(code, code)),
        per_page_choices=reporting.PER_PAGE_CHOICES,
        sorts=reporting.SORT_COLUMNS,
        actions=t.REG_ACTIONS,
        back=ctx.request.url.query,
        now=utcnow(),
        attendance_from=_opens_before(ctx),  # check-in / no-show offered from then on
    )


def _opens_before(ctx: Ctx) -> timedelta:
    return timedelta(hours=ctx.state.settings.attendance_opens_hours)


def _labels() -> reporting.ExportLabels:
    return reporting.ExportLabels(
        headers=t.COLUMNS,
        status_names=t.REGISTRATION_STATUSES,
        group_names=t.TARGET_GROUPS,
        erased_name=t.ERASED_NAME,
    )


async def _export_rows(ctx: Ctx, file_format: str) -> list[reporting.RegistrationRow]:
    query = _query(ctx)
    async with ctx.db.transaction() as session:
        rows = await reporting.filtered_registrations(
            session,
            filters=query.filters,
            scope=ctx.me.commune_scope,
            sort=query.sort,
            descending=query.descending,
        )
        audit.record_export(
            session,
            actor=actors.staff(ctx.me.login),
            what="registrations",
            file_format=file_format,
            filters=dataclasses.asdict(query.filters),
            scope=ctx.me.commune_scope,
            rows=len(rows),
            at=utcnow(),
        )
    log.info("dashboard: staff %s exported %d registrations", ctx.me.id, len(rows))
    return rows


def _filename(extension: str) -> str:
    stamp = to_local(utcnow()).strftime("%Y%m%d-%H%M")
    return t.EXPORT_FILENAME.format(stamp=stamp) + "." + extension


async def export_csv(ctx: Ctx) -> Response:
    """Exactly the filtered rows (every page), CSV UTF-8 with BOM for Excel."""
    rows = await _export_rows(ctx, "csv")
    body = await ctx.state.exports.registrations_csv(rows, _labels())
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{_filename("csv")}"'},
    )


async def export_xlsx(ctx: Ctx) -> Response:
    """Exactly the filtered rows (every page) as an Excel workbook."""
    rows = await _export_rows(ctx, "xlsx")
    # Thousands of rows take a second or two of pure-Python CPU: built in another process
    # (services.reporting.export_pool), since a thread would hold the GIL the bot's loop needs.
    body = await ctx.state.exports.registrations_xlsx(rows, _labels(), sheet_title=t.EXPORT_SHEET)
    return Response(
        body,
        media_type=XLSX_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{_filename("xlsx")}"'},
    )


async def _decide(
    ctx: Ctx, decision: Decision, registration_id: int, actor: Actor, now: datetime
) -> str | None:
    """Apply one decision in its own transaction; None if done, else why not (a code)."""
    try:
        async with ctx.db.transaction() as session:
            registration = await _in_scope(ctx, session, registration_id)
            if registration is None:
                return "not_found"
            await decision(session=session, registration=registration, actor=actor, now=now)
    except DeskError as error:
        return error.reason.value
    return None


async def _in_scope(ctx: Ctx, session: AsyncSession, registration_id: int) -> Registration | None:
    return await reporting.registration_in_scope(
        session, registration_id=registration_id, scope=ctx.me.commune_scope
    )


def _back(ctx: Ctx) -> str:
    query = ctx.field("back")
    base = ctx.url("registrations")
    return f"{base}?{query}" if query and "\n" not in query else base


def _report(ctx: Ctx, name: str, outcomes: list[str | None]) -> None:
    done = sum(outcome is None for outcome in outcomes)
    failures = Counter(outcome for outcome in outcomes if outcome is not None)
    label = t.REG_ACTIONS[name]
    if done:
        ctx.flash(t.REG_ACTION_DONE.format(action=label, done=done))
    if failures:
        reasons = "; ".join(
            f"{t.REFUSALS.get(code, t.REG_NOT_FOUND if code == 'not_found' else code)} ({count})"
            for code, count in failures.items()
        )
        ctx.flash(
            t.REG_ACTION_FAILED.format(failed=sum(failures.values()), reasons=reasons), "error"
        )


def _reason(ctx: Ctx) -> str | None:
    """The rejection reason: typed text wins over the chosen one; None if neither."""
    typed = nfc(ctx.field("reason_text"))[: attendance.MAX_REASON]
    return typed or citizen_texts.REJECT_REASONS.get(ctx.field("reason_code"))


async def _ids(ctx: Ctx) -> list[int] | None:
    """The registrations the bulk form names: the ticked rows, or every row matching the
    table's filters ("select all N matching"); None when that is more than MAX_BULK."""
    if ctx.field("all_matching") != "1":
        return sorted({int(value) for value in ctx.fields("ids") if value.isdigit()})[:MAX_BULK]
    try:
        query = table_query(QueryParams(ctx.field("back")))
    except FilterProblem as problem:
        raise DashboardError(400, str(problem)) from None
    scope = ctx.me.commune_scope
    if scope is not None and query.filters.commune not in (None, scope):
        raise DashboardError(403, t.ERROR_FORBIDDEN)
    async with ctx.db.transaction() as session:
        ids = await reporting.matching_ids(
            session, filters=query.filters, scope=ctx.me.commune_scope, limit=MAX_BULK
        )
    return None if len(ids) > MAX_BULK else ids


async def _confirm_page(
    ctx: Ctx, name: str, ids: list[int], *, error: str | None = None
) -> Response:
    async with ctx.db.transaction() as session:
        rows = await reporting.registration_rows(session, ids=ids, scope=ctx.me.commune_scope)
    return await ctx.render(
        "registrations_confirm.html",
        status=400 if error else 200,
        action=name,
        label=t.REG_ACTIONS[name],
        rows=rows,
        error=error,
        back=ctx.field("back"),
        reasons=citizen_texts.REJECT_REASONS,
        chosen_reason=ctx.field("reason_code"),
        typed_reason=ctx.field("reason_text"),
        undo_minutes=ctx.state.settings.rejection_undo_minutes,
    )


def _decision(ctx: Ctx, name: str, reason: str | None) -> Decision:
    settings = ctx.state.settings
    if name == "reject":
        undo = timedelta(minutes=settings.rejection_undo_minutes)
        return partial(attendance.reject, reason=reason, undo_window=undo)
    if name in ("check_in", "no_show"):
        return partial(ACTIONS[name], opens_before=_opens_before(ctx))
    return ACTIONS[name]


async def decide(ctx: Ctx) -> Response:
    """One or many registrations, one decision: approve, reject, check in, no-show, re-open."""
    # A row's own button posts `one=<action>:<id>`; the bulk bar posts `action` + `ids` (or
    # `all_matching=1`); the confirmation page posts `action` + `ids` + `confirm=1` + `count`.
    name, _, single = ctx.field("one").partition(":")
    if single.isdigit():
        ids: list[int] | None = [int(single)]
    else:
        name = ctx.field("action")
        ids = await _ids(ctx) if name in ACTIONS else []
    if name not in ACTIONS:
        raise DashboardError(400, t.ERROR_BAD_INPUT.format(detail=name or t.REG_BULK_CHOOSE))
    if ids is None:
        ctx.flash(t.REG_BULK_TOO_MANY.format(limit=MAX_BULK), "error")
        return ctx.redirect(_back(ctx))
    if not ids:
        ctx.flash(t.REG_BULK_NONE, "error")
        return ctx.redirect(_back(ctx))
    reason = _reason(ctx) if name == "reject" else None
    direct = single.isdigit() and name in DIRECT
    if not direct:
        if ctx.field("confirm") != "1":
            return await _confirm_page(ctx, name, ids)
        if ctx.field("count") != str(len(ids)):
            return await _confirm_page(ctx, name, ids, error=t.REG_CONFIRM_CHANGED)
        if name == "reject" and not reason:
            return await _confirm_page(ctx, name, ids, error=t.REG_REASON_MISSING)
    actor = actors.staff(ctx.me.login)
    now = utcnow()
    decision = _decision(ctx, name, reason)
    outcomes = [
        await _decide(ctx, decision, registration_id, actor, now) for registration_id in ids
    ]
    _report(ctx, name, outcomes)
    if name == "reject" and any(outcome is None for outcome in outcomes):
        ctx.flash(
            t.REG_REJECT_UNDO.format(minutes=ctx.state.settings.rejection_undo_minutes), "info"
        )
    return ctx.redirect(_back(ctx))
