"""Events: list, create, edit, open or close registration, cancel; the printable QR poster.

Changing and cancelling go through services.events, which audits the change and queues the
notices to registrants; this module only reads the form and words the outcome. Since 7/2025
the commune organises classes: an officer creates events for their commune and changes only
those (services.events.may_manage); district-wide events (no commune) are the admins'.
Everyone reads every event, because citizens of any commune may register for them.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import select
from starlette.responses import Response

from bot.dashboard import qr
from bot.dashboard.core import Ctx, DashboardError, not_found
from bot.dashboard.forms import FormProblem, event_form
from bot.dashboard.templating import input_datetime
from bot.db.enums import EventStatus
from bot.db.models import Event
from bot.services import actors, events, reporting
from bot.services.citizens import TARGET_GROUPS
from bot.services.communes import COMMUNES, OUTSIDE
from bot.services.errors import DeskError
from bot.texts import dashboard as t

_STATUS_MESSAGES = {EventStatus.OPEN: t.EVENT_OPENED, EventStatus.CLOSED: t.EVENT_CLOSED}


def refusal_text(error: DeskError) -> str:
    return t.REFUSALS.get(error.reason.value) or t.REFUSAL_UNKNOWN.format(reason=error.reason)


def _form_values(event: Event | None) -> dict[str, Any]:
    """What the form fields show: the event's current values, or empty for a new one."""
    if event is None:
        return {"kind": "vocational_class", "eligible_target_groups": [], "commune": ""}
    return {
        "commune": event.commune or "",
        "kind": event.kind.value,
        "title": event.title,
        "description": event.description,
        "organiser": event.organiser,
        "venue": event.venue,
        "venue_map_url": event.venue_map_url or "",
        "starts_at": input_datetime(event.starts_at),
        "ends_at": input_datetime(event.ends_at),
        "registration_deadline": input_datetime(event.registration_deadline),
        "capacity": "" if event.capacity is None else str(event.capacity),
        "requires_approval": "1" if event.requires_approval else "",
        "eligible_target_groups": list(event.eligible_target_groups),
        "what_to_bring": event.what_to_bring,
    }


def _typed_values(ctx: Ctx) -> dict[str, Any]:
    values: dict[str, Any] = {name: ctx.field(name) for name in t.EVENT_FIELDS}
    values["eligible_target_groups"] = ctx.fields("eligible_target_groups")
    return values


async def _event(ctx: Ctx) -> Event:
    event_id = ctx.request.path_params["event_id"]
    async with ctx.db.transaction() as session:
        event = await session.get(Event, event_id)
    if event is None:
        raise not_found()
    return event


async def _managed_event(ctx: Ctx) -> Event:
    """The event, if the signed-in staff member may change it (else 403)."""
    event = await _event(ctx)
    if not events.may_manage(event, ctx.me.commune_scope):
        raise DashboardError(403, t.EVENT_NOT_YOURS)
    return event


def _new_event_commune(ctx: Ctx) -> str | None:
    """An officer's events belong to their commune; an admin chooses (empty: district)."""
    if ctx.me.commune_scope is not None:
        return ctx.me.commune_scope
    chosen = ctx.field("commune")
    if chosen and chosen not in COMMUNES:
        raise FormProblem(t.EVENT_INVALID_COMMUNE)
    return chosen or None


async def event_list(ctx: Ctx) -> Response:
    """Every event with its seats and the scope's registration counts."""
    async with ctx.db.transaction() as session:
        stats = await reporting.event_stats(session, scope=ctx.me.commune_scope, limit=500)
        communes = dict((await session.execute(select(Event.id, Event.commune))).tuples().all())
    return await ctx.render("events.html", stats=stats, event_communes=communes)


async def event_detail(ctx: Ctx) -> Response:
    event = await _event(ctx)
    async with ctx.db.transaction() as session:
        stats = await reporting.event_stats(session, scope=ctx.me.commune_scope, limit=500)
    stat = next((s for s in stats if s.event_id == event.id), None)
    return await ctx.render(
        "event_detail.html",
        event=event,
        stat=stat,
        may_manage=ctx.me.can_change and events.may_manage(event, ctx.me.commune_scope),
    )


