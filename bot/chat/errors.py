"""The one error handler: log it, apologise to the citizen, tell the staff chat, carry on.

Logged: the exception type and where in the code it happened, never its message or the update
(both can hold what a person typed, their name or phone). The harmless Telegram errors of
bot.chat.replies (a double tap, an old message) are not errors. Sending the apology or the
report may fail too (Telegram down); that is logged and swallowed, so the error handler
itself never raises.
"""

from __future__ import annotations

import logging
import traceback

from telegram import Update
from telegram.error import BadRequest, TelegramError

from bot.chat.context import ChatContext, private_user_id, settings
from bot.chat.replies import is_harmless
from bot.texts import common as texts

log = logging.getLogger(__name__)


async def on_error(update: object, context: ChatContext) -> None:
    """Whatever went wrong: the citizen hears an apology, the staff chat a short report."""
    error = context.error
    if isinstance(error, BadRequest) and is_harmless(error):
        return
    kind = type(error).__name__ if error is not None else "UnknownError"
    update_id = update.update_id if isinstance(update, Update) else None
    where = "".join(traceback.format_tb(error.__traceback__)) if error is not None else ""
    log.error("update %s failed with %s\n%s", update_id, kind, where.rstrip())
    if isinstance(update, Update) and private_user_id(update) is not None:
        await _say(
            context, update.effective_chat.id if update.effective_chat else None, texts.APOLOGY
        )
    await _say(context, _staff_chat(context), texts.error_report(update_id, kind))


def _staff_chat(context: ChatContext) -> int | None:
    try:
        return settings(context).staff_chat_id
    except RuntimeError:  # wiring incomplete (an error during start-up)
        return None


async def _say(context: ChatContext, chat_id: int | None, text: str) -> None:
    if chat_id is None:
        return
    try:
        await context.bot.send_message(chat_id, text)
    except TelegramError as failure:
        log.warning("could not send the error notice to a chat: %s", type(failure).__name__)
