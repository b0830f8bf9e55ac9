"""People in an end-to-end conversation, and waiting for the bot without sleeping.

`Person` wraps the stand-in's simulation API with the two things every test does: say or
press something, then get the bot's answer (a new message, or the edit of the message whose
button was pressed). Every wait returns as soon as the bot has answered and fails with the
latest bot messages after `REPLY_TIMEOUT`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from telegram_standin import BotApiStandIn, ChatMessage
from telegram_standin.text_entities import citizen_text

REPLY_TIMEOUT = 10.0
WEBHOOK_SECRET = "e2e-webhook_secret-42"
MessagePredicate = Callable[[ChatMessage], bool]


async def next_change(
    standin: BotApiStandIn,
    chat_id: int,
    since: int,
    predicate: MessagePredicate | None = None,
    timeout: float = REPLY_TIMEOUT,
) -> ChatMessage:
    """The first bot message sent or edited in `chat_id` after `since` (and matching)."""

    def found() -> ChatMessage | None:
        for event in standin.events(chat_id, since):
            if event.kind not in {"message", "edit"}:
                continue
            message = standin.world.message(chat_id, event.message_id or 0)
            if message is not None and (predicate is None or predicate(message)):
                return message
        return None

    try:
        return await standin.wait_until(found, timeout)
    except TimeoutError:
        latest = [(m.message_id, m.text) for m in standin.messages(chat_id)][-3:]
        message = f"no bot reply in chat {chat_id} within {timeout}s; latest: {latest}"
        raise TimeoutError(message) from None


@dataclass
class Person:
    """A citizen in the stand-in; `chat_id` is their private chat with the bot."""

    standin: BotApiStandIn
    user_id: int

    @property
    def chat_id(self) -> int:
        return self.user_id

    async def say(self, text: str, predicate: MessagePredicate | None = None) -> ChatMessage:
        """Type `text`; the bot's first new message (matching `predicate`) in reply."""
        since = self.standin.mark()
        self.standin.send_text(self.user_id, text)
        return await self.standin.wait_for_message(
            self.user_id, predicate, timeout=REPLY_TIMEOUT, since=since
        )

    async def command(self, command: str, payload: str | None = None) -> ChatMessage:
        since = self.standin.mark()
        self.standin.send_command(self.user_id, command, payload)
        return await self.standin.wait_for_message(self.user_id, timeout=REPLY_TIMEOUT, since=since)

    async def press(
        self,
        text: str | None = None,
        *,
        data: str | None = None,
        predicate: MessagePredicate | None = None,
    ) -> ChatMessage:
        """Tap a button (by label or callback data); the message the bot sent or edited."""
        since = self.standin.mark()
        self.standin.press_button(self.user_id, text=text, callback_data=data)
        return await next_change(self.standin, self.chat_id, since, predicate)

    async def wait_for(self, predicate: MessagePredicate, *, since: int) -> ChatMessage:
        """A later bot message (or edit) matching `predicate`, e.g. one sent by the outbox."""
        return await next_change(self.standin, self.chat_id, since, predicate)

    async def agree(self) -> ChatMessage:
        """/start, then "Đồng ý": the person has consented; returns the confirmation."""
        await self.command("start")
        return await self.press("Đồng ý")


def staff_reply(
    standin: BotApiStandIn, *, user_id: int, chat_id: int, to_message_id: int, text: str
) -> ChatMessage:
    """An officer answers in the staff group by *replying* to the bot's notification.

    The stand-in's public `send_text` cannot reply to a message yet, so this goes one level
    down to the same method it uses (a public `reply_to=` would make this helper a one-liner).
    """
    parsed = citizen_text(text)
    return standin._citizen_message(
        user_id, chat_id, text=parsed.text, entities=parsed.entities,
        reply_to_message_id=to_message_id,
    )


def button_data(message: ChatMessage, prefix: str) -> list[str]:
    """Callback data of the message's inline buttons that start with `prefix`."""
    return [
        str(button["callback_data"])
        for button in message.inline_buttons
        if str(button.get("callback_data", "")).startswith(prefix)
    ]
