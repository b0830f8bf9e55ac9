"""Short-lived memory of one conversation, a typed view of `context.user_data`.

These are seconds-to-minutes hints (misses in a row, the question awaited for an officer).
With more than one bot process, the person's next message may reach another process, so the
composition root loads `user_data` from the database before each update and saves it after
(bot.services.conversation_memory): everything stored here is JSON (lists, not tuples) with
wall-clock times. The texts are personal data: /riengtu clears them and nothing is kept
longer than `PENDING_SECONDS` in use (a day at most in the table). Where a citizen is in a
form is different: that is in bot.chat.flow_state.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from bot.chat.context import ChatContext

PENDING_SECONDS: Final = 30 * 60


@dataclass(frozen=True)
class AfterConsent:
    """What to do once the person agrees: open a registration or send a question."""

    action: str  # "registration" | "handoff"
    event_id: int | None = None
    kind: str | None = None
    question: str | None = None


class Memory:
    """Misses, the last unclear question, a question awaited for an officer, after consent."""

    def __init__(self, context: ChatContext) -> None:
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
        self._data["question"] = [text, dict(entities), time.time()]

    def last_entities(self) -> dict[str, str]:
        found = self._fresh("question")
        return dict(found[1]) if found else {}

    def take_question(self) -> str | None:
        found = self._fresh("question")
        self._data.pop("question", None)
        return str(found[0]) if found else None

    def await_question(self) -> None:
        self._data["awaiting_question"] = [None, None, time.time()]

    def take_awaiting_question(self) -> bool:
        """True (once) when the person was just asked to type their question for an officer."""
        fresh = self._fresh("awaiting_question") is not None
        self._data.pop("awaiting_question", None)
        return fresh

    def set_after_consent(self, after: AfterConsent) -> None:
        self._data["after_consent"] = dataclasses.asdict(after)

    def take_after_consent(self) -> AfterConsent | None:
        after = self._data.pop("after_consent", None)
        if not isinstance(after, dict):
            return None
        try:
            return AfterConsent(**after)
        except TypeError:  # written by another version of this class
            return None

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

    def _fresh(self, key: str) -> list[Any] | None:
        value = self._data.get(key)
        if not isinstance(value, list) or len(value) != 3:
            return None
        if not isinstance(value[2], (int, float)) or time.time() - value[2] > PENDING_SECONDS:
            return None
        return value
