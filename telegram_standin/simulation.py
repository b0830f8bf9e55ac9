"""What people do on the Telegram side, and what tests read back — the simulation API.

Citizen actions become updates exactly as Telegram would deliver them; reading and waiting
helpers let a test say "the bot answers with a menu" without sleeping: every `wait_for_*`
returns as soon as the condition holds and fails with a readable message after `timeout`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from telegram_standin import markup, objects
from telegram_standin.engine import Engine
from telegram_standin.limits import Fault, RateLimits, Stats
from telegram_standin.text_entities import citizen_text
from telegram_standin.world import CallbackRecord, ChatEvent, ChatMessage, Citizen, World, now

T = TypeVar("T")
MessagePredicate = Callable[[ChatMessage], bool]


class SimulationError(Exception):
    """The simulated person cannot do that (unknown citizen, no such button, ...)."""


class Simulator:
    """Citizens, their actions, and read access to everything the bot did."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @property
    def world(self) -> World:
        return self.engine.world

    # -- people ---------------------------------------------------------------------------
    def create_citizen(
        self,
        user_id: int | None = None,
        first_name: str = "An",
        last_name: str | None = "Nguyễn",
        username: str | None = None,
        language_code: str | None = "vi",
    ) -> Citizen:
        """Create (or update) a Telegram user; the chat opens with their first message."""
        world = self.world
        if user_id is None:
            user_id = 100_001 + len(world.citizens)
            while user_id in world.citizens:
                user_id += 1
        if user_id <= 0:
            raise SimulationError(f"user ids are positive (got {user_id})")
        citizen = world.citizens.get(user_id)
        if citizen is None:
            citizen = world.citizens[user_id] = Citizen(user_id, first_name)
        citizen.first_name, citizen.last_name = first_name, last_name
        citizen.username, citizen.language_code = username, language_code
        return citizen

    def create_group(self, title: str, chat_id: int | None = None) -> int:
        """A group chat the bot is a member of (for staff notifications)."""
        chat_id = chat_id if chat_id is not None else -1_000_000_000_001 - len(self.world.chats)
        if chat_id >= 0:
            raise SimulationError(f"group chat ids are negative (got {chat_id})")
        chat = self.world.chat(chat_id)
        chat.type, chat.title, chat.opened = "group", title, True
        return chat_id

    def citizen(self, user_id: int) -> Citizen:
        found = self.world.citizens.get(user_id)
        if found is None:
            raise SimulationError(f"unknown citizen {user_id}; call create_citizen first")
        return found

    def block(self, user_id: int) -> None:
        """The person blocks the bot: sends fail with 403 and the bot gets my_chat_member."""
        self._set_blocked(self.citizen(user_id), True)

    def unblock(self, user_id: int) -> None:
        self._set_blocked(self.citizen(user_id), False)

    def _set_blocked(self, citizen: Citizen, blocked: bool) -> None:
        if citizen.blocked_bot == blocked:
            return
        citizen.blocked_bot = blocked
        if self.world.chat(citizen.user_id).opened:
            self.world.enqueue(
                "my_chat_member", objects.my_chat_member_json(self.world, citizen, blocked=blocked)
            )

    # -- what people send -----------------------------------------------------------------
    def _citizen_message(self, user_id: int, chat_id: int | None, **content: Any) -> ChatMessage:
        citizen = self.citizen(user_id)
        # Writing to a blocked bot is how people unblock it in the Telegram apps.
        self._set_blocked(citizen, False)
        if chat_id is not None and chat_id not in self.world.chats:
            raise SimulationError(f"unknown group {chat_id}; call create_group first")
        chat_id = user_id if chat_id is None else chat_id
        self.world.chat(chat_id).opened = True
        message = ChatMessage(
            chat_id=chat_id,
            message_id=self.world.new_message_id(chat_id),
            date=now(),
            sender_id=user_id,
            from_bot=False,
            **content,
        )
        self.world.add_message(message)
        self.world.enqueue("message", objects.message_json(self.world, message))
        return message

    def send_text(self, user_id: int, text: str, *, chat_id: int | None = None) -> ChatMessage:
        """The person types `text` (sent verbatim: NFD, no diacritics, emoji, anything)."""
        parsed = citizen_text(text)
        return self._citizen_message(user_id, chat_id, text=parsed.text, entities=parsed.entities)

    def send_command(
        self, user_id: int, command: str, payload: str | None = None, *, chat_id: int | None = None
    ) -> ChatMessage:
        """`/command` (with its bot_command entity); `/start payload` is a deep link."""
        text = "/" + command.lstrip("/")
        if payload:
            text = f"{text} {payload}"
        return self.send_text(user_id, text, chat_id=chat_id)

    def share_contact(self, user_id: int, phone_number: str | None = None) -> ChatMessage:
        """The person taps a request_contact button: their own contact, with their user_id."""
        citizen = self.citizen(user_id)
        contact: dict[str, Any] = {
            "phone_number": phone_number or default_phone(user_id),
            "first_name": citizen.first_name,
            "user_id": user_id,
        }
        if citizen.last_name:
            contact["last_name"] = citizen.last_name
        return self._citizen_message(user_id, None, contact=contact)

    def press_button(
        self,
        user_id: int,
        *,
        text: str | None = None,
        callback_data: str | None = None,
        message_id: int | None = None,
        chat_id: int | None = None,
    ) -> str:
        """Tap an inline button (by text or data) on `message_id` or the latest bot message
        that has it; returns the callback_query id the bot must answer."""
        citizen = self.citizen(user_id)
        if text is None and callback_data is None:
            raise SimulationError("press_button needs the button's text or its callback_data")
        chat_id = user_id if chat_id is None else chat_id
        message = self._message_with_button(chat_id, message_id, text, callback_data)
        button = message.find_button(text=text, callback_data=callback_data)
        if "callback_data" not in button:
            raise SimulationError(
                f"button {button['text']!r} is a {markup.button_kind(button)} button; "
                "pressing it sends nothing to the bot"
            )
        record = CallbackRecord(
            callback_query_id=self.world.unique("4382"),
            user_id=citizen.user_id,
            chat_id=chat_id,
            message_id=message.message_id,
            data=button["callback_data"],
        )
        self.world.callbacks[record.callback_query_id] = record
        self.world.record(
            self.world.chat(chat_id), "button_press", message.message_id, data=record.data
        )
        self.world.enqueue("callback_query", objects.callback_query_json(self.world, record))
        return record.callback_query_id

    def _message_with_button(
        self, chat_id: int, message_id: int | None, text: str | None, data: str | None
    ) -> ChatMessage:
        if message_id is not None:
            found = self.world.message(chat_id, message_id)
            if found is None or found.deleted or not found.from_bot:
                raise SimulationError(f"no bot message {message_id} in chat {chat_id}")
            return found
        for message in reversed(self.messages(chat_id)):
            if message.deleted:
                continue
            try:
                message.find_button(text=text, callback_data=data)
            except KeyError:
                continue
            return message
        raise SimulationError(
            f"no bot message in chat {chat_id} has a button text={text!r} callback_data={data!r}"
        )

    # -- what the bot did -----------------------------------------------------------------
    def messages(self, chat_id: int, *, from_bot: bool | None = True) -> list[ChatMessage]:
        """Messages in the chat, oldest first (deleted ones included, flagged `deleted`)."""
        chat = self.world.chats.get(chat_id)
        if chat is None:
            return []
        return [m for m in chat.messages.values() if from_bot is None or m.from_bot == from_bot]

    def last_message(self, chat_id: int) -> ChatMessage | None:
        """The newest bot message that is still visible."""
        visible = [m for m in self.messages(chat_id) if not m.deleted]
        return visible[-1] if visible else None

    def reply_keyboard(self, chat_id: int) -> dict[str, Any] | None:
        """The reply keyboard currently shown to the person, if any."""
        chat = self.world.chats.get(chat_id)
        return chat.reply_keyboard if chat else None

    def callback_answer(self, callback_query_id: str) -> dict[str, Any] | None:
        record = self.world.callbacks.get(callback_query_id)
        return record.answer if record else None

    def events(self, chat_id: int, after: int = 0) -> list[ChatEvent]:
        chat = self.world.chats.get(chat_id)
        return [e for e in chat.events if e.seq > after] if chat else []

    def commands(self, scope: dict[str, Any] | None = None, language_code: str = "") -> list[Any]:
        key = (json.dumps(scope or {"type": "default"}, sort_keys=True), language_code)
        return list(self.world.commands.get(key, []))

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        return list(self.world.updates)

    # -- waiting --------------------------------------------------------------------------
    def mark(self) -> int:
        """A point in time for `since=`: only later events count."""
        return self.world.seq

    async def wait_until(self, condition: Callable[[], T | None], timeout: float = 5.0) -> T:
        result = await self.world.wait_until(condition, timeout)
        if not result:
            raise TimeoutError(f"condition not met within {timeout}s")
        return result

    async def _wait_event(
        self,
        chat_id: int,
        kind: str,
        since: int | None,
        timeout: float,
        accept: Callable[[ChatEvent], ChatMessage | None],
        what: str,
    ) -> ChatMessage:
        chat = self.world.chats.get(chat_id)
        start = (chat.last_citizen_seq if chat else 0) if since is None else since

        def found() -> ChatMessage | None:
            for event in self.events(chat_id, start):
                if event.kind == kind and (message := accept(event)) is not None:
                    return message
            return None

        result = await self.world.wait_until(found, timeout)
        if result is None:
            seen = [(m.message_id, m.text or m.caption) for m in self.messages(chat_id)][-5:]
            raise TimeoutError(
                f"no {what} in chat {chat_id} after event {start} within {timeout}s; "
                f"latest bot messages: {seen}"
            )
        return result

    async def wait_for_message(
        self,
        chat_id: int,
        predicate: MessagePredicate | None = None,
        timeout: float = 5.0,
        *,
        since: int | None = None,
    ) -> ChatMessage:
        """The first bot message sent after `since` (default: the person's latest action)
        that satisfies `predicate`."""

        def accept(event: ChatEvent) -> ChatMessage | None:
            message = self.world.message(chat_id, event.message_id or 0)
            return message if message and (predicate is None or predicate(message)) else None

        return await self._wait_event(chat_id, "message", since, timeout, accept, "new bot message")

    async def wait_for_edit(
        self,
        chat_id: int,
        message_id: int | None = None,
        predicate: MessagePredicate | None = None,
        timeout: float = 5.0,
        *,
        since: int | None = None,
    ) -> ChatMessage:
        """The first message edited after `since` (optionally a given one), as it is now."""

        def accept(event: ChatEvent) -> ChatMessage | None:
            if message_id is not None and event.message_id != message_id:
                return None
            message = self.world.message(chat_id, event.message_id or 0)
            return message if message and (predicate is None or predicate(message)) else None

        return await self._wait_event(chat_id, "edit", since, timeout, accept, "edit")

    async def wait_for_callback_answer(
        self, callback_query_id: str, timeout: float = 5.0
    ) -> dict[str, Any]:
        return await self.wait_until(lambda: self.callback_answer(callback_query_id), timeout)

    async def wait_for_events(self, chat_id: int, after: int, timeout: float) -> list[ChatEvent]:
        """Events after `after`, waiting up to `timeout` for at least one (long poll)."""
        return await self.world.wait_until(lambda: self.events(chat_id, after), timeout) or []

    async def ask(self, user_id: int, text: str, timeout: float = 5.0) -> ChatMessage:
        """Send `text` and return the bot's first reply."""
        self.send_text(user_id, text)
        return await self.wait_for_message(user_id, timeout=timeout)

    # -- faults, limits, counters ---------------------------------------------------------
    def inject_fault(
        self,
        method: str,
        *,
        status: int = 502,
        times: int = 1,
        description: str | None = None,
        delay: float = 0.0,
    ) -> None:
        """The next `times` calls of `method` ("*" = any) fail with `status`, unexecuted."""
        self.engine.faults.add(Fault(method, times, status, description, delay=delay))

    def inject_delay(self, method: str, seconds: float, *, times: int = 1) -> None:
        """The next `times` calls of `method` answer (normally) only after `seconds`."""
        self.engine.faults.add(Fault(method, times, delay=seconds))

    def inject_retry_after(self, method: str, retry_after: int = 1, *, times: int = 1) -> None:
        """The next `times` calls of `method` get 429 with `retry_after`."""
        self.engine.faults.add(Fault(method, times, retry_after=retry_after))

    def clear_faults(self) -> None:
        self.engine.faults.clear()

    @property
    def rate_limits(self) -> RateLimits:
        return self.engine.rate_limits

    @rate_limits.setter
    def rate_limits(self, limits: RateLimits) -> None:
        self.engine.set_rate_limits(limits)

    @property
    def stats(self) -> Stats:
        return self.engine.stats


def default_phone(user_id: int) -> str:
    """A made-up Vietnamese mobile number, stable per user."""
    return f"+849{user_id % 10**8:08d}"
