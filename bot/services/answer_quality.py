"""Answer-quality figures that survive restarts: what the bot did with each question.

One row per citizen question, with its topic (the intent) and the outcome: `answered`,
`clarified` ("Ý bạn là…?"), `handoff` (sent to officers) or `fallback` (the NLU was down and
the menu was shown). No text and no person are stored, so the rows are not personal data and
are kept. The overview groups them per topic and per week.

The chat side records its outcomes through `record` (one call after `answering.decide`); a
new handoff ticket is recorded by services.handoff itself.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import AnswerOutcome
from bot.services.reporting.overview import _weeks, week_start, window_start

OUTCOMES: Final = ("answered", "clarified", "handoff", "fallback")
#: bot.chat.answering.Outcome values -> stored outcome. Offering an officer after two
#: unclear messages is a miss ("fallback"); "handoff" is counted when a ticket is opened.
FROM_DECISION: Final = {
    "answer": "answered",
    "clarify": "clarified",
    "offer_officer": "fallback",
    "menu": "fallback",
}


def record(session: AsyncSession, *, outcome: str, topic: str | None, now: datetime) -> None:
    """Count one question's outcome (an answering.Outcome value or one of OUTCOMES)."""
    stored = FROM_DECISION.get(outcome, outcome)
    if stored not in OUTCOMES:
        raise ValueError(f"unknown answer outcome {outcome!r}")
    session.add(AnswerOutcome(at=now, topic=(topic or None) and topic[:40], outcome=stored))


@dataclass(frozen=True)
class QualityStats:
    weeks: list[date]
    per_week: dict[str, list[int]]  # outcome -> count per week
    per_topic: dict[str, dict[str, int]]  # topic -> outcome -> count over the window

    @property
    def total(self) -> int:
        return sum(sum(counts) for counts in self.per_week.values())

    def share(self, outcome: str) -> float | None:
        total = self.total
        return None if not total else sum(self.per_week[outcome]) / total


async def quality_stats(session: AsyncSession, *, now: datetime, weeks: int) -> QualityStats:
    """Outcomes per week and per topic over the last `weeks` weeks (local Monday weeks)."""
    week_list = _weeks(now, weeks)
    rows = (
        await session.execute(
            select(AnswerOutcome.at, AnswerOutcome.topic, AnswerOutcome.outcome).where(
                AnswerOutcome.at >= window_start(now, weeks)
            )
        )
    ).tuples()
    index = {week: i for i, week in enumerate(week_list)}
    per_week = {outcome: [0] * len(week_list) for outcome in OUTCOMES}
    per_topic: dict[str, Counter[str]] = {}
    for at, topic, outcome in rows:
        position = index.get(week_start(at))
        if position is None or outcome not in per_week:
            continue
        per_week[outcome][position] += 1
        per_topic.setdefault(topic or "", Counter())[outcome] += 1
    ordered = sorted(per_topic.items(), key=lambda item: -sum(item[1].values()))
    return QualityStats(week_list, per_week, {topic: dict(c) for topic, c in ordered})
