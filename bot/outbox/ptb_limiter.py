"""python-telegram-bot's rate-limiter hook on top of the one `RateLimiter`.

PTB calls `process_request` for every Bot API request of the application's `ExtBot`. Replies
made by handlers (a person is waiting) carry no `rate_limit_args` and are paced here with
`Priority.REPLY`; the outbox dispatcher has already waited for its slot (with the priority of
the row) and says so by passing `PRE_GRANTED`, so its sends are not counted twice. Only
requests that put a message in a chat, or change one, count (see `counts`); getUpdates,
answerCallbackQuery, sendChatAction, setWebhook and the like pass straight through.

A 429 on a reply pauses the shared limiter for `retry_after` and the reply is tried again (up
to `max_retries` times) — the person still gets it; a 429 on a pre-granted send is raised to
the dispatcher, which reschedules its row.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any, Final

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.outbox.rate_limit import Priority, RateLimiter

log = logging.getLogger(__name__)

PRE_GRANTED: Final = "pre-granted"
_COUNTED_PREFIXES: Final = ("send", "editMessage", "copyMessage", "forwardMessage")
_NOT_COUNTED: Final = frozenset({"sendChatAction"})

JSONDict = dict[str, Any]
RateLimitArgs = Priority | str


def counts(endpoint: str) -> bool:
    """Whether a request to `endpoint` puts a message in a chat, or changes one, and so takes
    a slot of Telegram's ~30 messages/s (and of the chat's own budget).

    Counted: every send* that posts a message (sendMessage, sendDocument, sendPhoto, ...),
    copyMessage(s), forwardMessage(s), and the editMessage* family. Edits are not new
    messages, but Telegram does answer 429 to a burst of them and documents no separate
    budget; a 429 pauses *every* reply for `retry_after`, so an edit (a button's answer
    replacing the pressed message) keeps its slot.

    Not counted: sendChatAction ("typing…", no message), answerCallbackQuery (the button's
    spinner), deleteMessage, getUpdates/setWebhook/getMe/setMyCommands and the edit* calls
    that change no message (editChatInviteLink, editForumTopic, editStory, ...): none puts a
    message in a chat, and counting them would take slots from replies for nothing.
    """
    return endpoint.startswith(_COUNTED_PREFIXES) and endpoint not in _NOT_COUNTED


def retry_after_seconds(error: RetryAfter) -> float:
    """`retry_after` in seconds, whichever type this PTB version returns."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PTB warns about the int -> timedelta transition
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _chat_id(data: dict[str, Any]) -> int | None:
    value = data.get("chat_id")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return None


class PtbRateLimiter(BaseRateLimiter[RateLimitArgs]):
    """Paces the application's own requests with the shared `RateLimiter`."""

    def __init__(self, limiter: RateLimiter, *, max_retries: int = 3) -> None:
        self.limiter = limiter
        self._max_retries = max_retries

    async def initialize(self) -> None:
        """Nothing to open: the limiter lives as long as the application."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: RateLimitArgs | None,
    ) -> bool | JSONDict | list[JSONDict]:
        chat_id = _chat_id(data)
        if rate_limit_args == PRE_GRANTED or chat_id is None or not counts(endpoint):
            return await callback(*args, **kwargs)
        priority = rate_limit_args if isinstance(rate_limit_args, Priority) else Priority.REPLY
        for attempt in range(self._max_retries + 1):
            try:
                async with self.limiter.sending(chat_id, priority):
                    return await callback(*args, **kwargs)
            except RetryAfter as error:
                if attempt == self._max_retries:
                    raise
                seconds = retry_after_seconds(error)
                log.warning("Telegram flood control on %s: pausing %.1f s", endpoint, seconds)
                self.limiter.back_off(seconds)
        raise AssertionError("unreachable")  # pragma: no cover
