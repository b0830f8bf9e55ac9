"""The staff's emergency stop: switch off the assistant's knowledge answers, per topic or all.

When the assistant is found stating something wrong (a changed amount, a withdrawn rule) to
many people, an admin stops that topic from the dashboard at once; citizens asking about it
are told the assistant is being maintained and pointed to their commune People's Committee,
until an admin resumes it. Registrations, "my registrations", handoff to an officer and the
menu keep working: only answers stated from the knowledge base stop. State lives in the
database (`answer_stops`), so every bot process sees it at once; each change is audited.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import AnswerStop
from bot.knowledge.intents import FACTUAL_INTENTS
from bot.services import audit
from bot.services.actors import Actor

ALL: Final = "*"
#: Topic -> the intents whose knowledge answers it covers (every factual intent is in one).
TOPICS: Final[dict[str, frozenset[str]]] = {
    "housing": frozenset(
        {"housing_eligibility", "housing_amount", "housing_procedure", "disaster_relief"}
    ),
    "allowance": frozenset(
        {
            "allowance_eligibility",
            "allowance_amount",
            "allowance_procedure",
            "allowance_payment",
            "funeral_support",
            "health_insurance",
        }
    ),
    "jobs": frozenset({"vocational_classes", "job_fairs", "labour_export"}),
    "office": frozenset({"contact_office", "application_status", "complaint_appeal"}),
}
# The emergency answer (hotlines) is an action intent: no stop ever silences it.
assert frozenset().union(*TOPICS.values()) == FACTUAL_INTENTS, "a factual intent has no topic"


class UnknownTopic(ValueError):
    """Not a topic of TOPICS (nor ALL)."""


def topic_of(intent: str) -> str | None:
    """The topic whose answers include `intent`; None for chit-chat and actions."""
    return next((topic for topic, intents in TOPICS.items() if intent in intents), None)


async def stopped_topics(session: AsyncSession) -> dict[str, AnswerStop]:
    """Topics stopped now (ALL included), by topic."""
    rows = await session.scalars(select(AnswerStop))
    return {row.topic: row for row in rows}


async def is_stopped(session: AsyncSession, intent: str) -> bool:
    """True when the knowledge answer for `intent` must not be given now."""
    topic = topic_of(intent)
    if topic is None:
        return False
    found = await session.scalar(
        select(AnswerStop.topic).where(AnswerStop.topic.in_([topic, ALL])).limit(1)
    )
    return found is not None


def _check(topic: str) -> None:
    if topic != ALL and topic not in TOPICS:
        raise UnknownTopic(topic)


async def stop(session: AsyncSession, *, topic: str, actor: Actor, now: datetime) -> bool:
    """Stop `topic` (or ALL); False if it was already stopped. Audited."""
    _check(topic)
    if await session.get(AnswerStop, topic) is not None:
        return False
    session.add(AnswerStop(topic=topic, stopped_at=now, stopped_by=str(actor)[:80]))
    audit.record(
        session,
        actor=actor,
        action="answers.stop",
        entity_type="answer_topic",
        entity_id=None,
        before={"topic": topic, "stopped": False},
        after={"topic": topic, "stopped": True},
        at=now,
    )
    return True


async def resume(session: AsyncSession, *, topic: str, actor: Actor, now: datetime) -> bool:
    """Answer `topic` again; False if it was not stopped. Audited."""
    _check(topic)
    row = await session.get(AnswerStop, topic)
    if row is None:
        return False
    await session.delete(row)
    audit.record(
        session,
        actor=actor,
        action="answers.resume",
        entity_type="answer_topic",
        entity_id=None,
        before={"topic": topic, "stopped": True},
        after={"topic": topic, "stopped": False},
        at=now,
    )
    return True
