"""Citizen-facing knowledge: answers per NLU intent with sources, and eligibility checks.

Content lives in YAML under `data/`, checked against docs/contracts/domain-facts.md; this package
only loads, validates and selects it. Load once at start-up (`load_knowledge()`), so a bad
edit stops the bot with a clear message instead of failing in front of a citizen.
"""

from bot.knowledge.base import Answer, KnowledgeBase, UnknownIntent
from bot.knowledge.eligibility import (
    EligibilityCheck,
    IncompleteAnswers,
    Outcome,
    Question,
    Verdict,
    evaluate,
    load_checks,
)
from bot.knowledge.errors import KnowledgeError, Problem
from bot.knowledge.intents import (
    ACTION_INTENTS,
    CHITCHAT_INTENTS,
    CONTRACT_INTENTS,
    ENTITIES,
    FACTUAL_INTENTS,
)
from bot.knowledge.loader import load_knowledge
from bot.knowledge.sources import Source
from bot.knowledge.vocab import TARGET_GROUPS, normalise_target_group

__all__ = [
    "ACTION_INTENTS",
    "CHITCHAT_INTENTS",
    "CONTRACT_INTENTS",
    "ENTITIES",
    "FACTUAL_INTENTS",
    "TARGET_GROUPS",
    "Answer",
    "EligibilityCheck",
    "IncompleteAnswers",
    "KnowledgeBase",
    "KnowledgeError",
    "Outcome",
    "Problem",
    "Question",
    "Source",
    "UnknownIntent",
    "Verdict",
    "evaluate",
    "load_checks",
    "load_knowledge",
    "normalise_target_group",
]
