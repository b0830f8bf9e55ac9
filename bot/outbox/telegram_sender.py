"""`MessageSender` on top of python-telegram-bot 22's `telegram.Bot`.

This is the only module that knows both sides: it turns `Button`s into an inline keyboard and
Telegram's exceptions into the four the dispatcher understands. Pacing is not done here: the
dispatcher waits for its slot in the one `RateLimiter` (with the row's priority) before it
calls `send`, and tells the application's `PtbRateLimiter` so (`PRE_GRANTED`), which then lets
the request through without counting it twice. The bot's defaults (parse mode, link
previews) apply as configured on the `Bot`.

Mapping:
- `RetryAfter` (429) -> `RetryAfter(seconds)`
- `Forbidden` (403: blocked by the user, user deactivated, cannot initiate) -> `RecipientBlocked`
- `BadRequest` (400, e.g. chat not found), `ChatMigrated` -> `PermanentSendError`
- `TimedOut`, `NetworkError`, any other `TelegramError` -> `TransientSendError`
`BadRequest` and `TimedOut` subclass `NetworkError` in PTB, hence the order of the clauses.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram import error as tg
from telegram.ext import ExtBot

from bot.outbox.port import (
    PermanentSendError,
    RecipientBlocked,
    RetryAfter,
    TransientSendError,
)
from bot.outbox.ptb_limiter import PRE_GRANTED, retry_after_seconds
from bot.outbox.queue import Button
from bot.texts.handoff import STAFF_NOTICE_ERASED


def _keyboard(buttons: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    rows = [
        [
            InlineKeyboardButton(button.text, url=button.url, callback_data=button.callback_data)
            for button in row
        ]
        for row in buttons
        if row
    ]
    return InlineKeyboardMarkup(rows) if rows else None


class TelegramSender:
    """Sends through a PTB `Bot` (or `ExtBot`); the caller initialises and shuts it down."""

    def __init__(self, bot: Bot, *, retracted_text: str = STAFF_NOTICE_ERASED) -> None:
        self._bot = bot
        self._retracted_text = retracted_text

    async def send(
        self, *, chat_id: int, text: str, buttons: Sequence[Sequence[Button]] = ()
    ) -> int:
        paced = isinstance(self._bot, ExtBot) and self._bot.rate_limiter is not None
        extra: dict[str, Any] = {"rate_limit_args": PRE_GRANTED} if paced else {}
        try:
            message = await self._bot.send_message(
                chat_id=chat_id, text=text, reply_markup=_keyboard(buttons), **extra
            )
        except tg.RetryAfter as error:
            raise RetryAfter(retry_after_seconds(error)) from error
        except tg.Forbidden as error:
            raise RecipientBlocked(error.message) from error
        except (tg.BadRequest, tg.ChatMigrated) as error:
            raise PermanentSendError(str(error)) from error
        except tg.TelegramError as error:  # TimedOut, NetworkError, server errors
            raise TransientSendError(f"{type(error).__name__}: {error}") from error
        return message.message_id

    async def retract(self, *, chat_id: int, message_id: int) -> None:
        """Delete the message; past Telegram's 48-hour limit for bots, replace its text."""
        try:
            try:
                await self._bot.delete_message(chat_id=chat_id, message_id=message_id)
                return
            except tg.BadRequest as error:
                if "not found" in str(error).lower():
                    return  # someone deleted it already
            await self._bot.edit_message_text(
                chat_id=chat_id, message_id=message_id, text=self._retracted_text
            )
        except tg.RetryAfter as error:
            raise RetryAfter(retry_after_seconds(error)) from error
        except tg.Forbidden as error:
            raise PermanentSendError(error.message) from error  # the bot left the staff chat
        except tg.BadRequest as error:
            text = str(error).lower()
            if "not modified" in text or "not found" in text:
                return
            raise PermanentSendError(str(error)) from error
        except tg.TelegramError as error:
            raise TransientSendError(f"{type(error).__name__}: {error}") from error
