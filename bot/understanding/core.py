"""What did the citizen ask? The NLU server first; keywords when it is down.

For a short chat line one parse is enough. A long message (a story ending in a question) is
parsed three ways at once: whole, its question sentence, and a second question if it asks two
things (`bot.understanding.sentences`). The rankings are combined and calibrated at the topic
level (`bot.understanding.calibration`): `Understanding.confidence` is that calibrated
confidence, so the chat's threshold keeps working unchanged and a shaky reading falls below it.
The facts of the story (age, relative, pension, disability level, household) come back
normalised in `Understanding.facts`; households the story negates ("không thuộc hộ nghèo")
are removed from the entities, so no answer is picked for them. A short follow-up ("nộp ở
đâu", "còn người khuyết tật thì sao") is read in the topic of `previous_intent`.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from enum import StrEnum

from bot.nlu_client import NluClient, NluUnavailable, Parse, ParsedEntity
from bot.understanding.calibration import DEFAULT_CONFIG, Calibrated, CalibrationConfig, calibrate
from bot.understanding.followups import aspect_intents, context_topic, follow_up_intent
from bot.understanding.keywords import keyword_intent
from bot.understanding.neighbours import neighbour_hits, neighbour_service, scope_hits
from bot.understanding.sentences import find_questions
from bot.understanding.topics import topic_of
from nlu.facts import FACT_ENTITIES, find_facts, negated_household_spans, story_facts
from nlu.phone import find_phones
from nlu.textnorm import canonical_text

log = logging.getLogger(__name__)

# Messages shorter than this are classified whole: chat lines have no story to separate.
SPLIT_MIN_WORDS = 14
# Confidence given to a follow-up read in the previous answer's topic.
FOLLOW_UP_CONFIDENCE = 0.75
HOUSEHOLD_GROUPS = frozenset({"hộ nghèo", "hộ cận nghèo"})


class Source(StrEnum):
    """Where an understanding came from."""

    NLU = "nlu"
    KEYWORDS = "keywords"
    NONE = "none"


@dataclass(frozen=True)
class Understanding:
    """Intent, confidence and entities of a message, and how they were obtained.

    `confidence` is calibrated (see module docstring); `raw_confidence` is the NLU's own top
    confidence for the whole message. Fields after `ranking` were added for long real
    questions; all have defaults, so older callers keep working.
    """

    intent: str | None
    confidence: float
    source: Source
    entities: tuple[ParsedEntity, ...] = field(default=())
    ranking: tuple[tuple[str, float], ...] = field(default=())
    raw_confidence: float = 0.0
    topic: str | None = None
    topic_confidence: float = 0.0
    # The question sentence classified for a long message (None: the message was classified
    # whole). Personal data: never log it.
    question: str | None = None
    # A second, different question asked in the same message (offer it as a button).
    second_intent: str | None = None
    # Two intents of one topic the answer should cover instead of asking "Ý bạn là…?".
    covering_intents: tuple[str, ...] = field(default=())
    # Canonical facts of the story: age, relation, pension, disability_level, household.
    facts: tuple[tuple[str, str], ...] = field(default=())
    # Household groups the message says do not apply ("không thuộc hộ nghèo").
    negated: tuple[str, ...] = field(default=())
    # True when the intent comes from the previous answer's topic (a short follow-up).
    follow_up: bool = False
    # Why the confidence was lowered (e.g. "close_topics"), for review and evaluation.
    reasons: tuple[str, ...] = field(default=())
    # The service next door the message names ("đất đai", "bảo hiểm xã hội", …): an
    # out_of_scope answer then says where to ask about it.
    neighbour: str | None = None

    def first(self, entity: str) -> str | None:
        """The first value of `entity`, if any."""
        return next((e.value for e in self.entities if e.entity == entity), None)

    def fact(self, name: str) -> str | None:
        """One fact of the story ("age", "relation", "pension", "disability_level", …)."""
        return dict(self.facts).get(name)

    @property
    def about_relative(self) -> bool:
        """True when the question is about someone else ("Người này", not "Bạn")."""
        return self.fact("relation") is not None


def _keyword_entities(text: str) -> tuple[ParsedEntity, ...]:
    """Phone numbers and the story's facts can still be read without the NLU server."""
    phones = [ParsedEntity("phone", value, start, end) for start, end, value in find_phones(text)]
    facts = [ParsedEntity(f.entity, f.value, f.start, f.end) for f in find_facts(text)]
    return tuple(sorted(phones + facts, key=lambda e: e.start))


def _without_negated(
    text: str, entities: tuple[ParsedEntity, ...]
) -> tuple[tuple[ParsedEntity, ...], tuple[str, ...]]:
    """Entities minus the household groups the message negates, and those groups."""
    negated = negated_household_spans(text)
    if not negated:
        return entities, ()
    kept = tuple(
        e
        for e in entities
        if not (
            e.entity == "target_group" and any(start <= e.start < end for start, end, _ in negated)
        )
    )
    return kept, tuple(sorted({group for _, _, group in negated}))


def story_fact_pairs(
    text: str, entities: tuple[ParsedEntity, ...], negated: tuple[str, ...]
) -> tuple[tuple[str, str], ...]:
    """Canonical facts: the NLU's fact entities first, the local rules for what it missed."""
    values: dict[str, str] = {}
    for entity in entities:
        if entity.entity in FACT_ENTITIES and entity.entity != "pension":
            values.setdefault(entity.entity, entity.value)
        if entity.entity == "target_group" and entity.value in HOUSEHOLD_GROUPS:
            values.setdefault("household", entity.value)
    pensions = {e.value for e in entities if e.entity == "pension"}
    for value in ("none", "lower", "has"):
        if value in pensions:
            values["pension"] = value
            break
    for name, value in story_facts(text).items():
        values.setdefault(name, value)
    if values.get("household") in negated:
        del values["household"]
    return tuple(sorted(values.items()))


