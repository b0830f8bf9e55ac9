"""The one conversation driver of the chat's tests: people talking to a bot through the stand-in.

- `Person` (used by tests/e2e, around the whole bot of bot.application.running): say or press
  something, then get the bot's answer (a new message, or the edit of the message whose
  button was pressed). Every wait returns as soon as the bot has answered and fails with the
  latest bot messages after `REPLY_TIMEOUT`.
- `Harness` (tests/chat): a small PTB application with the chat's form handlers
  (bot.application.form_handlers) and, around them, the minimum: a /start that records
  consent and opens deep links (`/start ev_<id>`), a text handler that asks `continue_flow`
  first, and test-only commands that call the entry points (/dk, /kiemtra). The database is
  a SQLite file migrated with Alembic in `tmp_path`, so a test can stop the application and
  build a new one on the same data (a restart).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CommandHandler,
    Defaults,
    MessageHandler,
    filters,
)

from bot.application import form_handlers
from bot.chat.answers import answer_text
from bot.chat.context import CONTEXT_TYPES, BotData, ChatContext
from bot.chat.eligibility import start_eligibility
from bot.chat.notifications import render
from bot.chat.open_flow import continue_flow
from bot.chat.registration.entry import start_registration
from bot.db.engine import Database
from bot.knowledge import KnowledgeBase
from bot.knowledge.eligibility import EligibilityCheck
from bot.outbox.dispatcher import Dispatcher, DispatchReport
from bot.outbox.rate_limit import RateLimiter
from bot.outbox.telegram_sender import TelegramSender
from bot.services.citizens import CitizenProfile, get_citizen_by_telegram_id, save_citizen
from bot.services.clock import utcnow
from bot.settings import Settings
from bot.texts.consent import CONSENT_VERSION
from telegram_standin import BotApiStandIn, ChatMessage
from tests.support.factories import Factory

# Eligibility answers leading to a definite verdict; questions not listed get their first option.
POOR_IN_A_TEMPORARY_HOUSE = {
    "household": "poor",
    "merit": "no",
    "condition": "temporary",
    "disaster": "none",
    "previous_support": "no",
}
OLD_AND_POOR = {
    "age": "from_80",
    "household": "poor",
    "disability": "none",
    "pension": "no",
    "caregiver": "no_caregiver",
}


def option_label(check: EligibilityCheck, question_id: str, value: str) -> str:
    """The button label of one answer of an eligibility question."""
    question = next(q for q in check.questions if q.id == question_id)
    return next(o.label for o in question.options if o.value == value)


FlowApp = Application[Any, Any, Any, Any, BotData, Any]
REPLY_TIMEOUT = 10.0
MessagePredicate = Callable[[ChatMessage], bool]
NOT_IN_FLOW = "Không thuộc luồng nào."  # what the stand-in "catch-all" handler replies
GREETING = "Chào bạn."  # /start without a deep link (consent recorded)


async def _start(update: Update, context: ChatContext) -> None:
    """Records consent (as 5A's /start does after "Đồng ý"), then opens a deep link."""
    assert update.effective_user is not None
    db = context.bot_data.db
    assert db is not None
    async with db.transaction() as session:
        known = await get_citizen_by_telegram_id(
            session=session, telegram_user_id=update.effective_user.id
        )
        if known is None:
            await save_citizen(
                session=session,
                telegram_user_id=update.effective_user.id,
                profile=CitizenProfile(full_name=update.effective_user.full_name),
                consent_text_version=CONSENT_VERSION,
            )
    payload = context.args[0] if context.args else ""
    if payload.startswith("ev_") and payload[3:].isdigit():
        await start_registration(update, context, kind=None, entities={}, event_id=int(payload[3:]))
    elif update.effective_chat is not None:
        await update.effective_chat.send_message(GREETING)


async def _register(update: Update, context: ChatContext) -> None:
    """/dk [kind] [key=value …]: start_registration with entities, as the NLU would."""
    args = list(context.args or [])
    kind = args.pop(0) if args and "=" not in args[0] else None
    entities = dict(arg.split("=", 1) for arg in args)
    entities = {key: value.replace("_", " ") for key, value in entities.items()}
    await start_registration(update, context, kind=None if kind == "-" else kind, entities=entities)


async def _check(update: Update, context: ChatContext) -> None:
    await start_eligibility(update, context, check=(context.args or ["allowance"])[0])


async def _text(update: Update, context: ChatContext) -> None:
    if await continue_flow(update, context):
        return
    assert update.effective_chat is not None
    await update.effective_chat.send_message(NOT_IN_FLOW)


def build_app(standin: BotApiStandIn, db: Database, knowledge: KnowledgeBase) -> FlowApp:
    defaults = Defaults(parse_mode=ParseMode.HTML, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    app: FlowApp = (
        ApplicationBuilder()
        .token(standin.token)
        .base_url(standin.base_url)
        .base_file_url(standin.base_file_url)
        .defaults(defaults)
        .context_types(CONTEXT_TYPES)
        .build()
    )
    settings = Settings(_env_file=None)  # type: ignore[call-arg]  # pydantic-settings' keyword
    app.bot_data.db, app.bot_data.knowledge, app.bot_data.settings = db, knowledge, settings
    app.bot_data.answer_question = answer_text
    app.add_handler(CommandHandler("start", _start))
    app.add_handler(CommandHandler("dk", _register))
    app.add_handler(CommandHandler("kiemtra", _check))
    for handler in form_handlers():
        app.add_handler(handler)
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, _text))
    return app


