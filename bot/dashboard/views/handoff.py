"""The handoff inbox: citizens' questions for an officer, answered on Telegram via the outbox.

services.handoff records the answer and queues it; the dispatcher delivers it like any other
message (rate limits, retries) and writes the audit entry (who answered or closed
which ticket; never the text, which is personal data kept only with the ticket).
"""

from __future__ import annotations

from starlette.responses import Response

from bot.dashboard.core import Ctx, not_found
from bot.dashboard.forms import nfc
from bot.db.enums import HandoffStatus
from bot.services import handoff, reporting
from bot.services.clock import utcnow
from bot.texts import dashboard as t


async def inbox(ctx: Ctx) -> Response:
    """Open and answered tickets of the scope, newest activity first."""
    async with ctx.db.transaction() as session:
        tickets = await handoff.list_tickets(session, commune=ctx.me.commune_scope, limit=200)
        people = await reporting.citizen_labels(session, (v.ticket.citizen_id for v in tickets))
        deliveries = await handoff.answer_deliveries(session, (v.ticket.id for v in tickets))
    return await ctx.render(
        "handoff.html",
        tickets=tickets,
        people=people,
        statuses=HandoffStatus,
        deliveries=deliveries,
    )


def _ticket_id(ctx: Ctx) -> int:
    return int(ctx.request.path_params["ticket_id"])


async def reply(ctx: Ctx) -> Response:
    text = nfc(ctx.field("text"))
    ticket_id = _ticket_id(ctx)
    if not text:
        ctx.flash(t.HANDOFF_EMPTY_REPLY, "error")
        return ctx.redirect(ctx.url("handoff") + f"#ticket-{ticket_id}")
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
    return ctx.redirect(ctx.url("handoff") + f"#ticket-{ticket_id}")


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
