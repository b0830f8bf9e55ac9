"""Sending, editing and acknowledging, with ONE policy for the Telegram errors that do not matter.

Every message is HTML (texts escape what people typed) with link previews off, set
explicitly so the chat does not depend on the Application's `Defaults`. A double tap
("message is not modified"), a message gone meanwhile ("message to edit not found": the
text is sent anew instead) and a button pressed long ago ("query is too old") are not
errors; anything else is raised for the one error handler (bot.chat.errors). A button the
chat cannot honour — stale, forged, someone else's — is answered the same way everywhere:
`stale`, an alert saying the button is old.
"""

from __future__ import annotations

import logging
from typing import Final, NamedTuple

from telegram import (
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.chat import callbacks as cb
from bot.chat.context import private_user_id
from bot.chat.keyboards import markup as view_markup
from bot.outbox.queue import RenderedMessage
from bot.texts import common as texts

log = logging.getLogger(__name__)

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove
_NO_PREVIEW: Final = LinkPreviewOptions(is_disabled=True)  # map links would push the text away
HARMLESS_ERRORS: Final = (
    "message is not modified",
    "message to edit not found",
    "query is too old",
)


def is_harmless(error: BadRequest) -> bool:
    """Errors of a double tap or of an old message, which need no apology."""
    return any(phrase in error.message.lower() for phrase in HARMLESS_ERRORS)


async def send(update: Update, text: str, markup: Markup | None = None) -> Message | None:
    """A new message in the update's chat."""
    chat = update.effective_chat
    if chat is None:
        return None
    return await chat.send_message(
        text, parse_mode=ParseMode.HTML, reply_markup=markup, link_preview_options=_NO_PREVIEW
    )


async def edit(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Replace the pressed message's text (and buttons); sends anew if it cannot be edited."""
    query = update.callback_query
    if query is None or query.message is None:
        await send(update, text, markup)
        return
    try:
        await query.edit_message_text(
            text, parse_mode=ParseMode.HTML, reply_markup=markup, link_preview_options=_NO_PREVIEW
        )
    except BadRequest as error:
        if not is_harmless(error):
            raise
        if "not modified" not in error.message.lower():
            await send(update, text, markup)


async def send_view(update: Update, view: RenderedMessage) -> Message | None:
    """A screen (text + buttons, bot.chat.screens) as a new message."""
    return await send(update, view.text, view_markup(view))


async def show(update: Update, view: RenderedMessage) -> None:
    """A screen in place of the pressed button's message, or new after a typed message."""
    await edit(update, view.text, view_markup(view))


async def acknowledge(update: Update, text: str | None = None, *, alert: bool = False) -> None:
    """Stop the button's spinner (with a short toast or an alert)."""
    query = update.callback_query
    if query is None:
        return
    try:
        await query.answer(text, show_alert=alert)
    except BadRequest as error:
        if not is_harmless(error):
            raise
        log.info("callback answer refused: %s", type(error).__name__)


async def stale(update: Update) -> None:
    """The one answer to a button that cannot be honoured: "this button is old"."""
    await acknowledge(update, texts.STALE_BUTTON, alert=True)


class Press(NamedTuple):
    """A button pressed by a person in their private chat with the bot."""

    user_id: int
    callback: cb.Callback


async def pressed(update: Update, prefix: str, *, ack: bool = False) -> Press | None:
    """The pressed button of `prefix`, parsed strictly; None (answered as stale) otherwise.

    `ack` stops the spinner at once; without it the handler answers later (a toast, an alert).
    """
    query = update.callback_query
    callback = cb.parse(query.data if query else None, prefix)
    user_id = private_user_id(update)
    if callback is None or user_id is None:
        await stale(update)
        return None
    if ack:
        await acknowledge(update)
    return Press(user_id, callback)


async def set_buttons(update: Update, markup: InlineKeyboardMarkup | None) -> None:
    """Change (or with None remove) the pressed message's buttons, keeping its text."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    try:
        await query.edit_message_reply_markup(reply_markup=markup)
    except BadRequest as error:
        if not is_harmless(error):
            raise
