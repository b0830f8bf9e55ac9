"""Sending, editing and answering for the flows, with the Telegram errors that do not matter.

Every flow message is HTML (texts escape what people typed), sent with an explicit parse
mode so the flows do not depend on the application's `Defaults`. Editing a message that was
already changed ("message is not modified") or deleted is not an error for a citizen who
double-tapped; anything else is re-raised for the application's error handler.
"""

from __future__ import annotations

import logging

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

log = logging.getLogger(__name__)

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)  # map links would push the text away
_HARMLESS = ("message is not modified", "message to edit not found", "query is too old")


def user_id(update: Update) -> int | None:
    """The person's Telegram id, only in a private chat (flows never run in groups)."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or chat.type != "private":
        return None
    return user.id


def _harmless(error: BadRequest) -> bool:
    return any(phrase in error.message.lower() for phrase in _HARMLESS)


async def send(update: Update, text: str, markup: Markup | None = None) -> Message | None:
    chat = update.effective_chat
    if chat is None:
        return None
    return await chat.send_message(
        text, parse_mode=ParseMode.HTML, reply_markup=markup, link_preview_options=_NO_PREVIEW
    )


async def answer(update: Update, text: str | None = None, *, alert: bool = False) -> None:
    """Stop the button's spinner (with a short toast or an alert)."""
    query = update.callback_query
    if query is None:
        return
    try:
        await query.answer(text, show_alert=alert)
    except BadRequest as error:
        if not _harmless(error):
            raise


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
        if not _harmless(error):
            raise
        if "not modified" not in error.message.lower():
            await send(update, text, markup)


async def set_buttons(update: Update, markup: InlineKeyboardMarkup | None) -> None:
    """Change (or with None remove) the pressed message's buttons, keeping its text."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    try:
        await query.edit_message_reply_markup(reply_markup=markup)
    except BadRequest as error:
        if not _harmless(error):
            raise
