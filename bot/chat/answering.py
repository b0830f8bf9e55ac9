"""What to do with one understood message: answer it, ask "Ý bạn là…?", or offer an officer.

Kept free of Telegram so the rule can be read (and tested) in one place:
- NLU server down and no keyword matched → the menu (every feature is reachable from it);
- the NLU is unsure (confidence below the threshold, or Rasa's `nlu_fallback`) → "Ý bạn là…?"
  with the three most likely intents a citizen could mean; if the previous message was unclear
  too → offer an officer instead of guessing again;
- `out_of_scope` → its knowledge-base answer, which itself offers the officer;
- anything else → the intent's answer or feature.
Every message that is not simply answered is kept for staff review (`review_reason`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from bot.knowledge.intents import CONTRACT_INTENTS
from bot.understanding import Source, Understanding

# Small talk makes no sense as a guess of what someone meant ("Ý bạn là… Đồng ý?").
# Never offered as "Ý bạn là…?": small talk, and emergencies (a person in danger says so; the
# hotlines are never a guess for a vague message like "nhà ở").
NOT_SUGGESTED: Final = frozenset(
    {"greet", "goodbye", "thank", "affirm", "deny", "out_of_scope", "emergency"}
)
SUGGESTIONS: Final = 3


class Outcome(StrEnum):
    ANSWER = "answer"
    CLARIFY = "clarify"
    OFFER_OFFICER = "offer_officer"
    MENU = "menu"


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    intent: str | None = None
    suggestions: tuple[str, ...] = field(default=())
    review_reason: str | None = None  # services.nlu_review reason, when kept for review


def suggestions(
    ranking: tuple[tuple[str, float], ...], limit: int = SUGGESTIONS
) -> tuple[str, ...]:
    """The most likely intents worth offering as buttons, best first."""
    picked: list[str] = []
    for intent, _ in ranking:
        if intent in CONTRACT_INTENTS and intent not in NOT_SUGGESTED and intent not in picked:
            picked.append(intent)
        if len(picked) == limit:
            break
    return tuple(picked)


def decide(understanding: Understanding, *, threshold: float, misses: int) -> Decision:
    """The outcome for one message; `misses` counts the unclear messages just before it."""
    if understanding.source is Source.NONE or understanding.intent is None:
        return Decision(Outcome.MENU, review_reason="nlu_down")
    intent = understanding.intent
    unsure = understanding.source is Source.NLU and (
        intent not in CONTRACT_INTENTS or understanding.confidence < threshold
    )
    if unsure:
        offered = suggestions(understanding.ranking)
        if misses >= 1 or not offered:
            return Decision(Outcome.OFFER_OFFICER, review_reason="unclear")
        return Decision(Outcome.CLARIFY, suggestions=offered, review_reason="low_confidence")
    if intent == "out_of_scope":
        return Decision(Outcome.ANSWER, intent, review_reason="out_of_scope")
    return Decision(Outcome.ANSWER, intent)


def entity_map(understanding: Understanding) -> dict[str, str]:
    """The first value of each entity: what the knowledge base and the flows take. An
    out-of-scope question also names the service next door it is about (`neighbour`), which
    picks the answer that says where to ask."""
    values: dict[str, str] = {}
    for entity in understanding.entities:
        values.setdefault(entity.entity, entity.value)
    if understanding.intent == "out_of_scope" and understanding.neighbour is not None:
        values["neighbour"] = understanding.neighbour
    return values
