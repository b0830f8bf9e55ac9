"""Knowledge pages: facts and answers with their sources, preview as Telegram shows it, publish,
history with rollback, the stale list, and the YAML export.

Thin HTTP glue: every rule (who may edit what, validation, versioning, audit) lives in
bot.services.knowledge_admin. Publishing carries a signature of exactly what was previewed;
if the form changed in between, nothing is published and the preview is shown again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Awaitable, Callable

from starlette.responses import Response

from bot.dashboard import telegram_html
from bot.dashboard.core import Ctx, DashboardError, not_found
from bot.dashboard.forms import nfc
from bot.knowledge.store import KnowledgeStore, latest_overrides
from bot.services import actors, knowledge_admin
from bot.services.clock import utcnow
from bot.services.knowledge_admin import (
    AnswerChange,
    EditRefused,
    FactChange,
    Preview,
    SourceGiven,
)
from bot.texts import knowledge_admin as k


def _store(ctx: Ctx) -> KnowledgeStore:
    store = ctx.state.knowledge
    if store is None:
        raise not_found()
    return store


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise EditRefused([k.BAD_DATE]) from None


def _source(ctx: Ctx) -> SourceGiven:
    day = ctx.field("source_date")
    return SourceGiven(
        document=nfc(ctx.field("source_document")),
        document_date=_date(day) if day else None,
        url=ctx.field("source_url") or None,
        checked_on=_date(ctx.field("checked_on")),
    )


def _signature(ctx: Ctx, payload: object) -> str:
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str).encode()
    key = hashlib.sha256(("knowledge:" + ctx.session.csrf).encode()).digest()
    return hmac.new(key, data, hashlib.sha256).hexdigest()


async def knowledge_home(ctx: Ctx) -> Response:
    store = _store(ctx)
    await store.refresh()
    async with ctx.db.transaction() as session:
        versions = await knowledge_admin.history(session)
    summary = knowledge_admin.overview(store.current, ctx.me)
    return await ctx.render(
        "knowledge.html", k=k, summary=summary, versions=versions,
        can_edit_facts=knowledge_admin.can_edit_facts(ctx.me),
    )  # fmt: skip


# -- facts ----------------------------------------------------------------------------------


async def fact_form(ctx: Ctx) -> Response:
    store = _store(ctx)
    await store.refresh()
    name = ctx.request.path_params["fact"]
    if name not in store.current.facts or not knowledge_admin.can_edit_facts(ctx.me):
        raise not_found()
    return await _fact_page(ctx, store, name, values={"checked_on": store.clock().isoformat()})


async def _fact_page(
    ctx: Ctx,
    store: KnowledgeStore,
    name: str,
    *,
    values: dict[str, str],
    preview: knowledge_admin.Preview | None = None,
    problems: list[str] | None = None,
    status: int = 200,
) -> Response:
    fact = store.current.facts.facts[name]
    return await ctx.render(
        "knowledge_fact.html", status=status, k=k, name=name, fact=fact, values=values,
        preview=preview, problems=problems or [],
        rendered=telegram_html.render(preview.answer.render_html()) if preview else None,
        signature=_signature(ctx, ["fact", name, values]) if preview else "",
        current_value=store.current.facts.on(name, store.clock()).display(),
    )  # fmt: skip


def _fact_values(ctx: Ctx) -> dict[str, str]:
    names = (
        "value",
        "valid_from",
        "grade",
        "source_document",
        "source_date",
        "source_url",
        "checked_on",
    )
    return {name: nfc(ctx.field(name)) for name in names}


def _fact_change(name: str, values: dict[str, str], source: SourceGiven) -> FactChange:
    grade = values["grade"] if values["grade"] in k.GRADES else "S"
    return FactChange(
        name=name,
        value=values["value"],
        valid_from=_date(values["valid_from"]),
        source=source,
        grade=grade,
    )


async def fact_preview(ctx: Ctx) -> Response:
    store = _store(ctx)
    await store.refresh()
    name = ctx.request.path_params["fact"]
    if name not in store.current.facts:
        raise not_found()
    values = _fact_values(ctx)
    try:
        preview = knowledge_admin.preview_fact(
            store, ctx.me, _fact_change(name, values, _source(ctx))
        )
    except EditRefused as refused:
        return await _fact_page(
            ctx, store, name, values=values, problems=refused.problems, status=422
        )
    return await _fact_page(ctx, store, name, values=values, preview=preview)


async def fact_publish(ctx: Ctx) -> Response:
    store = _store(ctx)
    await store.refresh()
    name = ctx.request.path_params["fact"]
    if name not in store.current.facts:
        raise not_found()
    values = _fact_values(ctx)
    if not hmac.compare_digest(ctx.field("signature"), _signature(ctx, ["fact", name, values])):
        return await _fact_page(
            ctx, store, name, values=values, problems=[k.CHANGED_SINCE_PREVIEW], status=409
        )
    return await _publish(
        ctx,
        store,
        lambda source: knowledge_admin.preview_fact(
            store, ctx.me, _fact_change(name, values, source)
        ),
        lambda problems: _fact_page(ctx, store, name, values=values, problems=problems, status=422),
    )


async def _publish(
    ctx: Ctx,
    store: KnowledgeStore,
    preview_of: Callable[[SourceGiven], Preview],
    refused_page: Callable[[list[str]], Awaitable[Response]],
) -> Response:
    """Publish the previewed edit (fact or answer) and go back to the list; a refused edit
    shows its form again with the loader's reasons."""
    try:
        source = _source(ctx)
        preview = preview_of(source)
        async with ctx.db.transaction() as session:
            row = await knowledge_admin.publish(
                session,
                store,
                preview,
                actor=actors.staff(ctx.me.login),
                source=source,
                now=utcnow(),
            )
            version_id = row.id
    except EditRefused as refused:
        return await refused_page(refused.problems)
    await store.refresh()
    ctx.flash(k.PUBLISHED.format(id=version_id))
    return ctx.redirect(ctx.url("knowledge"))


