"""The audit log: every staff change, newest first, as sentences in local time.

Admins read all of it; an officer reads the changes that concern their commune (its
citizens, its events, its tickets), including changes other staff made there.
"""

from __future__ import annotations

from starlette.responses import Response

from bot.dashboard.core import Ctx
from bot.services import reporting
from bot.services.reporting.audit import audit_labels


async def audit_log(ctx: Ctx) -> Response:
    params = ctx.request.query_params
    page_text = params.get("page", "1")
    async with ctx.db.transaction() as session:
        page = await reporting.audit_page(
            session,
            page=int(page_text) if page_text.isdigit() else 1,
            actor=params.get("actor") or None,
            entity_type=params.get("entity") or None,
            scope=ctx.me.commune_scope,
        )
        labels = await audit_labels(session, page.entries)
    return await ctx.render(
        "audit.html",
        page=page,
        labels=labels,
        actor=params.get("actor", ""),
        entity=params.get("entity", ""),
    )
