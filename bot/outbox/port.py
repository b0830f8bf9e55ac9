"""The port through which the dispatcher sends: a protocol and the errors it may raise.

Services never import `telegram`; bot.outbox.telegram_sender adapts python-telegram-bot's
`Bot` to this protocol and maps its exceptions onto these four, which are all the dispatcher
needs to decide: wait, stop for good, or try again later.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.outbox.queue import Button


class SendError(Exception):
    """Base of the errors a `MessageSender` raises."""


class RetryAfter(SendError):
    """Flood control (HTTP 429): wait `seconds` before sending anything again."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds:g} s")
        self.seconds = seconds


class RecipientBlocked(SendError):
    """HTTP 403: the person blocked the bot, deleted their account or never started it."""


class PermanentSendError(SendError):
    """The request itself is wrong (HTTP 400, e.g. chat not found); retrying cannot help."""


class TransientSendError(SendError):
    """Network trouble or a server error; the same request may succeed later."""


class MessageSender(Protocol):
    async def send(
        self, *, chat_id: int, text: str, buttons: Sequence[Sequence[Button]] = ()
    ) -> int:
        """Send one message; returns Telegram's message_id."""
        ...
