"""The one outbox `Renderer`: template key + params -> Vietnamese HTML message with buttons.

bot.application passes `render` to the dispatcher. Params were written by the services when
the row was queued (services.outbox.event_params, services.handoff); they are read
defensively because a row may have been queued by an older version. An unknown template
raises, and the dispatcher records the row as failed with the template named, rather than
sending something wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from bot.chat import callbacks as cb
from bot.chat import keyboards
from bot.chat.screens import MENU
from bot.outbox.queue import RenderedMessage, Template
from bot.texts import handoff as handoff_texts
from bot.texts import notifications as texts
from bot.texts.registration import event_details


class RenderError(ValueError):
    """The params do not hold what the template needs (the message names the key)."""


def _time(params: Mapping[str, Any], key: str) -> datetime:
    raw = params.get(key)
    if not isinstance(raw, str):
        raise RenderError(f"param {key!r} missing or not an ISO time: {raw!r}")
    try:
        value = datetime.fromisoformat(raw)
    except ValueError as error:
        raise RenderError(f"param {key!r} is not an ISO time: {raw!r}") from error
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _text(params: Mapping[str, Any], key: str) -> str:
    value = params.get(key)
    return value if isinstance(value, str) else ""


def _int(params: Mapping[str, Any], key: str) -> int | None:
    value = params.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _event_id(params: Mapping[str, Any]) -> int:
    value = _int(params, "event_id")
    if value is None:
        raise RenderError("param 'event_id' missing")
    return value


def _details(params: Mapping[str, Any]) -> str:
    """Title, local time and place of the event the message is about."""
    return event_details(
        title=_text(params, "title"),
        starts_at=_time(params, "starts_at"),
        venue=_text(params, "venue"),
        venue_map_url=_text(params, "venue_map_url") or None,
    )


def _reminder(params: Mapping[str, Any]) -> RenderedMessage:
    text = texts.reminder(
        _details(params),
        kind=_text(params, "kind"),
        bring=_text(params, "what_to_bring"),
        offset_minutes=_int(params, "offset_minutes"),
    )
    return RenderedMessage(text, keyboards.reminder_buttons(_event_id(params)))


def _promoted(params: Mapping[str, Any]) -> RenderedMessage:
    text = texts.promoted(_details(params), bring=_text(params, "what_to_bring"))
    return RenderedMessage(text, keyboards.my_registrations_button())


def _approved(params: Mapping[str, Any]) -> RenderedMessage:
    text = texts.approved(
        _details(params),
        status=_text(params, "status") or "confirmed",
        position=_int(params, "waitlist_position"),
    )
    return RenderedMessage(text, keyboards.my_registrations_button())


def _rejected(params: Mapping[str, Any]) -> RenderedMessage:
    return RenderedMessage(texts.rejected(title=_text(params, "title")))


def _changed(params: Mapping[str, Any]) -> RenderedMessage:
    fields = params.get("changed")
    text = texts.changed(
        _details(params),
        ends_at=_time(params, "ends_at"),
        fields=[f for f in fields if isinstance(f, str)] if isinstance(fields, list) else [],
    )
    return RenderedMessage(text, keyboards.my_registrations_button())


def _cancelled(params: Mapping[str, Any]) -> RenderedMessage:
    text = texts.cancelled(title=_text(params, "title"), starts_at=_time(params, "starts_at"))
    return RenderedMessage(text)


def _broadcast(params: Mapping[str, Any]) -> RenderedMessage:
    body = _text(params, "text")
    if not body.strip():
        raise RenderError("param 'text' missing or empty")
    return RenderedMessage(texts.broadcast(text=body, title=_text(params, "title") or None))


def _officer_answer(params: Mapping[str, Any]) -> RenderedMessage:
    """The officer's answer to a citizen's question, escaped, with a way back."""
    text = handoff_texts.officer_answer(params.get("ticket_id", "?"), params.get("text", ""))
    ask_more = keyboards.button(handoff_texts.BUTTON_ASK_MORE, cb.HANDOFF, "ask")
    return RenderedMessage(text, ((ask_more,), (MENU,)))


_RENDERERS: dict[str, Callable[[Mapping[str, Any]], RenderedMessage]] = {
    Template.REMINDER.value: _reminder,
    Template.PROMOTED.value: _promoted,
    Template.APPROVED.value: _approved,
    Template.REJECTED.value: _rejected,
    Template.EVENT_CHANGED.value: _changed,
    Template.EVENT_CANCELLED.value: _cancelled,
    Template.BROADCAST.value: _broadcast,
}


#: The templates about registrations and events (params from services.outbox.event_params);
#: the officer's answer (handoff.reply) is the one other template, worded by `_officer_answer`.
TEMPLATES: frozenset[str] = frozenset(_RENDERERS)


def render(template: str, params: Mapping[str, Any]) -> RenderedMessage:
    """The message for an outbox row (matches services.outbox.Renderer)."""
    if template == Template.HANDOFF_REPLY:
        return _officer_answer(params)
    renderer = _RENDERERS.get(template)
    if renderer is None:
        raise RenderError(f"no wording for template {template!r}")
    return renderer(params)