# -- answers --------------------------------------------------------------------------------


def _answer_target(ctx: Ctx, store: KnowledgeStore) -> tuple[str, str, str]:
    intent = ctx.request.path_params["intent"]
    variant_key = ctx.request.query_params.get("variant") or ctx.field("variant") or "default"
    entry = store.current.entries.get(intent)
    variant = None
    if entry is not None:
        variant = next((v for v in entry.all_variants() if v.key == variant_key), None)
    if variant is None:
        raise not_found()
    if not knowledge_admin.can_edit_answer(ctx.me, intent, variant_key):
        raise DashboardError(403, k.NOT_ALLOWED)
    return intent, variant_key, variant.text


async def answer_form(ctx: Ctx) -> Response:
    store = _store(ctx)
    await store.refresh()
    intent, variant_key, text = _answer_target(ctx, store)
    values = {"text": text, "checked_on": store.clock().isoformat()}
    return await _answer_page(ctx, intent, variant_key, values=values)


async def _answer_page(
    ctx: Ctx,
    intent: str,
    variant_key: str,
    *,
    values: dict[str, str],
    preview: knowledge_admin.Preview | None = None,
    problems: list[str] | None = None,
    status: int = 200,
) -> Response:
    return await ctx.render(
        "knowledge_answer.html", status=status, k=k, intent=intent, variant_key=variant_key,
        values=values, preview=preview, problems=problems or [],
        rendered=telegram_html.render(preview.answer.render_html()) if preview else None,
        signature=_signature(ctx, ["answer", intent, variant_key, values]) if preview else "",
    )  # fmt: skip


def _answer_values(ctx: Ctx) -> dict[str, str]:
    names = ("text", "source_document", "source_date", "source_url", "checked_on")
    return {name: nfc(ctx.field(name)) for name in names}


async def answer_preview(ctx: Ctx) -> Response:
    store = _store(ctx)
    await store.refresh()
    intent, variant_key, _ = _answer_target(ctx, store)
    values = _answer_values(ctx)
    try:
        change = AnswerChange(intent, variant_key, values["text"], _source(ctx))
        preview = knowledge_admin.preview_answer(store, ctx.me, change)
    except EditRefused as refused:
        return await _answer_page(
            ctx, intent, variant_key, values=values, problems=refused.problems, status=422
        )
    return await _answer_page(ctx, intent, variant_key, values=values, preview=preview)


async def answer_publish(ctx: Ctx) -> Response:
    store = _store(ctx)
    await store.refresh()
    intent, variant_key, _ = _answer_target(ctx, store)
    values = _answer_values(ctx)
    expected = _signature(ctx, ["answer", intent, variant_key, values])
    if not hmac.compare_digest(ctx.field("signature"), expected):
        return await _answer_page(
            ctx, intent, variant_key, values=values, problems=[k.CHANGED_SINCE_PREVIEW], status=409
        )
    return await _publish(
        ctx,
        store,
        lambda source: knowledge_admin.preview_answer(
            store, ctx.me, AnswerChange(intent, variant_key, values["text"], source)
        ),
        lambda problems: _answer_page(
            ctx, intent, variant_key, values=values, problems=problems, status=422
        ),
    )


# -- history --------------------------------------------------------------------------------


async def rollback(ctx: Ctx) -> Response:
    store = _store(ctx)
    await store.refresh()
    version_id = int(ctx.request.path_params["version_id"])
    try:
        async with ctx.db.transaction() as session:
            undo = await knowledge_admin.rollback(
                session,
                store,
                version_id,
                who=ctx.me,
                actor=actors.staff(ctx.me.login),
                now=utcnow(),
            )
            restored = undo.restores_id
    except EditRefused as refused:
        ctx.flash(f"{k.REFUSED} {' '.join(refused.problems)}", "error")
        return ctx.redirect(ctx.url("knowledge"))
    await store.refresh()
    ctx.flash(k.ROLLED_BACK.format(id=restored if restored is not None else "YAML"))
    return ctx.redirect(ctx.url("knowledge"))


async def export_yaml(ctx: Ctx) -> Response:
    store = _store(ctx)
    async with ctx.db.transaction() as session:
        overrides = {key: o.body for key, o in (await latest_overrides(session)).items()}
    text = knowledge_admin.export_yaml(store, overrides)
    return Response(
        text, media_type="application/x-yaml; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="knowledge.yml"'},
    )  # fmt: skip
