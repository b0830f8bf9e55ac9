"""The answering pipeline without Telegram: the dashboard's "try the bot" page, and counts.

`Preview` runs a typed message through the same steps as a citizen's (NFC, NLU or keywords,
`answering.decide`, the same screens) and returns what the bot would say, as Telegram HTML with
the buttons listed underneath. Nothing is stored: staff trying answers must not fill the NLU
review queue, open tickets or start forms; action intents show the knowledge base's short
text for them instead of the feature. A topic staff stopped (the emergency stop) previews
the maintenance notice citizens get instead of the answer.
"""

from __future__ import annotations

import bisect
from datetime import datetime

from bot.answer_pause import paused_reply
from bot.chat import screens
from bot.chat.answering import Outcome, decide, entity_map
from bot.db.engine import Database
from bot.knowledge import KnowledgeBase
from bot.nlu_client import NluClient
from bot.outbox.queue import RenderedMessage
from bot.services.clock import utcnow
from bot.texts import common as texts
from bot.understanding import understand
from nlu.textnorm import nfc


class Preview:
    """`await preview(text, chat_id)` → the reply texts; misses are remembered per chat."""

    def __init__(
        self,
        *,
        nlu: NluClient | None,
        knowledge: KnowledgeBase,
        threshold: float,
        db: Database | None = None,
    ) -> None:
        self._nlu = nlu
        self._db = db
        self._knowledge = knowledge
        self._threshold = threshold
        self._misses: dict[int, int] = {}

    async def __call__(self, text: str, chat_id: int) -> list[str]:
        understanding = await understand(nfc(text).strip(), self._nlu)
        misses = self._misses.get(chat_id, 0)
        decision = decide(understanding, threshold=self._threshold, misses=misses)
        self._misses[chat_id] = misses + 1 if decision.outcome is Outcome.CLARIFY else 0
        paused = (
            await paused_reply(
                self._db,
                decision.intent,
                commune=entity_map(understanding).get("commune"),
                telegram_user_id=None,
            )
            if self._db is not None
            and decision.outcome is Outcome.ANSWER
            and decision.intent is not None
            else None
        )
        if paused is not None:
            view = screens.main_menu(paused)
        elif decision.outcome is Outcome.ANSWER and decision.intent is not None:
            view = screens.answer(
                self._knowledge.answer(decision.intent, entity_map(understanding))
            )
        elif decision.outcome is Outcome.CLARIFY:
            view = screens.clarify(decision.suggestions)
        elif decision.outcome is Outcome.OFFER_OFFICER:
            view = screens.offer_officer()
        else:
            view = screens.main_menu(texts.NOT_UNDERSTOOD)
        return [with_buttons(view)]


def with_buttons(view: RenderedMessage) -> str:
    """The message text, then one line per row of buttons: [Nút 1] [Nút 2]."""
    rows = [
        " ".join(f"[{texts.esc(button.text)}]" for button in row) for row in view.buttons if row
    ]
    return "\n".join([view.text, "", *rows]) if rows else view.text


class MessageCounter:
    """How many citizen messages reached the NLU since a moment (the fallback rate's base).

    Kept in memory: it counts from the start of this process, so a window reaching back
    before a restart is undercounted.
    """

    def __init__(self, keep: int = 500_000) -> None:
        self._keep = keep
        self._times: list[datetime] = []

    def record(self, at: datetime | None = None) -> None:
        self._times.append(at or utcnow())
        if len(self._times) > self._keep:
            del self._times[: len(self._times) - self._keep]

    async def __call__(self, since: datetime) -> int:
        return len(self._times) - bisect.bisect_left(self._times, since)
