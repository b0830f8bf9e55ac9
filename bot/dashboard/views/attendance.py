"""The printable sign-in sheet of an event: who holds a seat, sorted by given name."""

from __future__ import annotations

from starlette.responses import Response

from bot.dashboard.core import Ctx, not_found
from bot.db.models import Event
from bot.services import reporting
from bot.services.clock import utcnow


async def attendance_sheet(ctx: Ctx) -> Response:
    """One line per seat holder with an empty signature column; print CSS makes it A4."""
    event_id = ctx.request.path_params["event_id"]
    async with ctx.db.transaction() as session:
        event = await session.get(Event, event_id)
        if event is None:
            raise not_found()
        rows = await reporting.attendance_rows(
            session, event_id=event.id, scope=ctx.me.commune_scope
        )
    return await ctx.render("attendance.html", event=event, rows=rows, printed_at=utcnow())
