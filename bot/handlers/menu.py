"""The menu buttons, and what the bot says to buttons, commands and messages it does not know.

Menu navigation edits the menu message in place (no new message, nothing to scroll past);
the features behind it (eligibility checks, registrations) belong to bot.flows and are opened
through the contract in flows_bridge, so the menu serves every feature even when the NLU server
is down.
"""

from __future__ import annotations

import logging

from telegram import Update

from bot.handlers import callbacks as cb
from bot.handlers import flows_bridge, views
from bot.handlers.answers import open_registration
from bot.handlers.common import AnyContext, Memory, acknowledge, private_user_id, send, show
from bot.texts import common as texts

log = logging.getLogger(__name__)


async def on_menu_button(update: Update, context: AnyContext) -> None:
    """The person sees the chosen sub-menu (or the main menu) in place of the old one."""
    await acknowledge(update)
    query = update.callback_query
    choice = cb.parse(query.data if query else None)
    if choice is None:
        return
    await show(update, context, views.submenu(choice.value))


async def on_feature_button(update: Update, context: AnyContext) -> None:
    """A quick eligibility check, the list of open events, or the person's registrations."""
    await acknowledge(update)
    query = update.callback_query
    choice = cb.parse(query.data if query else None)
    if choice is None:
        return
    target, _, argument = choice.value.partition(":")
    if target == "elig":
        await flows_bridge.start_eligibility(update, context, check=argument)
    elif target == "reg":
        await open_registration(update, context, kind=argument, entities={})
    else:
        await flows_bridge.show_my_registrations(update, context)


async def my_registrations(update: Update, context: AnyContext) -> None:
    """/dangky while bot.flows (which owns it) is missing: the degraded notice."""
    await flows_bridge.show_my_registrations(update, context)


async def leave_step(update: Update, context: AnyContext) -> None:
    """/huy while bot.flows (which owns it) is missing: nothing to leave, here is the menu."""
    await send(update, context, views.main_menu())


async def moved_on(update: Update, context: AnyContext) -> None:
    """Any command or button: a question the person was asked to type for an officer is
    no longer awaited (the handler that runs next may ask again)."""
    Memory(context).forget_pending()


async def on_stale_button(update: Update, context: AnyContext) -> None:
    """A button whose data nobody handles (old message, forged data): say so, change nothing."""
    log.info("update %s: unknown callback data", update.update_id)
    await acknowledge(update, texts.STALE_BUTTON, alert=True)


async def on_unknown_command(update: Update, context: AnyContext) -> None:
    """An unknown /command: the menu."""
    if private_user_id(update) is not None:
        await send(update, context, views.main_menu(texts.UNKNOWN_COMMAND))


async def on_other_message(update: Update, context: AnyContext) -> None:
    """A sticker, photo, voice message…: the bot reads text only; the menu."""
    if private_user_id(update) is not None:
        await send(update, context, views.main_menu(texts.TEXT_ONLY))
