"""Announcements to an event's registrants: preview with the recipient count, then send.

The send step carries a signature of exactly what was previewed (event, statuses, text); if
anything changed in between, nothing is sent and the preview is shown again. Broadcasts reach
citizens of every commune, so they are for admins.
"""

from __future__ import annotations

import hashlib
import hmac
import json

from starlette.responses import Response

from bot.dashboard.core import Ctx, not_found
from bot.dashboard.forms import nfc
from bot.dashboard.views.events import refusal_text
from bot.db.enums import RegistrationStatus
from bot.db.models import Event
from bot.services import actors, broadcast, reporting
from bot.services.errors import DeskError
from bot.texts import dashboard as t

STATUS_CHOICES = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.PENDING,
    RegistrationStatus.ATTENDED,
)


def _signature(ctx: Ctx, event_id: int, statuses: list[str], text: str) -> str:
    payload = json.dumps([event_id, sorted(statuses), text], ensure_ascii=False).encode()
    key = hashlib.sha256(("broadcast:" + ctx.session.csrf).encode()).digest()
    return hmac.new(key, payload, hashlib.sha256).hexdigest()


async def _page(ctx: Ctx, *, status: int = 200, **values: object) -> Response:
    async with ctx.db.transaction() as session:
        event_list = await reporting.list_events(session, include_cancelled=False)
    defaults: dict[str, object] = {
        "event_id": None,
        "chosen": [RegistrationStatus.CONFIRMED.value],
        "text": "",
        "preview": None,
        "error": None,
    }
    defaults.update(values)
    return await ctx.render(
        "broadcast.html", status=status, events=event_list, choices=STATUS_CHOICES, **defaults
    )


async def broadcast_form(ctx: Ctx) -> Response:
    event = ctx.request.query_params.get("event", "")
    return await _page(ctx, event_id=int(event) if event.isdigit() else None)


def _read(ctx: Ctx) -> tuple[int | None, list[str], str]:
    event = ctx.field("event")
    allowed = {status.value for status in STATUS_CHOICES}
    chosen = sorted({s for s in ctx.fields("statuses") if s in allowed})
    return (int(event) if event.isdigit() else None), chosen, nfc(ctx.field("text"))


async def preview(ctx: Ctx) -> Response:
    """Show the text as it will be sent and how many people it reaches."""
    event_id, chosen, text = _read(ctx)
    error = None
    if event_id is None:
        error = t.BROADCAST_NO_EVENT
    elif not chosen:
        error = t.BROADCAST_NO_STATUS
    elif not text:
        error = t.REFUSALS["empty_message"]
    elif len(text) > broadcast.TELEGRAM_MAX_TEXT:
        error = t.REFUSALS["message_too_long"]
    if error or event_id is None:
        return await _page(
            ctx, status=400, event_id=event_id, chosen=chosen, text=text, error=error
        )
    async with ctx.db.transaction() as session:
        event = await session.get(Event, event_id)
        if event is None:
            raise not_found()
        reachable, unreachable = await reporting.broadcast_audience(
            session, event_id=event_id, statuses=tuple(RegistrationStatus(s) for s in chosen)
        )
    preview_data = {
        "event": event,
        "reachable": reachable,
        "unreachable": unreachable,
        "signature": _signature(ctx, event_id, chosen, text),
    }
    return await _page(ctx, event_id=event_id, chosen=chosen, text=text, preview=preview_data)


async def send(ctx: Ctx) -> Response:
    """Queue the previewed text to every reachable registrant (services.broadcast, audited)."""
    event_id, chosen, text = _read(ctx)
    signature = ctx.field("signature")
    if event_id is None or not hmac.compare_digest(
        signature, _signature(ctx, event_id, chosen, text)
    ):
        return await _page(
            ctx, status=409, event_id=event_id, chosen=chosen, text=text, error=t.BROADCAST_STALE
        )
    try:
        async with ctx.db.transaction() as session:
            event = await session.get_one(Event, event_id)
            result = await broadcast.broadcast_to_event(
                session=session,
                event=event,
                text=text,
                actor=actors.staff(ctx.me.login),
                statuses=tuple(RegistrationStatus(s) for s in chosen),
            )
    except DeskError as error:
        return await _page(
            ctx, status=400, event_id=event_id, chosen=chosen, text=text, error=refusal_text(error)
        )
    ctx.flash(t.BROADCAST_SENT.format(queued=result.queued, skipped=result.skipped_unreachable))
    return ctx.redirect(ctx.url("event_detail", event_id=event_id))