@asynccontextmanager
async def running(app: FlowApp) -> AsyncIterator[FlowApp]:
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(timeout=5, poll_interval=0)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


@dataclass
class Harness:
    """A running flows bot, its stand-in and database, and helpers to talk to it."""

    standin: BotApiStandIn
    db: Database
    knowledge: KnowledgeBase
    factory: Factory
    app: FlowApp | None = None
    _stack: list[Any] = field(default_factory=list)

    async def start(self) -> None:
        self.app = build_app(self.standin, self.db, self.knowledge)
        context = running(self.app)
        await context.__aenter__()
        self._stack.append(context)

    async def stop(self) -> None:
        while self._stack:
            await self._stack.pop().__aexit__(None, None, None)
        self.app = None

    async def restart(self) -> None:
        """A new Application (new process, in effect) on the same database and stand-in."""
        await self.stop()
        await self.start()

    def citizen(self, first_name: str = "Lan", last_name: str | None = "Nguyễn") -> int:
        return self.standin.create_citizen(first_name=first_name, last_name=last_name).user_id

    async def say(self, user_id: int, text: str, expect: str | None = None) -> ChatMessage:
        """Send `text`; the bot's first reply (containing `expect`, when given)."""
        self.standin.send_text(user_id, text)
        return await self.reply(user_id, expect)

    async def command(
        self, user_id: int, command: str, payload: str | None = None, expect: str | None = None
    ) -> ChatMessage:
        self.standin.send_command(user_id, command, payload)
        return await self.reply(user_id, expect)

    async def press(
        self, user_id: int, text: str, expect: str | None = None, *, edited: bool = False
    ) -> ChatMessage:
        """Press the newest button labelled `text`; the reply (or the edited message)."""
        since = self.standin.mark()
        self.standin.press_button(user_id, text=text)
        if edited:
            return await self.standin.wait_for_edit(
                user_id, predicate=_containing(expect), since=since
            )
        return await self.standin.wait_for_message(user_id, _containing(expect), since=since)

    async def press_for_answer(self, user_id: int, **button: Any) -> dict[str, Any]:
        """Press a button; the callback answer (toast or alert) the bot gave."""
        query_id = self.standin.press_button(user_id, **button)
        return await self.standin.wait_for_callback_answer(query_id)

    async def forge(self, user_id: int, data: str) -> dict[str, Any]:
        """A modified client: a button with hand-made callback data, pressed; the answer."""
        assert self.app is not None
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data=data)]])
        await self.app.bot.send_message(user_id, "forged", reply_markup=markup)
        return await self.press_for_answer(user_id, callback_data=data)

    async def reply(self, user_id: int, expect: str | None = None) -> ChatMessage:
        return await self.standin.wait_for_message(user_id, _containing(expect))

    async def dispatch(self, *, at: datetime | None = None) -> DispatchReport:
        """Send what is due in the outbox through the real dispatcher and renderer."""
        assert self.app is not None
        clock: Callable[[], datetime] = (lambda: at) if at is not None else utcnow
        dispatcher = Dispatcher(
            self.db,
            TelegramSender(self.app.bot),
            renderer=render,
            limiter=RateLimiter(per_chat_interval=0),
            startup_pause=0,
            clock=clock,
        )
        return await dispatcher.run_once()


def _containing(expect: str | None) -> MessagePredicate | None:
    if expect is None:
        return None
    return lambda message: expect in (message.text or "")


# -- a person talking to the whole bot (tests/e2e) -----------------------------------------------


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
