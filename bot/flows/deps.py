"""Typed access to what the composition root puts in `application.bot_data`.

bot.application sets these keys in `post_init`; reading them through one module gives every
handler a typed object and one clear error when the wiring is missing, instead of a
`KeyError` somewhere in the middle of a conversation.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import CallbackContext

from bot.db.engine import Database
from bot.knowledge import KnowledgeBase
from bot.settings import Settings

DB_KEY = "db"
KNOWLEDGE_KEY = "knowledge"
SETTINGS_KEY = "settings"
DISPATCHER_KEY = "dispatcher"  # optional: kicked after a cancellation queues a promotion

AnyContext = CallbackContext[Any, Any, Any, Any]


class WiringError(RuntimeError):
    """The composition root did not put something the flows need into `bot_data`."""


def _get(context: AnyContext, key: str, kind: type[Any]) -> Any:
    value = context.application.bot_data.get(key)
    if not isinstance(value, kind):
        raise WiringError(
            f"application.bot_data[{key!r}] must be a {kind.__name__} "
            f"(got {type(value).__name__}); bot.application sets it in post_init"
        )
    return value


def db(context: AnyContext) -> Database:
    database: Database = _get(context, DB_KEY, Database)
    return database


def knowledge(context: AnyContext) -> KnowledgeBase:
    base: KnowledgeBase = _get(context, KNOWLEDGE_KEY, KnowledgeBase)
    return base


def settings(context: AnyContext) -> Settings:
    value: Settings = _get(context, SETTINGS_KEY, Settings)
    return value


def kick_dispatcher(context: AnyContext) -> None:
    """Ask the outbox dispatcher (if one is wired) to send what was just queued."""
    dispatcher = context.application.bot_data.get(DISPATCHER_KEY)
    kick = getattr(dispatcher, "kick", None)
    if callable(kick):
        kick()