async def _parse_all(client: NluClient, texts: list[str]) -> list[Parse]:
    return list(await asyncio.gather(*(client.parse(t) for t in texts)))


def message_parts(text: str) -> list[str]:
    """What is sent to the NLU: the message, then (long messages) its question sentence and a
    second question when it asks two things."""
    questions = find_questions(text)
    if (
        len(canonical_text(text).split()) < SPLIT_MIN_WORDS
        or questions.primary is None
        or questions.primary.strip() == text.strip()
    ):
        return [text]
    parts = [text, questions.primary]
    if questions.second is not None:
        parts.append(questions.second)
    return parts


@dataclass(frozen=True)
class Signals:
    """What the text itself says, apart from the NLU's probabilities (see `calibrate`)."""

    words: int
    question_words: int
    neighbours: int
    scope: int
    context_topic: str | None
    aspect_intents: tuple[str, ...]


def signals_of(text: str, whole: Parse, question: Parse | None) -> Signals:
    """The text's signals for the calibration (computed once per message)."""
    return Signals(
        words=len(canonical_text(text).split()),
        question_words=len(canonical_text(question.text).split()) if question else 0,
        neighbours=neighbour_hits(text),
        scope=scope_hits(text),
        context_topic=context_topic(story_facts(text)),
        aspect_intents=aspect_intents((question or whole).text),
    )


def decide(
    text: str,
    whole: Parse,
    question: Parse | None,
    second: Parse | None,
    previous_intent: str | None,
    config: CalibrationConfig = DEFAULT_CONFIG,
    signals: Signals | None = None,
) -> tuple[Calibrated, str | None, bool]:
    """The calibrated decision from the parses of `message_parts(text)` (pure: no I/O), with
    the second question's intent and whether it was read as a follow-up. `signals` may be
    given when deciding one message under many configurations (the calibration search)."""
    signals = signals or signals_of(text, whole, question)
    calibrated = calibrate(
        whole.ranking or ((whole.intent, whole.confidence),),
        (question.ranking or ((question.intent, question.confidence),)) if question else None,
        words=signals.words,
        question_words=signals.question_words,
        neighbours=signals.neighbours,
        scope=signals.scope,
        context_topic=signals.context_topic,
        aspect_intents=signals.aspect_intents,
        config=config,
    )
    second_intent: str | None = None
    if second is not None and second.ranking:
        candidate = calibrate(
            second.ranking, words=len(canonical_text(second.text).split()), config=config
        )
        if (
            candidate.intent not in (None, calibrated.intent, *calibrated.covering)
            and candidate.confidence >= 0.5
            and topic_of(candidate.intent) not in ("chitchat", "other")
        ):
            second_intent = candidate.intent
    follow = follow_up_intent(
        text,
        previous_intent,
        nlu_topic=calibrated.topic,
        nlu_confidence=calibrated.confidence,
    )
    if follow is not None and (
        follow != calibrated.intent or calibrated.confidence < FOLLOW_UP_CONFIDENCE
    ):
        calibrated = Calibrated(
            follow,
            max(calibrated.confidence, FOLLOW_UP_CONFIDENCE),
            topic_of(follow),
            max(calibrated.topic_confidence, FOLLOW_UP_CONFIDENCE),
            calibrated.ranking,
            reasons=(*calibrated.reasons, "follow_up"),
        )
        return calibrated, second_intent, True
    return calibrated, second_intent, False


async def understand(
    text: str, client: NluClient | None, *, previous_intent: str | None = None
) -> Understanding:
    """Ask the NLU server; fall back to keywords when it is unavailable.

    `previous_intent` is the intent of the answer just given, for short follow-ups.
    """
    if client is not None:
        try:
            parts = message_parts(text)
            parses = await _parse_all(client, parts)
            whole = parses[0]
            question = parses[1] if len(parses) > 1 else None
            second = parses[2] if len(parses) > 2 else None
            calibrated, second_intent, follow = decide(
                text, whole, question, second, previous_intent
            )
            entities, negated = _without_negated(text, whole.entities)
            return Understanding(
                calibrated.intent,
                calibrated.confidence,
                Source.NLU,
                entities,
                calibrated.ranking,
                raw_confidence=whole.confidence,
                topic=calibrated.topic,
                topic_confidence=calibrated.topic_confidence,
                question=parts[1] if len(parts) > 1 else None,
                second_intent=second_intent,
                covering_intents=calibrated.covering,
                facts=story_fact_pairs(text, entities, negated),
                negated=negated,
                follow_up=follow,
                reasons=calibrated.reasons,
                neighbour=neighbour_service(text),
            )
        except NluUnavailable as error:
            log.warning("NLU unavailable, using keywords: %s", error)
    intent = keyword_intent(text)
    entities, negated = _without_negated(text, _keyword_entities(text))
    return Understanding(
        intent,
        1.0 if intent else 0.0,
        Source.KEYWORDS if intent else Source.NONE,
        entities,
        topic=topic_of(intent),
        facts=story_fact_pairs(text, entities, negated),
        negated=negated,
        neighbour=neighbour_service(text),
    )
