"""The stand-in's memory: citizens, chats, what was said, and the queue of pending updates.

Everything lives in one asyncio loop, so plain mutation is safe; `notify()` wakes whoever is
waiting (long polls, the webhook sender, tests' `wait_for_*`) after every change, which is
what lets tests wait for an outcome instead of sleeping.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from telegram_standin import markup

T = TypeVar("T")

# Update types a bot receives when it never said otherwise (Telegram's documented default).
DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


def now() -> int:
    """Telegram dates are whole seconds since the epoch."""
    return int(time.time())


@dataclass
class Citizen:
    """A Telegram user who talks to the bot."""

    user_id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "vi"
    blocked_bot: bool = False

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


@dataclass
class StoredFile:
    """An uploaded file, kept whole so tests can read what the bot sent."""

    file_id: str
    file_unique_id: str
    file_name: str | None
    mime_type: str | None
    content: bytes

    @property
    def file_size(self) -> int:
        return len(self.content)


@dataclass
class MessageVersion:
    """A message as it looked before an edit."""

    text: str | None
    entities: list[dict[str, Any]]
    reply_markup: dict[str, Any] | None
    caption: str | None
    date: int


@dataclass
class ChatMessage:
    """One message in a chat, from the bot or from a citizen, with its edit history."""

    chat_id: int
    message_id: int
    date: int
    sender_id: int
    from_bot: bool
    text: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    source_text: str | None = None
    parse_mode: str | None = None
    reply_markup: dict[str, Any] | None = None
    document: StoredFile | None = None
    caption: str | None = None
    caption_entities: list[dict[str, Any]] = field(default_factory=list)
    contact: dict[str, Any] | None = None
    reply_to_message_id: int | None = None
    edit_date: int | None = None
    edits: list[MessageVersion] = field(default_factory=list)
    deleted: bool = False

    @property
    def inline_buttons(self) -> list[dict[str, Any]]:
        return markup.inline_buttons(self.reply_markup)

    @property
    def button_texts(self) -> list[str]:
        """Visible texts of the inline buttons (or of the reply keyboard sent with it)."""
        buttons = self.inline_buttons or markup.reply_buttons(self.reply_markup)
        return [button["text"] for button in buttons]

    def find_button(
        self, *, text: str | None = None, callback_data: str | None = None
    ) -> dict[str, Any]:
        """The inline button with this visible text or callback data; KeyError if none."""
        for button in self.inline_buttons:
            if (text is None or button["text"] == text) and (
                callback_data is None or button.get("callback_data") == callback_data
            ):
                return button
        raise KeyError(
            f"no inline button text={text!r} callback_data={callback_data!r} on message "
            f"{self.message_id} in chat {self.chat_id}; buttons: {self.button_texts}"
        )

    def snapshot(self) -> MessageVersion:
        return MessageVersion(
            self.text,
            list(self.entities),
            self.reply_markup,
            self.caption,
            self.edit_date or self.date,
        )


@dataclass(frozen=True)
class ChatEvent:
    """Something the bot did in a chat, in order; `seq` is global and increasing."""

    seq: int
    # bot: message | edit | delete | callback_answer | chat_action;
    # person: citizen_message | button_press
    kind: str
    chat_id: int
    message_id: int | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Chat:
    """A private chat with one citizen (chat id = user id) or a group."""

    chat_id: int
    type: str = "private"
    title: str | None = None
    opened: bool = False
    next_message_id: int = 1
    messages: dict[int, ChatMessage] = field(default_factory=dict)
    reply_keyboard: dict[str, Any] | None = None
    events: list[ChatEvent] = field(default_factory=list)
    last_citizen_seq: int = 0
    last_action: str | None = None


@dataclass
class CallbackRecord:
    """A button press the bot was told about, and how (if) it answered."""

    callback_query_id: str
    user_id: int
    chat_id: int
    message_id: int
    data: str | None
    answer: dict[str, Any] | None = None


@dataclass
class WebhookConfig:
    url: str = ""
    secret_token: str | None = None
    max_connections: int = 40
    ip_address: str | None = None
    last_error_date: int | None = None
    last_error_message: str | None = None
    generation: int = 0


@dataclass(frozen=True)
class BotIdentity:
    user_id: int
    first_name: str
    username: str


class World:
    """All state of one stand-in."""

    def __init__(self, bot: BotIdentity) -> None:
        self.bot = bot
        self.citizens: dict[int, Citizen] = {}
        self.chats: dict[int, Chat] = {}
        self.files: dict[str, StoredFile] = {}
        self.updates: list[dict[str, Any]] = []
        self.next_update_id = 100_000_001
        self.allowed_updates: list[str] | None = None
        self.webhook = WebhookConfig()
        self.callbacks: dict[str, CallbackRecord] = {}
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.profile: dict[tuple[str, str], Any] = {}
        self.poll_generation = 0
        self.closing = False
        self._seq = 0
        self._counter = 0
        self._changed = asyncio.Event()

    # -- change notification ------------------------------------------------------------
    def notify(self) -> None:
        """Wake every waiter; they re-check their condition."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_until(self, condition: Callable[[], T | None], timeout: float) -> T | None:
        """Return the first truthy `condition()`, or None after `timeout` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = condition()
            if result or self.closing:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                return None
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except TimeoutError:
                return condition() or None

    def next_seq(self) -> int:
        self._seq += 1
        return self._seq

    @property
    def seq(self) -> int:
        """The latest event number; pass it as `since` to wait only for later events."""
        return self._seq

    def unique(self, prefix: str) -> str:
        self._counter += 1
        return f"{prefix}{self._counter:08d}"

    # -- chats and messages -------------------------------------------------------------
    def chat(self, chat_id: int) -> Chat:
        found = self.chats.get(chat_id)
        if found is None:
            found = self.chats[chat_id] = Chat(chat_id)
        return found

    def add_message(self, message: ChatMessage) -> ChatMessage:
        chat = self.chat(message.chat_id)
        chat.messages[message.message_id] = message
        kind = "message" if message.from_bot else "citizen_message"
        self.record(chat, kind, message.message_id)
        return message

    def new_message_id(self, chat_id: int) -> int:
        chat = self.chat(chat_id)
        message_id = chat.next_message_id
        chat.next_message_id += 1
        return message_id

    def record(self, chat: Chat, kind: str, message_id: int | None, **data: Any) -> ChatEvent:
        event = ChatEvent(self.next_seq(), kind, chat.chat_id, message_id, data)
        chat.events.append(event)
        if kind == "citizen_message" or kind == "button_press":
            chat.last_citizen_seq = event.seq
        self.notify()
        return event

    def message(self, chat_id: int, message_id: int) -> ChatMessage | None:
        chat = self.chats.get(chat_id)
        return chat.messages.get(message_id) if chat else None

    # -- the update queue ---------------------------------------------------------------
    def update_allowed(self, update_type: str) -> bool:
        if not self.allowed_updates:
            return update_type not in DEFAULT_EXCLUDED_UPDATES
        return update_type in self.allowed_updates

    def enqueue(self, update_type: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        """Queue an update for the bot unless `allowed_updates` filters its type out."""
        if not self.update_allowed(update_type):
            return None
        update = {"update_id": self.next_update_id, update_type: payload}
        self.next_update_id += 1
        self.updates.append(update)
        self.notify()
        return update

    def confirm(self, offset: int) -> None:
        """Forget updates as getUpdates' `offset` says (negative: keep only the last -offset)."""
        if offset > 0:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        elif offset < 0:
            self.updates = self.updates[offset:]

    def drop_pending(self) -> None:
        self.updates.clear()
        self.notify()
