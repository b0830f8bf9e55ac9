"""Short-lived memory of one conversation, a typed view of `context.user_data`.

These are seconds-to-minutes hints (misses in a row, the last unclear question, the question
awaited for an officer, what to do after consent, the topic of the last answer). With more
than one bot process, the person's next message may reach another process, so the
composition root loads `user_data` from the database before each update and saves it after
(bot.services.conversation_memory): everything stored here is JSON (lists and dicts with
string keys, not tuples or dataclasses) with wall-clock times. The texts are personal data:
/riengtu clears them and nothing is used longer than `PENDING_SECONDS`. Where a citizen is in
a form is different: that is in bot.chat.flow_state.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from bot.chat.context import ChatContext

PENDING_SECONDS: Final = 30 * 60
BOUND_QUESTIONS: Final = 5  # offers whose "Gửi câu hỏi cho cán bộ" still works


@dataclass(frozen=True)
class Question:
    """A message the bot did not understand, kept to pass to an officer."""

    text: str
    entities: dict[str, str]
    intent: str | None = None  # the NLU's best guess: the topic shown to staff

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "entities": dict(self.entities), "intent": self.intent}

    @classmethod
    def from_json(cls, value: object) -> Question | None:
        if not isinstance(value, dict) or not isinstance(value.get("text"), str):
            return None
        entities = value.get("entities")
        intent = value.get("intent")
        return cls(
            value["text"],
            {str(k): str(v) for k, v in entities.items()} if isinstance(entities, dict) else {},
            intent if isinstance(intent, str) else None,
        )


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

    def remember_question(
        self, text: str, entities: Mapping[str, str], *, intent: str | None = None
    ) -> None:
        """The message not understood, its entities and the NLU's best guess (the topic)."""
        question = Question(text, dict(entities), intent)
        self._data["question"] = [question.to_json(), None, time.time()]

    def last_entities(self) -> dict[str, str]:
        question = self._question(self._fresh("question"))
        return dict(question.entities) if question else {}

    def take_question(self) -> Question | None:
        found = self._fresh("question")
        self._data.pop("question", None)
        return self._question(found)

    def bind_question(self, message_id: int | None) -> None:
        """The bot's message `message_id` offers to send the remembered question: its
        "Gửi câu hỏi cho cán bộ" sends *that* question, however many came after it."""
        found = self._fresh("question")
        bound = self._data.setdefault("bound_questions", {})
        if message_id is None or found is None or not isinstance(bound, dict):
            return
        bound[str(message_id)] = [found[0], None, time.time()]
        for old in sorted(bound, key=int)[:-BOUND_QUESTIONS]:
            bound.pop(old, None)

    def take_question_for(self, message_id: int | None) -> Question | None:
        """The question offered under the bot's message `message_id` (once), or None."""
        bound = self._data.get("bound_questions")
        if message_id is None or not isinstance(bound, dict):
            return None
        found = bound.pop(str(message_id), None)
        if not _is_fresh(found):
            return None
        return self._question(found)

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
        """The intent of the last answer given: a short follow-up ("còn người khuyết tật thì
        sao", "nộp ở đâu") is read in its topic. Never the staff label of a new question."""
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
        return value if _is_fresh(value) else None

    @staticmethod
    def _question(found: list[Any] | None) -> Question | None:
        return Question.from_json(found[0]) if found else None


def _is_fresh(value: object) -> bool:
    """A [payload, extra, wall-clock time] entry younger than PENDING_SECONDS."""
    if not isinstance(value, list) or len(value) != 3:
        return False
    stamp = value[2]
    return isinstance(stamp, int | float) and time.time() - stamp <= PENDING_SECONDS
