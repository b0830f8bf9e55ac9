"""The typed context every chat handler gets: `BotData` through PTB's `ContextTypes`.

The composition root (bot.application) builds the Application with `CONTEXT_TYPES`, so
`context.bot_data` is a `BotData`, not a dict of string keys: mypy sees every field, and a
missing piece of wiring fails with one clear `WiringError` naming the field instead of a
`KeyError` in the middle of a conversation. Settings are set when the Application is built;
the rest in `post_init`.

Also here: the question nearly every handler asks first — who is this, in a private chat
(`private_user_id`). Whether they agreed to have data stored is `desk.has_consent`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeAlias

from telegram import Update
from telegram.ext import CallbackContext, ContextTypes, ExtBot

from bot.db.engine import Database
from bot.knowledge import KnowledgeBase
from bot.nlu_client import NluClient
from bot.services.flood import FloodGate
from bot.settings import Settings


class Kickable(Protocol):
    """The outbox dispatcher as the chat sees it: "send what was just queued, now"."""

    def kick(self) -> None: ...


class Counter(Protocol):
    """Counts citizen messages that reached the NLU (the dashboard's fallback-rate base)."""

    def record(self) -> None: ...


class WiringError(RuntimeError):
    """The composition root did not put something the chat needs into `bot_data`."""


@dataclass
class BotData:
    """What the composition root wires in; PTB creates it empty, bot.application fills it.

    `nlu` None means keywords only; `dispatcher` and `message_counter` are optional (the
    chat still works without them, e.g. in the conversation tests' driver).
    """

    settings: Settings | None = None
    db: Database | None = None
    knowledge: KnowledgeBase | None = None
    nlu: NluClient | None = None
    dispatcher: Kickable | None = None
    message_counter: Counter | None = None
    scheduler: Any = None  # the dispatcher's APScheduler, stopped in post_stop
    flood_gate: FloodGate | None = None  # per process, made on first use (bot.chat.edge)
    # bot.chat.answers.answer_text, wired by the composition root: the registration form
    # answers a question typed in its middle with it, while answers imports the form.
    answer_question: Callable[[Update, ChatContext, str], Awaitable[None]] | None = None


ChatContext: TypeAlias = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]
CONTEXT_TYPES: ContextTypes[ChatContext, dict[Any, Any], dict[Any, Any], BotData] = ContextTypes(
    context=CallbackContext, bot_data=BotData
)


def _wired(value: Any, name: str) -> Any:
    if value is None:
        raise WiringError(f"bot_data.{name} is not set; bot.application sets it in post_init")
    return value


def db(context: ChatContext) -> Database:
    database: Database = _wired(context.bot_data.db, "db")
    return database


def knowledge(context: ChatContext) -> KnowledgeBase:
    base: KnowledgeBase = _wired(context.bot_data.knowledge, "knowledge")
    return base


def settings(context: ChatContext) -> Settings:
    value: Settings = _wired(context.bot_data.settings, "settings")
    return value


def nlu(context: ChatContext) -> NluClient | None:
    """The NLU client; None means keywords only (understanding.understand handles both)."""
    return context.bot_data.nlu


def kick_dispatcher(context: ChatContext) -> None:
    """Send queued outbox messages now instead of at the next scheduler tick."""
    if context.bot_data.dispatcher is not None:
        context.bot_data.dispatcher.kick()


def count_message(context: ChatContext) -> None:
    """One more citizen message reached the NLU (the dashboard's fallback-rate base)."""
    if context.bot_data.message_counter is not None:
        context.bot_data.message_counter.record()


def retention_days(config: Settings) -> int:
    """How long review and question texts are kept (`REVIEW_RETENTION_DAYS`)."""
    return config.review_retention_days


def private_user_id(update: Update) -> int | None:
    """The person's Telegram id in a private chat; None anywhere else (groups, channels)."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or chat.type != "private":
        return None
    return user.id


def answer_question(context: ChatContext) -> Callable[[Update, ChatContext, str], Awaitable[None]]:
    """The one way to answer a free-text question (bot.chat.answers.answer_text)."""
    answer: Callable[[Update, ChatContext, str], Awaitable[None]] = _wired(
        context.bot_data.answer_question, "answer_question"
    )
    return answer
