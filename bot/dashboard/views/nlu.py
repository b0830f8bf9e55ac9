"""Review of messages the bot did not understand: staff name the right intent.

Labelled items export as a Rasa NLU YAML file (services.nlu_review.export_rasa_yaml) that a
developer adds to nlu/data/ before the next training. The texts are citizens' own words:
officers (and viewers bound to a commune) see and label only their commune's messages, admins
all; every export is audited; erasing a citizen blanks their messages here.
"""

from __future__ import annotations

from starlette.responses import Response

from bot.dashboard.core import Ctx, not_found
from bot.knowledge.intents import CONTRACT_INTENTS
from bot.services import actors, audit, nlu_review
from bot.services.clock import to_local, utcnow
from bot.texts import dashboard as t

OUT_OF_SCOPE = "out_of_scope"
#: The choices offered: every contract intent except "out of scope", which has its own option.
CHOICES = tuple(intent for intent in CONTRACT_INTENTS if intent != OUT_OF_SCOPE)


async def review_list(ctx: Ctx) -> Response:
    scope = ctx.me.commune_scope
    async with ctx.db.transaction() as session:
        items = await nlu_review.pending(session, limit=100, scope=scope)
        reviewed = await nlu_review.reviewed_count(session, scope=scope)
    return await ctx.render(
        "nlu.html", items=items, choices=CHOICES, reviewed=reviewed, out_of_scope=OUT_OF_SCOPE
    )


async def label(ctx: Ctx) -> Response:
    """Record the chosen intent ("out of scope" is stored as such, not as an intent)."""
    item_id = int(ctx.request.path_params["item_id"])
    choice = ctx.field("intent")
    if choice != OUT_OF_SCOPE and choice not in CHOICES:
        ctx.flash(t.NLU_UNKNOWN_INTENT, "error")
        return ctx.redirect(ctx.url("nlu"))
    now = utcnow()
    async with ctx.db.transaction() as session:
        item = await nlu_review.item_in_scope(session, item_id, scope=ctx.me.commune_scope)
        if item is None:
            raise not_found()
        predicted = item.predicted_intent
        await nlu_review.label(
            session,
            item_id=item_id,
            intent=None if choice == OUT_OF_SCOPE else choice,
            staff_login=ctx.me.login,
            now=now,
        )
        audit.record(
            session,
            actor=actors.staff(ctx.me.login),
            action="nlu.label",
            entity_type="nlu_review_item",
            entity_id=item_id,
            before={"predicted_intent": predicted},
            after={"labelled_intent": choice},
            at=now,
        )
    ctx.flash(t.NLU_LABELLED.format(id=item_id))
    return ctx.redirect(ctx.url("nlu") + f"#item-{item_id}")


async def export_yaml(ctx: Ctx) -> Response:
    """Reviewed items as `nlu/data`-ready Rasa YAML, downloaded as a file."""
    scope = ctx.me.commune_scope
    now = utcnow()
    async with ctx.db.transaction() as session:
        exported = await nlu_review.export_rasa_yaml(session, scope=scope)
        audit.record_export(
            session,
            actor=actors.staff(ctx.me.login),
            what="nlu_review",
            file_format="yml",
            filters={},
            scope=scope,
            rows=exported.rows,
            at=now,
        )
    stamp = to_local(now).strftime("%Y%m%d")
    return Response(
        exported.body,
        media_type="application/x-yaml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="nlu-review-{stamp}.yml"'},
    )
