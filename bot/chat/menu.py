"""The menu buttons, and what the bot says to buttons, commands and messages it does not know.

Menu navigation edits the menu message in place (no new message, nothing to scroll past);
the features behind it (eligibility checks, registrations, my registrations) are opened
directly, so the menu serves every feature even when the NLU server is down.
"""

from __future__ import annotations

import logging

from telegram import Update

from bot.chat import callbacks as cb
from bot.chat import eligibility, my_registrations, replies, screens
from bot.chat.context import ChatContext, private_user_id
from bot.chat.memory import Memory
from bot.chat.registration import entry as registration
from bot.texts import common as texts

log = logging.getLogger(__name__)


async def on_menu_button(update: Update, context: ChatContext) -> None:
    """The person sees the chosen sub-menu (or the main menu) in place of the old one."""
    press = await replies.pressed(update, cb.MENU, ack=True)
    if press is None:
        return
    choice = press.callback
    await replies.show(update, screens.submenu(choice.value))


async def on_feature_button(update: Update, context: ChatContext) -> None:
    """A quick eligibility check, the list of open events, or the person's registrations."""
    press = await replies.pressed(update, cb.GO, ack=True)
    if press is None:
        return
    choice = press.callback
    target, _, argument = choice.value.partition(":")
    if target == "elig":
        await eligibility.start_eligibility(update, context, check=argument)
    elif target == "reg":
        await registration.start_registration(update, context, kind=argument, entities={})
    else:
        await my_registrations.show_my_registrations(update, context)


async def moved_on(update: Update, context: ChatContext) -> None:
    """Any command or button: a question the person was asked to type for an officer is
    no longer awaited (the handler that runs next may ask again)."""
    Memory(context).forget_pending()


async def on_stale_button(update: Update, context: ChatContext) -> None:
    """A button whose data nobody handles (old message, forged data): say so, change nothing."""
    log.info("update %s: unknown callback data", update.update_id)
    await replies.stale(update)


async def on_unknown_command(update: Update, context: ChatContext) -> None:
    """An unknown /command: the menu."""
    if private_user_id(update) is not None:
        await replies.send_view(update, screens.main_menu(texts.UNKNOWN_COMMAND))


async def on_other_message(update: Update, context: ChatContext) -> None:
    """A sticker, photo, voice message…: the bot reads text only; the menu."""
    if private_user_id(update) is not None:
        await replies.send_view(update, screens.main_menu(texts.TEXT_ONLY))
