"""The audit log: every staff change, newest first, as sentences in local time.

Admins read all of it; an officer reads the changes that concern their commune (its
citizens, its events, its tickets), including changes other staff made there.
"""

from __future__ import annotations

from starlette.responses import Response

from bot.dashboard.core import Ctx, DashboardError
from bot.db.enums import StaffRole
from bot.services import reporting, staff
from bot.services.reporting.audit import audit_labels
from bot.texts import dashboard as t


async def audit_log(ctx: Ctx) -> Response:
    params = ctx.request.query_params
    page_text = params.get("page", "1")
    actor = params.get("actor") or ""
    entity = params.get("entity") or ""
    scope = ctx.me.commune_scope
    async with ctx.db.transaction() as session:
        people = [
            user
            for user in await staff.list_staff(session)
            if user.role == StaffRole.ADMIN or scope is None or user.commune == scope
        ]
        logins = {f"staff:{user.login}" for user in people}
        for name, value, allowed in (
            ("actor", actor, logins),
            ("entity", entity, t.AUDIT_ENTITIES),
        ):
            if value and value not in allowed:
                field = t.AUDIT_FILTER_ACTOR if name == "actor" else t.AUDIT_FILTER_ENTITY
                raise DashboardError(400, t.FILTER_INVALID.format(field=field, value=value))
        page = await reporting.audit_page(
            session,
            page=int(page_text) if page_text.isdigit() else 1,
            actor=actor or None,
            entity_type=entity or None,
            scope=scope,
        )
        labels = await audit_labels(session, page.entries)
    return await ctx.render(
        "audit.html",
        page=page,
        labels=labels,
        actor=actor,
        entity=entity,
        people=people,
    )
