"""What every handler needs: typed access to the wiring, sending views, short-lived memory.

`bot_data` is filled by the composition root (bot.application, `post_init`); reading it through
these functions gives a typed object and one clear error when the wiring is missing. Sending
goes through `send`/`show` so that "message is not modified" (a double tap) is never an error.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot.db.models import Citizen

# The typed bot_data accessors are shared with the flows; one definition lives there.
from bot.flows.deps import DB_KEY as DB_KEY
from bot.flows.deps import DISPATCHER_KEY as DISPATCHER_KEY
from bot.flows.deps import KNOWLEDGE_KEY as KNOWLEDGE_KEY
from bot.flows.deps import SETTINGS_KEY as SETTINGS_KEY
from bot.flows.deps import AnyContext as AnyContext
from bot.flows.deps import WiringError as WiringError
from bot.flows.deps import db as db
from bot.flows.deps import knowledge as knowledge
from bot.flows.deps import settings as settings
from bot.nlu_client import NluClient
from bot.outbox.queue import RenderedMessage
from bot.services.citizens import get_citizen_by_telegram_id
from bot.settings import Settings

log = logging.getLogger(__name__)

NLU_KEY: Final = "nlu"
MESSAGE_COUNTER_KEY: Final = "message_counter"
_HARMLESS_EDIT_ERRORS: Final = ("message is not modified", "message to edit not found")


def nlu(context: AnyContext) -> NluClient | None:
    """The NLU client; None means keywords only (understanding.understand handles both)."""
    found = context.application.bot_data.get(NLU_KEY)
    return found if isinstance(found, NluClient) else None


def kick_dispatcher(context: AnyContext) -> None:
    """Send queued outbox messages now instead of at the next scheduler tick."""
    dispatcher = context.application.bot_data.get(DISPATCHER_KEY)
    if dispatcher is not None:
        dispatcher.kick()


def count_message(context: AnyContext) -> None:
    """One more citizen message reached the NLU (the dashboard's fallback-rate base)."""
    counter = context.application.bot_data.get(MESSAGE_COUNTER_KEY)
    if counter is not None:
        counter.record()


def retention_days(config: Settings) -> int:
    """How long review and question texts are kept (`REVIEW_RETENTION_DAYS`)."""
    return config.review_retention_days


def private_user_id(update: Update) -> int | None:
    """The person's Telegram id in a private chat; None anywhere else (groups, channels)."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or chat.type != "private":
        return None
    return user.id


async def find_citizen(context: AnyContext, telegram_user_id: int) -> Citizen | None:
    async with db(context).transaction() as session:
        return await get_citizen_by_telegram_id(
            session=session, telegram_user_id=telegram_user_id
        )


def has_consent(citizen: Citizen | None) -> bool:
    return citizen is not None and citizen.consent_at is not None and citizen.erased_at is None


# -- sending ----------------------------------------------------------------------------------

def markup(view: RenderedMessage) -> InlineKeyboardMarkup | None:
    rows = [
        [
            InlineKeyboardButton(button.text, url=button.url, callback_data=button.callback_data)
            for button in row
        ]
        for row in view.buttons
        if row
    ]
    return InlineKeyboardMarkup(rows) if rows else None


async def send(update: Update, context: AnyContext, view: RenderedMessage) -> Message | None:
    """A new message in the update's chat (HTML and no link previews: the app's Defaults)."""
    chat = update.effective_chat
    if chat is None:
        return None
    sent: Message = await context.bot.send_message(chat.id, view.text, reply_markup=markup(view))
    return sent


async def show(update: Update, context: AnyContext, view: RenderedMessage) -> None:
    """Replace the pressed button's message (menus), or send a new one after a typed message."""
    query = update.callback_query
    if query is None or query.message is None:
        await send(update, context, view)
        return
    try:
        await query.edit_message_text(view.text, reply_markup=markup(view))
    except BadRequest as error:
        if not is_harmless(error):
            raise


async def acknowledge(update: Update, text: str | None = None, *, alert: bool = False) -> None:
    """Stop the button's spinner (optionally with a short notice)."""
    query = update.callback_query
    if query is None:
        return
    try:
        await query.answer(text, show_alert=alert)
    except BadRequest as error:  # "query is too old": the person pressed long ago
        log.info("callback answer refused: %s", type(error).__name__)


def is_harmless(error: BadRequest) -> bool:
    """Errors of a double tap or of an old message, which need no apology."""
    return any(phrase in error.message.lower() for phrase in _HARMLESS_EDIT_ERRORS)


# -- short-lived memory of one conversation (in process memory, gone after a restart) ---------

PENDING_SECONDS: Final = 30 * 60


@dataclass(frozen=True)
class AfterConsent:
    """What to do once the person agrees: open a registration or send a question."""

    action: str  # "registration" | "handoff"
    event_id: int | None = None
    kind: str | None = None
    question: str | None = None


class Memory:
    """Typed view of `context.user_data`: misses, the last unclear question, pending steps.

    Kept in memory on purpose: these are seconds-to-minutes hints (a restart at worst asks
    again), and the question texts in them are personal data that should not be persisted
    without consent.
    """

    def __init__(self, context: AnyContext) -> None:
        data = context.user_data
        self._data: dict[str, Any] = data if isinstance(data, dict) else {}

    @property
    def misses(self) -> int:
        value = self._data.get("misses", 0)
        return value if isinstance(value, int) else 0

    @misses.setter
    def misses(self, value: int) -> None:
        self._data["misses"] = value

    def remember_question(self, text: str, entities: Mapping[str, str]) -> None:
        self._data["question"] = (text, dict(entities), time.monotonic())

    def last_entities(self) -> dict[str, str]:
        found = self._fresh("question")
        return dict(found[1]) if found else {}

    def take_question(self) -> str | None:
        found = self._fresh("question")
        self._data.pop("question", None)
        return str(found[0]) if found else None

    def await_question(self) -> None:
        self._data["awaiting_question"] = (None, None, time.monotonic())

    def take_awaiting_question(self) -> bool:
        """True (once) when the person was just asked to type their question for an officer."""
        fresh = self._fresh("awaiting_question") is not None
        self._data.pop("awaiting_question", None)
        return fresh

    def set_after_consent(self, after: AfterConsent) -> None:
        self._data["after_consent"] = after

    def take_after_consent(self) -> AfterConsent | None:
        after = self._data.pop("after_consent", None)
        return after if isinstance(after, AfterConsent) else None

    @property
    def topic(self) -> str | None:
        value = self._data.get("topic")
        return value if isinstance(value, str) else None

    @topic.setter
    def topic(self, intent: str | None) -> None:
        self._data["topic"] = intent

    def forget_pending(self) -> None:
        """The person moved on (menu, /start): a half-asked question is no longer wanted."""
        self._data.pop("awaiting_question", None)

    def clear(self) -> None:
        self._data.clear()

    def _fresh(self, key: str) -> tuple[Any, Any, float] | None:
        value = self._data.get(key)
        if not isinstance(value, tuple) or time.monotonic() - value[2] > PENDING_SECONDS:
            return None
        return value