async def _render_form(
    ctx: Ctx, event: Event | None, values: dict[str, Any], error: str | None = None
) -> Response:
    return await ctx.render(
        "event_form.html",
        status=400 if error else 200,
        event=event,
        values=values,
        error=error,
        groups=sorted(TARGET_GROUPS, key=lambda code: t.TARGET_GROUPS.get(code, code)),
        communes=[code for code in COMMUNES if code != OUTSIDE],
    )


async def new_event_form(ctx: Ctx) -> Response:
    return await _render_form(ctx, None, _form_values(None))


async def edit_event_form(ctx: Ctx) -> Response:
    event = await _managed_event(ctx)
    if event.status == EventStatus.CANCELLED:
        raise DashboardError(409, t.REFUSALS["event_cancelled"])
    return await _render_form(ctx, event, _form_values(event))


async def create_event(ctx: Ctx) -> Response:
    try:
        form = event_form(ctx.field, ctx.fields)
        draft = replace(form.draft(), commune=_new_event_commune(ctx))
        async with ctx.db.transaction() as session:
            event = await events.create_event(
                session=session, draft=draft, actor=actors.staff(ctx.me.login)
            )
            event_id = event.id
    except FormProblem as problem:
        return await _render_form(
            ctx, None, _typed_values(ctx), t.ERROR_BAD_INPUT.format(detail=problem)
        )
    except DeskError as error:
        return await _render_form(ctx, None, _typed_values(ctx), refusal_text(error))
    ctx.flash(t.EVENT_CREATED)
    return ctx.redirect(ctx.url("event_detail", event_id=event_id))


async def update_event(ctx: Ctx) -> Response:
    event = await _managed_event(ctx)
    try:
        form = event_form(ctx.field, ctx.fields)
        async with ctx.db.transaction() as session:
            loaded = await session.get_one(Event, event.id)
            changes = form.changes(loaded)
            if changes.as_dict():
                await events.update_event(
                    session=session, event=loaded, changes=changes, actor=actors.staff(ctx.me.login)
                )
    except FormProblem as problem:
        return await _render_form(
            ctx, event, _typed_values(ctx), t.ERROR_BAD_INPUT.format(detail=problem)
        )
    except DeskError as error:
        return await _render_form(ctx, event, _typed_values(ctx), refusal_text(error))
    ctx.flash(t.EVENT_SAVED if changes.as_dict() else t.EVENT_NOTHING_CHANGED)
    return ctx.redirect(ctx.url("event_detail", event_id=event.id))


async def set_event_status(ctx: Ctx) -> Response:
    """Open or close registration (draft -> open, open <-> closed)."""
    event = await _managed_event(ctx)
    target = ctx.field("status")
    if target not in _STATUS_MESSAGES:
        raise DashboardError(400, t.ERROR_BAD_INPUT.format(detail=target))
    status = EventStatus(target)
    try:
        async with ctx.db.transaction() as session:
            loaded = await session.get_one(Event, event.id)
            await events.update_event(
                session=session,
                event=loaded,
                changes=events.EventChanges(status=status),
                actor=actors.staff(ctx.me.login),
            )
    except DeskError as error:
        ctx.flash(refusal_text(error), "error")
    else:
        ctx.flash(_STATUS_MESSAGES[status])
    return ctx.redirect(ctx.url("event_detail", event_id=event.id))


async def cancel_event(ctx: Ctx) -> Response:
    event = await _managed_event(ctx)
    async with ctx.db.transaction() as session:
        loaded = await session.get_one(Event, event.id)
        queued = await events.cancel_event(
            session=session, event=loaded, actor=actors.staff(ctx.me.login)
        )
    ctx.flash(t.EVENT_CANCELLED.format(notices=queued))
    return ctx.redirect(ctx.url("event_detail", event_id=event.id))


def deep_link(bot_username: str, event_id: int) -> str:
    """The link the bot's /start handler understands (`ev_<id>` opens the registration)."""
    return f"https://t.me/{bot_username.lstrip('@')}?start=ev_{event_id}"


async def event_poster(ctx: Ctx) -> Response:
    """A printable A4 poster: title, time, place and a QR code of the bot's deep link."""
    event = await _event(ctx)
    username = ctx.state.bot_username
    link = deep_link(username, event.id) if username else None
    svg = qr.svg(link) if link else None
    return await ctx.render("poster.html", event=event, link=link, qr_svg=svg)
