"""What only end-to-end tests need besides the one conversation driver (tests/chat/driver.py).

`Person` (say or press, then the bot's answer) lives in the driver and is re-exported here.
"""

from __future__ import annotations

from driver import REPLY_TIMEOUT, MessagePredicate, Person, next_change

from telegram_standin import BotApiStandIn, ChatMessage
from telegram_standin.text_entities import citizen_text

__all__ = [
    "REPLY_TIMEOUT",
    "MessagePredicate",
    "Person",
    "button_data",
    "next_change",
    "staff_reply",
]

WEBHOOK_SECRET = "e2e-webhook_secret-42"


def staff_reply(
    standin: BotApiStandIn, *, user_id: int, chat_id: int, to_message_id: int, text: str
) -> ChatMessage:
    """An officer answers in the staff group by *replying* to the bot's notification.

    The stand-in's public `send_text` cannot reply to a message yet, so this goes one level
    down to the same method it uses (a public `reply_to=` would make this helper a one-liner).
    """
    parsed = citizen_text(text)
    return standin._citizen_message(
        user_id,
        chat_id,
        text=parsed.text,
        entities=parsed.entities,
        reply_to_message_id=to_message_id,
    )


def button_data(message: ChatMessage, prefix: str) -> list[str]:
    """Callback data of the message's inline buttons that start with `prefix`."""
    return [
        str(button["callback_data"])
        for button in message.inline_buttons
        if str(button.get("callback_data", "")).startswith(prefix)
    ]
