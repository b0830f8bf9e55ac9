"""The handoff inbox: citizens' questions for an officer, answered on Telegram via the outbox.

services.handoff records the answer, queues it and writes the audit entry; the dispatcher
delivers it like any other message (rate limits, retries). The inbox filters tickets (open,
answered, answers not delivered, assigned to me, closed history, all), shows each answer's
delivery state, lets staff assign a ticket to one officer of its commune, and says when the
citizen was told to expect an answer if they asked outside working hours.
"""

from __future__ import annotations

from starlette.responses import Response

from bot.dashboard.core import Ctx, DashboardError, not_found
from bot.dashboard.forms import nfc
from bot.db.enums import HandoffStatus, StaffRole
from bot.db.models import StaffUser
from bot.services import handoff, reporting, staff
from bot.services.clock import utcnow
from bot.texts import dashboard as t


def _filter(ctx: Ctx) -> handoff.InboxFilter:
    value = ctx.request.query_params.get("status") or "open"
    if value not in handoff.INBOX_FILTERS:
        raise DashboardError(
            400, t.FILTER_INVALID.format(field=t.FILTER_NAMES["status"], value=value)
        )
    return value


def _assignable(users: list[StaffUser], scope: str | None) -> list[StaffUser]:
    """Who a ticket can be given to: active officers of the scope's commune (all for admins)."""
    return [
        u
        for u in users
        if u.active and u.role == StaffRole.OFFICER and (scope is None or u.commune == scope)
    ]


async def inbox(ctx: Ctx) -> Response:
    """Tickets of the scope under one filter, newest activity first."""
    chosen = _filter(ctx)
    async with ctx.db.transaction() as session:
        tickets = await handoff.list_tickets(
            session, commune=ctx.me.commune_scope, limit=200, inbox=chosen, me=ctx.me.login
        )
        people = await reporting.citizen_labels(session, (v.ticket.citizen_id for v in tickets))
        delivery = await handoff.delivery_states(session, tickets)
        users = _assignable(await staff.list_staff(session), ctx.me.commune_scope)
        deliveries = await handoff.answer_deliveries(session, (v.ticket.id for v in tickets))
    return await ctx.render(
        "handoff.html",
        tickets=tickets,
        people=people,
        statuses=HandoffStatus,
        chosen=chosen,
        filters=handoff.INBOX_FILTERS,
        delivery=delivery,
        officers=users,
        names={u.login: u.full_name for u in users},
        deliveries=deliveries,
    )


def _ticket_id(ctx: Ctx) -> int:
    return int(ctx.request.path_params["ticket_id"])


def _back(ctx: Ctx, ticket_id: int, after: str | None = None) -> str:
    """Back to the inbox at the ticket: under the filter the officer used, or `after` when
    the action moves the ticket out of that filter (an answered ticket is no longer open)."""
    chosen = after or ctx.field("filter")
    query = {"status": chosen} if chosen in handoff.INBOX_FILTERS else None
    return ctx.url("handoff", query) + f"#ticket-{ticket_id}"


async def reply(ctx: Ctx) -> Response:
    text = nfc(ctx.field("text"))
    ticket_id = _ticket_id(ctx)
    if not text:
        ctx.flash(t.HANDOFF_EMPTY_REPLY, "error")
        return ctx.redirect(_back(ctx, ticket_id))
    now = utcnow()
    async with ctx.db.transaction() as session:
        ticket = await reporting.ticket_in_scope(
            session, ticket_id=ticket_id, scope=ctx.me.commune_scope
        )
        if ticket is None or ticket.status == HandoffStatus.CLOSED:
            raise not_found()
        queued = await handoff.reply(
            session, ticket_id=ticket.id, staff_login=ctx.me.login, text=text, now=now
        )
    ctx.flash(t.HANDOFF_REPLIED if queued else t.HANDOFF_REPLIED_UNREACHABLE,
              "ok" if queued else "error")  # fmt: skip
    return ctx.redirect(_back(ctx, ticket_id, "answered" if queued else "undelivered"))


async def close(ctx: Ctx) -> Response:
    ticket_id = _ticket_id(ctx)
    now = utcnow()
    async with ctx.db.transaction() as session:
        ticket = await reporting.ticket_in_scope(
            session, ticket_id=ticket_id, scope=ctx.me.commune_scope
        )
        if ticket is None:
            raise not_found()
        await handoff.close(session, ticket_id=ticket.id, staff_login=ctx.me.login, now=now)
    ctx.flash(t.HANDOFF_CLOSED)
    return ctx.redirect(ctx.url("handoff"))


async def assign(ctx: Ctx) -> Response:
    """Give the ticket to an officer of its commune (or to nobody)."""
    ticket_id = _ticket_id(ctx)
    login = ctx.field("assignee") or None
    async with ctx.db.transaction() as session:
        ticket = await reporting.ticket_in_scope(
            session, ticket_id=ticket_id, scope=ctx.me.commune_scope
        )
        if ticket is None:
            raise not_found()
        if login is not None:
            allowed = {
                u.login for u in _assignable(await staff.list_staff(session), ticket.commune)
            }
            if login not in allowed:
                raise DashboardError(400, t.HANDOFF_ASSIGN_INVALID)
        await handoff.assign(
            session, ticket_id=ticket.id, assignee=login, staff_login=ctx.me.login, now=utcnow()
        )
    ctx.flash(t.HANDOFF_ASSIGNED if login else t.HANDOFF_UNASSIGNED)
    return ctx.redirect(_back(ctx, ticket_id))


async def resend(ctx: Ctx) -> Response:
    """Queue a failed answer again (services.handoff.resend_answer says what was possible)."""
    ticket_id = _ticket_id(ctx)
    message_id = int(ctx.request.path_params["message_id"])
    async with ctx.db.transaction() as session:
        ticket = await reporting.ticket_in_scope(
            session, ticket_id=ticket_id, scope=ctx.me.commune_scope
        )
        if ticket is None:
            raise not_found()
        try:
            status = await handoff.resend_answer(
                session, handoff_message_id=message_id, staff_login=ctx.me.login, now=utcnow()
            )
        except handoff.TicketNotFound:
            raise not_found() from None
    if status.state is handoff.Delivery.QUEUED:
        ctx.flash(t.HANDOFF_RESENT)
    else:
        reason = t.DELIVERY_REASONS.get(status.reason or "other", t.DELIVERY_REASONS["other"])
        ctx.flash(t.HANDOFF_RESEND_REFUSED.format(reason=reason), "error")
    return ctx.redirect(ctx.url("handoff") + f"#ticket-{ticket_id}")
