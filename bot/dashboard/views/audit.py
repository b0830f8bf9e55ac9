"""The audit log for admins: every staff change, newest first."""

from __future__ import annotations

from starlette.responses import Response

from bot.dashboard.core import Ctx
from bot.services import reporting


async def audit_log(ctx: Ctx) -> Response:
    params = ctx.request.query_params
    page_text = params.get("page", "1")
    async with ctx.db.transaction() as session:
        page = await reporting.audit_page(
            session,
            page=int(page_text) if page_text.isdigit() else 1,
            actor=params.get("actor") or None,
            entity_type=params.get("entity") or None,
        )
    return await ctx.render(
        "audit.html", page=page, actor=params.get("actor", ""), entity=params.get("entity", "")
    )
