"""The multi-step flows (bot.flows: registration, eligibility, my registrations), by contract.

bot.flows is written alongside this package; the handlers use only its published contract
(`flow_handlers`, `continue_flow`, `start_registration`, `start_eligibility`,
`show_my_registrations`, and `notifications.render` for the outbox) and look it up lazily, so
the bot still starts, answers questions and hands over to officers when the flows are missing
or incomplete: the citizen is then told the feature is being updated. An import error
*inside* bot.flows is a bug and is raised.
"""

from __future__ import annotations

import functools
import importlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from types import ModuleType
from typing import Any, cast

from telegram import Update
from telegram.ext import BaseHandler

from bot.handlers import views
from bot.handlers.common import AnyContext, send
from bot.outbox.queue import RenderedMessage, Renderer, Template
from bot.texts import common as texts

log = logging.getLogger(__name__)

FLOWS_MODULE = "bot.flows"
FlowCallable = Callable[..., Awaitable[Any]]


@functools.cache
def _module() -> ModuleType | None:
    try:
        return importlib.import_module(FLOWS_MODULE)
    except ModuleNotFoundError as error:
        if error.name != FLOWS_MODULE:
            raise
        return None


def _contract(name: str) -> FlowCallable | None:
    module = _module()
    found = getattr(module, name, None) if module is not None else None
    if found is None:
        log.warning("%s.%s is not available; the feature is degraded", FLOWS_MODULE, name)
        return None
    return cast(FlowCallable, found)


def flow_handlers() -> list[BaseHandler[Any, Any, Any]]:
    """The flows' handlers (buttons, contact, /dangky, /huy), or none while they are missing."""
    factory = _contract("flow_handlers")
    if factory is None:
        return []
    handlers = cast(Callable[[], list[BaseHandler[Any, Any, Any]]], factory)()
    return list(handlers)


async def continue_flow(update: Update, context: AnyContext) -> bool:
    """True when an active form or check took the message."""
    step = _contract("continue_flow")
    return bool(await step(update, context)) if step is not None else False


async def start_registration(
    update: Update,
    context: AnyContext,
    *,
    kind: str | None,
    entities: Mapping[str, str],
    event_id: int | None = None,
) -> None:
    """Open events of `kind` (an EventKind value), or the form of `event_id` (deep link)."""
    start = _contract("start_registration")
    if start is None:
        await unavailable(update, context)
        return
    await start(update, context, kind=kind, entities=entities, event_id=event_id)


async def start_eligibility(update: Update, context: AnyContext, *, check: str) -> None:
    """The quick check "housing" or "allowance"."""
    start = _contract("start_eligibility")
    if start is None:
        await unavailable(update, context)
        return
    await start(update, context, check=check)


async def show_my_registrations(update: Update, context: AnyContext) -> None:
    show = _contract("show_my_registrations")
    if show is None:
        await unavailable(update, context)
        return
    await show(update, context)


async def unavailable(update: Update, context: AnyContext) -> None:
    """The feature's module is missing: say so and offer the menu and the officer."""
    await send(update, context, views.main_menu(texts.FEATURE_UNAVAILABLE))


# -- outbox wording ---------------------------------------------------------------------------

def outbox_renderer() -> Renderer:
    """Wording of queued messages: the officer's answer from views, the rest from bot.flows."""
    flows_render = _flows_renderer()

    def render(template: str, params: Mapping[str, Any]) -> RenderedMessage:
        if template == Template.HANDOFF_REPLY:
            return views.handoff_reply(template, params)
        if flows_render is None:
            # The dispatcher records the row as failed with this reason; no raw JSON is sent.
            raise LookupError(f"no wording for {template!r}: bot.flows.notifications is missing")
        return flows_render(template, params)

    return render


def _flows_renderer() -> Renderer | None:
    try:
        module = importlib.import_module("bot.flows.notifications")
    except ModuleNotFoundError as error:
        if error.name not in {"bot.flows", "bot.flows.notifications"}:
            raise
        log.warning("bot.flows.notifications is missing: reminders cannot be worded")
        return None
    found: Renderer | None = getattr(module, "render", None)
    return found
