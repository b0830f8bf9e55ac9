"""The PTB adapter maps Telegram's errors onto the dispatcher's four outcomes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

import pytest
from telegram import Bot, InlineKeyboardMarkup
from telegram import error as tg

from bot.outbox.port import (
    PermanentSendError,
    RecipientBlocked,
    RetryAfter,
    SendError,
    TransientSendError,
)
from bot.outbox.queue import Button
from bot.outbox.telegram_sender import TelegramSender


class StubBot:
    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.calls: list[dict[str, Any]] = []

    async def send_message(self, **kwargs: Any) -> Any:
        self.calls.append(kwargs)
        if self.error is not None:
            raise self.error

        class Message:
            message_id = 4242

        return Message()


def _sender(error: Exception | None = None) -> tuple[TelegramSender, StubBot]:
    bot = StubBot(error)
    return TelegramSender(cast(Bot, bot)), bot


async def test_success_returns_the_message_id_and_builds_the_keyboard() -> None:
    sender, bot = _sender()
    buttons = (
        (Button("Bản đồ", url="https://maps.example"), Button("Huỷ", callback_data="CANCEL 1")),
    )
    assert await sender.send(chat_id=7, text="hi", buttons=buttons) == 4242
    markup = bot.calls[0]["reply_markup"]
    assert isinstance(markup, InlineKeyboardMarkup)
    assert [b.text for b in markup.inline_keyboard[0]] == ["Bản đồ", "Huỷ"]
    assert markup.inline_keyboard[0][1].callback_data == "CANCEL 1"


async def test_no_buttons_means_no_keyboard() -> None:
    sender, bot = _sender()
    await sender.send(chat_id=7, text="hi")
    assert bot.calls[0]["reply_markup"] is None


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (tg.Forbidden("Forbidden: bot was blocked by the user"), RecipientBlocked),
        (tg.Forbidden("Forbidden: user is deactivated"), RecipientBlocked),
        (tg.BadRequest("Bad Request: chat not found"), PermanentSendError),
        (tg.ChatMigrated(12345), PermanentSendError),
        (tg.TimedOut(), TransientSendError),
        (tg.NetworkError("Bad Gateway"), TransientSendError),
        (tg.TelegramError("Internal Server Error"), TransientSendError),
    ],
)
async def test_telegram_errors_map_to_send_errors(
    error: Exception, expected: type[SendError]
) -> None:
    sender, _ = _sender(error)
    with pytest.raises(expected):
        await sender.send(chat_id=7, text="hi")


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # PTB's own int->timedelta notice
@pytest.mark.parametrize("retry_after", [14, timedelta(seconds=14)])
async def test_flood_control_carries_retry_after_seconds(retry_after: int | timedelta) -> None:
    sender, _ = _sender(tg.RetryAfter(retry_after))
    with pytest.raises(RetryAfter) as caught:
        await sender.send(chat_id=7, text="hi")
    assert caught.value.seconds == 14.0
