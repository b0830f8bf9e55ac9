"""The citizen page: profile (correctable, audited), registrations, questions, notes, consent
and erasure state, and records that look like the same person (merge or "not the same").

Everything is inside the staff member's commune scope: a citizen of another commune is "not
found". Services do the changes and the auditing (services.citizens); this module reads the
forms and words the outcome.
"""

from __future__ import annotations

from starlette.responses import Response

from bot.dashboard.core import Ctx, DashboardError, not_found
from bot.dashboard.forms import nfc
from bot.db.models import Citizen
from bot.services import actors, citizens
from bot.services.communes import COMMUNES, OUTSIDE
from bot.services.errors import DeskError
from bot.services.phones import InvalidPhone
from bot.services.reporting import citizens as citizen_pages
from bot.texts import dashboard as t


async def _citizen(ctx: Ctx, session: object, key: str = "citizen_id") -> Citizen:
    citizen = await citizen_pages.citizen_in_scope(
        session,  # type: ignore[arg-type]
        citizen_id=int(ctx.request.path_params[key]),
        scope=ctx.me.commune_scope,
    )
    if citizen is None:
        raise not_found()
    return citizen


async def _page(
    ctx: Ctx, *, error: str | None = None, values: dict[str, object] | None = None
) -> Response:
    async with ctx.db.transaction() as session:
        citizen = await _citizen(ctx, session)
        file = await citizen_pages.citizen_file(
            session, citizen=citizen, scope=ctx.me.commune_scope
        )
    communes = [c for c in COMMUNES if c != OUTSIDE] + [OUTSIDE]
    return await ctx.render(
        "citizen.html",
        status=400 if error else 200,
        file=file,
        c=file.citizen,
        error=error,
        values=values or {},
        communes=communes,
        groups=sorted(citizens.TARGET_GROUPS, key=lambda code: t.TARGET_GROUPS.get(code, code)),
    )


async def citizen_page(ctx: Ctx) -> Response:
    return await _page(ctx)


async def update_profile(ctx: Ctx) -> Response:
    """A correction of the profile; an officer cannot move a person out of their commune."""
    birth = ctx.field("birth_year")
    commune = ctx.field("commune") or None
    if ctx.me.commune_scope is not None:
        commune = ctx.me.commune_scope
    groups = tuple(g for g in ctx.fields("target_groups") if g in citizens.TARGET_GROUPS)
    if birth and not birth.isdigit():
        return await _page(ctx, error=t.CITIZEN_BAD_BIRTH_YEAR)
    profile = citizens.CitizenProfile(
        full_name=nfc(ctx.field("full_name")),
        phone=ctx.field("phone") or None,
        birth_year=int(birth) if birth else None,
        commune=commune,
        target_groups=groups,
    )
    try:
        async with ctx.db.transaction() as session:
            citizen = await _citizen(ctx, session)
            if citizen.erased_at is not None:
                raise DashboardError(409, t.CITIZEN_ERASED)
            await citizens.update_citizen(
                session=session, citizen=citizen, profile=profile,
                actor=actors.staff(ctx.me.login),
            )  # fmt: skip
    except InvalidPhone:
        return await _page(ctx, error=t.CITIZEN_BAD_PHONE)
    except DeskError as error:
        return await _page(ctx, error=t.CITIZEN_REFUSALS.get(error.reason.value, str(error.reason)))
    ctx.flash(t.CITIZEN_SAVED)
    return ctx.redirect(ctx.url("citizen", citizen_id=ctx.request.path_params["citizen_id"]))


async def add_note(ctx: Ctx) -> Response:
    async with ctx.db.transaction() as session:
        citizen = await _citizen(ctx, session)
        note = await citizens.add_note(
            session=session, citizen=citizen, text=ctx.field("text"),
            actor=actors.staff(ctx.me.login),
        )  # fmt: skip
    ctx.flash(t.CITIZEN_NOTE_SAVED if note else t.CITIZEN_NOTE_EMPTY, "ok" if note else "error")
    return ctx.redirect(ctx.url("citizen", citizen_id=citizen.id) + "#notes")


async def decide_duplicate(ctx: Ctx) -> Response:
    """`decision=not_same` records the check; `decision=merge` merges the other record in."""
    decision = ctx.field("decision")
    if decision not in ("not_same", "merge"):
        raise DashboardError(400, t.ERROR_BAD_INPUT.format(detail=decision))
    actor = actors.staff(ctx.me.login)
    async with ctx.db.transaction() as session:
        citizen = await _citizen(ctx, session)
        other = await _citizen(ctx, session, "other_id")
        if decision == "not_same":
            await citizens.mark_not_same(session=session, citizen=citizen, other=other, actor=actor)
            ctx.flash(t.CITIZEN_NOT_SAME)
        else:
            report = await citizens.merge(session=session, keep=citizen, other=other, actor=actor)
            ctx.flash(
                t.CITIZEN_MERGED.format(
                    moved=report.registrations_moved,
                    apart=report.registrations_kept_apart,
                    tickets=report.tickets_moved,
                )
            )
    return ctx.redirect(ctx.url("citizen", citizen_id=citizen.id))
