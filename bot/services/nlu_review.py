"""Messages the bot did not understand, kept for staff to label and feed back into training.

Every low-confidence or unanswered message is logged with the predicted intent and
confidence. The text is personal data: it is stored only here (never in logs) and blanked by
`erase_old_texts` after the retention period. Labelled items export as Rasa NLU YAML, ready to
add to `nlu/data/`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import ReviewStatus
from bot.db.models import Citizen, NluReviewItem
from bot.knowledge.intents import CONTRACT_INTENTS

REASONS = frozenset({"low_confidence", "unclear", "nlu_down", "out_of_scope"})


@dataclass(frozen=True)
class ExportedYaml:
    body: str
    rows: int


class UnknownIntent(ValueError):
    """The label is not an intent of the NLU contract."""


async def log_message(
    session: AsyncSession,
    *,
    text: str,
    predicted_intent: str | None,
    confidence: float,
    ranking: Sequence[tuple[str, float]],
    reason: str,
    now: datetime,
    citizen: Citizen | None = None,
) -> NluReviewItem:
    """Keep one message for review, linked to its author (erasure) and their commune
    (officers review only their commune's messages)."""
    if reason not in REASONS:
        raise ValueError(f"unknown review reason {reason!r}; expected one of {sorted(REASONS)}")
    item = NluReviewItem(
        text=text[:2000],
        predicted_intent=predicted_intent,
        confidence=confidence,
        ranking=[[name, round(value, 4)] for name, value in ranking[:5]],
        reason=reason,
        status=ReviewStatus.NEW,
        created_at=now,
        citizen_id=citizen.id if citizen is not None else None,
        commune=citizen.commune if citizen is not None else None,
    )
    session.add(item)
    return item


def _in_scope(scope: str | None) -> ColumnElement[bool]:
    """Officers and commune viewers see their commune's messages only; None sees all."""
    return true() if scope is None else NluReviewItem.commune == scope


async def pending(
    session: AsyncSession, *, limit: int = 200, scope: str | None = None
) -> list[NluReviewItem]:
    """Items not reviewed yet whose text is still kept, oldest first, within `scope`."""
    result = await session.execute(
        select(NluReviewItem)
        .where(
            NluReviewItem.status == ReviewStatus.NEW,
            NluReviewItem.text.is_not(None),
            _in_scope(scope),
        )
        .order_by(NluReviewItem.id)
        .limit(limit)
    )
    return list(result.scalars().all())


async def reviewed_count(session: AsyncSession, *, scope: str | None = None) -> int:
    """How many items with kept text were reviewed, within `scope`."""
    count = await session.scalar(
        select(func.count(NluReviewItem.id)).where(
            NluReviewItem.status != ReviewStatus.NEW,
            NluReviewItem.text.is_not(None),
            _in_scope(scope),
        )
    )
    return int(count or 0)


async def item_in_scope(
    session: AsyncSession, item_id: int, *, scope: str | None
) -> NluReviewItem | None:
    """The item if it exists and `scope` may see it."""
    item = await session.get(NluReviewItem, item_id)
    if item is None or (scope is not None and item.commune != scope):
        return None
    return item


async def label(
    session: AsyncSession, *, item_id: int, intent: str | None, staff_login: str, now: datetime
) -> NluReviewItem:
    """Record the right intent, or `None` for "out of scope of the contract"."""
    if intent is not None and intent not in CONTRACT_INTENTS:
        raise UnknownIntent(f"{intent!r} is not an intent of the NLU contract")
    item = await session.get(NluReviewItem, item_id)
    if item is None:
        raise LookupError(f"review item {item_id} does not exist")
    item.status = ReviewStatus.LABELLED if intent else ReviewStatus.OUT_OF_SCOPE
    item.labelled_intent = intent or "out_of_scope"
    item.reviewed_by = staff_login
    item.reviewed_at = now
    return item


async def export_rasa_yaml(session: AsyncSession, *, scope: str | None = None) -> ExportedYaml:
    """Reviewed items whose text is still kept, as a Rasa 3.1 NLU file (no entities)."""
    result = await session.execute(
        select(NluReviewItem)
        .where(
            NluReviewItem.status.in_([ReviewStatus.LABELLED, ReviewStatus.OUT_OF_SCOPE]),
            NluReviewItem.text.is_not(None),
            _in_scope(scope),
        )
        .order_by(NluReviewItem.id)
    )
    by_intent: dict[str, list[str]] = defaultdict(list)
    rows = 0
    for item in result.scalars():
        line = " ".join((item.text or "").split())
        if line and item.labelled_intent:
            by_intent[item.labelled_intent].append(line)
            rows += 1
    lines = ['version: "3.1"', "nlu:"]
    for intent in sorted(by_intent):
        lines += [f"- intent: {intent}", "  examples: |"]
        lines += [f"    - {_yaml_safe(text)}" for text in by_intent[intent]]
    return ExportedYaml("\n".join(lines) + "\n", rows)


def _yaml_safe(text: str) -> str:
    """A line safe inside a YAML block scalar and Rasa's annotation syntax."""
    return text.replace("[", "(").replace("]", ")").replace("{", "(").replace("}", ")")


async def erase_old_texts(session: AsyncSession, *, older_than: datetime, now: datetime) -> int:
    """Blank texts older than the retention limit; labels and intents stay for statistics."""
    result = await session.execute(
        update(NluReviewItem)
        .where(NluReviewItem.created_at < older_than, NluReviewItem.text.is_not(None))
        .values(text=None, text_erased_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
