"""Announcements: to an event's registrants or to the subscribers of announcements, with a
preview of the exact text and the number of people it reaches, then send.

The send step carries a signature of exactly what was previewed (audience, statuses, text);
if anything changed in between, nothing is sent and the preview is shown again. An officer
reaches only the citizens of their commune (the audience is counted and queued inside the
scope); an admin reaches everyone. Telegram's limits hold: the text is at most 4,096
characters and the outbox sends at the rate bot.outbox.rate_limit allows.
"""

from __future__ import annotations

import hashlib
import hmac
import json

from starlette.responses import Response

from bot.dashboard import telegram_html
from bot.dashboard.core import Ctx, not_found
from bot.dashboard.forms import nfc
from bot.dashboard.views.events import refusal_text
from bot.db.enums import RegistrationStatus
from bot.db.models import Event
from bot.services import actors, broadcast, reporting
from bot.services.errors import DeskError
from bot.texts import dashboard as t
from bot.texts import notifications as citizen_texts

STATUS_CHOICES = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.PENDING,
    RegistrationStatus.ATTENDED,
)
SUBSCRIBERS = "subscribers"


def _signature(ctx: Ctx, audience: str, statuses: list[str], text: str) -> str:
    payload = json.dumps(
        [audience, sorted(statuses), text, ctx.me.commune_scope], ensure_ascii=False
    ).encode()
    key = hashlib.sha256(("broadcast:" + ctx.session.csrf).encode()).digest()
    return hmac.new(key, payload, hashlib.sha256).hexdigest()


async def _page(ctx: Ctx, *, status: int = 200, **values: object) -> Response:
    async with ctx.db.transaction() as session:
        event_list = await reporting.list_events(session, include_cancelled=False)
    defaults: dict[str, object] = {
        "audience": "",
        "chosen": [RegistrationStatus.CONFIRMED.value],
        "text": "",
        "preview": None,
        "error": None,
    }
    defaults.update(values)
    return await ctx.render(
        "broadcast.html",
        status=status,
        events=event_list,
        choices=STATUS_CHOICES,
        subscribers=SUBSCRIBERS,
        max_text=broadcast.TELEGRAM_MAX_TEXT,
        **defaults,
    )


async def broadcast_form(ctx: Ctx) -> Response:
    event = ctx.request.query_params.get("event", "")
    return await _page(ctx, audience=event if event.isdigit() else "")


def _read(ctx: Ctx) -> tuple[str, int | None, list[str], str]:
    """(audience as posted, event id or None for subscribers, statuses, text)."""
    audience = ctx.field("event")
    allowed = {status.value for status in STATUS_CHOICES}
    chosen = sorted({s for s in ctx.fields("statuses") if s in allowed})
    event_id = int(audience) if audience.isdigit() else None
    if audience != SUBSCRIBERS and event_id is None:
        audience = ""
    return audience, event_id, chosen, nfc(ctx.field("text"))


def _problem(audience: str, chosen: list[str], text: str) -> str | None:
    if not audience:
        return t.BROADCAST_NO_EVENT
    if audience != SUBSCRIBERS and not chosen:
        return t.BROADCAST_NO_STATUS
    if not text:
        return t.REFUSALS["empty_message"]
    if len(text) > broadcast.TELEGRAM_MAX_TEXT:
        return t.REFUSALS["message_too_long"]
    return None


async def preview(ctx: Ctx) -> Response:
    """Show the text as it will be sent and how many people it reaches."""
    audience, event_id, chosen, text = _read(ctx)
    error = _problem(audience, chosen, text)
    if error:
        return await _page(
            ctx, status=400, audience=audience, chosen=chosen, text=text, error=error
        )
    async with ctx.db.transaction() as session:
        event = await session.get(Event, event_id) if event_id is not None else None
        if event_id is not None and event is None:
            raise not_found()
        reachable, unreachable = await reporting.broadcast_audience(
            session,
            event_id=event_id,
            statuses=tuple(RegistrationStatus(s) for s in chosen),
            scope=ctx.me.commune_scope,
        )
    preview_data = {
        "event": event,
        # exactly what the citizen will read (the outbox renders the same text at send time)
        "rendered": telegram_html.render(
            citizen_texts.broadcast(text=text, title=event.title if event else None)
        ),
        "reachable": reachable,
        "unreachable": unreachable,
        "signature": _signature(ctx, audience, chosen, text),
    }
    return await _page(ctx, audience=audience, chosen=chosen, text=text, preview=preview_data)


async def send(ctx: Ctx) -> Response:
    """Queue the previewed text to every reachable person of the audience (audited)."""
    audience, event_id, chosen, text = _read(ctx)
    signature = ctx.field("signature")
    if not audience or not hmac.compare_digest(signature, _signature(ctx, audience, chosen, text)):
        return await _page(
            ctx, status=409, audience=audience, chosen=chosen, text=text, error=t.BROADCAST_STALE
        )
    actor = actors.staff(ctx.me.login)
    scope = ctx.me.commune_scope
    try:
        async with ctx.db.transaction() as session:
            if event_id is None:
                result = await broadcast.broadcast_to_opted_in(
                    session=session, text=text, actor=actor, commune=scope
                )
            else:
                event = await session.get(Event, event_id)
                if event is None:
                    raise not_found()
                result = await broadcast.broadcast_to_event(
                    session=session,
                    event=event,
                    text=text,
                    actor=actor,
                    statuses=tuple(RegistrationStatus(s) for s in chosen),
                    commune=scope,
                )
    except DeskError as error:
        return await _page(
            ctx, status=400, audience=audience, chosen=chosen, text=text,
            error=refusal_text(error),
        )  # fmt: skip
    ctx.flash(t.BROADCAST_SENT.format(queued=result.queued, skipped=result.skipped_unreachable))
    if event_id is None:
        return ctx.redirect(ctx.url("broadcast"))
    return ctx.redirect(ctx.url("event_detail", event_id=event_id))
