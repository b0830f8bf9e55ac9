"""Free text and answer buttons: NLU → knowledge-base answer, "Ý bạn là…?", or a feature.

A typed message is NFC-normalised once, here at the edge; an officer question the person was
just asked for, then an open form or check (bot.chat.open_flow), get it first. Otherwise the
NLU (or, when it is down, keywords) names an intent and `answering.decide` says what to do.
Action intents start their feature (registration, my registrations) or go to the officer;
the rest are answered from the knowledge base with the "Nguồn:" line and follow-up buttons.
Logs carry update ids, intents and confidences only.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Final

from telegram import Update

from bot.answer_pause import paused_reply
from bot.chat import callbacks as cb
from bot.chat import desk, eligibility, handoff, my_registrations, open_flow, replies, screens
from bot.chat.answering import Outcome, decide, entity_map
from bot.chat.context import (
    ChatContext,
    count_message,
    db,
    knowledge,
    nlu,
    private_user_id,
    settings,
)
from bot.chat.memory import Memory
from bot.chat.registration import entry as registration
from bot.db.enums import EventKind
from bot.knowledge.story import Story
from bot.services import answer_quality, nlu_review
from bot.services.citizens import get_citizen_by_telegram_id
from bot.services.clock import utcnow
from bot.services.keywords import is_greeting
from bot.texts import common as texts
from bot.understanding import Understanding, understand
from nlu.textnorm import edge_text

log = logging.getLogger(__name__)

REGISTER_KINDS: Final[dict[str, str]] = {
    "register_vocational": EventKind.VOCATIONAL_CLASS.value,
    "register_job_fair": EventKind.JOB_FAIR.value,
}
MY_REGISTRATIONS: Final = frozenset({"my_registrations", "cancel_registration"})
# Questions whose answer depends on the person's facts (age, disability, pension).
STORY_INTENTS: Final = frozenset({"allowance_amount", "allowance_eligibility"})
# "gặp cán bộ" alone is a request; a longer message asking for an officer is the question.
MIN_QUESTION_WORDS: Final = 8


async def on_text(update: Update, context: ChatContext) -> None:
    """The person typed something: an answer with its source, a clarification, or the menu."""
    message = update.effective_message
    if message is None or not message.text or private_user_id(update) is None:
        return
    text = edge_text(message.text)
    if not text:  # only spaces or invisible characters: nothing to understand
        await replies.send_view(update, screens.main_menu(texts.EMPTY_MESSAGE))
        return
    if await handoff.take_typed_question(update, context, text):
        return
    if await open_flow.continue_flow(update, context):
        return
    await answer_text(update, context, text)


async def answer_text(update: Update, context: ChatContext, text: str) -> None:
    """Understand and answer `text` as a question on its own (also when it was typed in the
    middle of a form and the person chose what to do first: bot.chat.registration)."""
    if is_greeting(text):  # "alo", "ai đấy": the model has no such examples
        Memory(context).misses = 0
        await run_intent(update, context, "greet", {}, typed=text)
        return
    count_message(context)
    understanding = await understand(text, nlu(context), previous_intent=Memory(context).topic)
    await respond(update, context, text, understanding)


async def respond(
    update: Update, context: ChatContext, text: str, understanding: Understanding
) -> None:
    """Act on one understood message (see bot.chat.answering for the rule)."""
    memory = Memory(context)
    threshold = settings(context).nlu_confidence_threshold
    decision = decide(understanding, threshold=threshold, misses=memory.misses)
    entities = entity_map(understanding)
    log.info(
        "update %s: intent=%s confidence=%.2f source=%s -> %s",
        update.update_id,
        understanding.intent,
        understanding.confidence,
        understanding.source.value,
        decision.outcome.value,
    )
    async with db(context).transaction() as session:
        # Answer-quality figures the overview shows per topic and week (no text, no person).
        answer_quality.record(
            session,
            outcome=decision.outcome.value,
            topic=decision.intent or understanding.intent,
            now=utcnow(),
        )
    if decision.review_reason is not None:
        await _keep_for_review(update, context, text, understanding, decision.review_reason)
        memory.remember_question(text, entities, intent=understanding.intent)
    if decision.outcome is Outcome.ANSWER and decision.intent is not None:
        memory.misses = 0
        await run_intent(
            update,
            context,
            decision.intent,
            entities,
            typed=text,
            story=_story(understanding),
            also_asked=understanding.second_intent,
        )
    elif decision.outcome is Outcome.CLARIFY and len(understanding.covering_intents) >= 2:
        # Unsure between two answers of one topic: the first, and the other one tap away,
        # is better than "Ý bạn là…?".
        memory.misses = 0
        first, second = understanding.covering_intents[:2]
        await run_intent(
            update,
            context,
            first,
            entities,
            typed=text,
            story=_story(understanding),
            also_asked=second,
        )
    elif decision.outcome is Outcome.CLARIFY:
        memory.misses += 1
        sent = await replies.send_view(update, screens.clarify(decision.suggestions))
        memory.bind_question(sent.message_id if sent else None)
    elif decision.outcome is Outcome.OFFER_OFFICER:
        memory.misses = 0
        sent = await replies.send_view(update, screens.offer_officer())
        memory.bind_question(sent.message_id if sent else None)
    else:
        await replies.send_view(update, screens.main_menu(texts.NOT_UNDERSTOOD))


async def on_answer_button(update: Update, context: ChatContext) -> None:
    """A follow-up, menu or "Ý bạn là…?" button: the answer (or feature) of that intent."""
    press = await replies.pressed(update, cb.ANSWER, ack=True)
    if press is None:
        return
    choice = press.callback
    memory = Memory(context)
    memory.misses = 0
    await run_intent(update, context, choice.value, memory.last_entities(), typed=None)


async def run_intent(
    update: Update,
    context: ChatContext,
    intent: str,
    entities: Mapping[str, str],
    *,
    typed: str | None,
    story: Story | None = None,
    also_asked: str | None = None,
) -> None:
    """Start the feature of an action intent, or send the knowledge base's answer: for one
    person's case (`story`), the verdict for that person; a second question of the same
    message (`also_asked`) is offered as the first button."""
    memory = Memory(context)
    if intent in REGISTER_KINDS:
        await registration.start_registration(
            update, context, kind=REGISTER_KINDS[intent], entities=entities
        )
    elif intent in MY_REGISTRATIONS:
        await my_registrations.show_my_registrations(update, context)
    elif intent == "human_handoff":
        previous = memory.take_question()
        question = _question_for_officer(typed, previous.text if previous else None)
        await handoff.request_officer(
            update,
            context,
            question=question,
            topic=previous.intent if previous else None,
            entities={**(previous.entities if previous else {}), **entities},
        )
    else:
        memory.topic = intent
        paused = await paused_reply(  # staff's emergency stop (bot.answer_pause)
            db(context),
            intent,
            commune=entities.get("commune"),
            telegram_user_id=private_user_id(update),
        )
        if paused is not None:
            await replies.send_view(update, screens.main_menu(paused))
            return
        if story is not None and intent in STORY_INTENTS:
            await eligibility.answer_story_question(update, context, story)
            return
        found = knowledge(context).answer(intent, entities)
        await replies.send_view(update, screens.answer(found, also_asked=also_asked))
        if found.urgent:
            # Someone may be in danger: the hotlines went first (above); now the officers are
            # told at once, through the same ticket as any officer question.
            log.warning("update %s: urgent intent %s flagged to staff", update.update_id, intent)
            await handoff.request_officer(update, context, question=typed)


def _story(understanding: Understanding) -> Story | None:
    """The person the message is about, when it says something only a person has (an age or
    a pension); None for general questions about a group."""
    facts = dict(understanding.facts)
    if not any(name in facts for name in ("age", "pension")):
        return None  # "trợ cấp người khuyết tật nặng bao nhiêu" asks about a group, not a person
    return Story.from_entities(
        {
            "age": facts.get("age", ""),
            "relation": facts.get("relation", ""),
            "target_group": facts.get("household", ""),
            "disability_level": facts.get("disability_level", ""),
            "pension": facts.get("pension", ""),
        }
    )


def _question_for_officer(typed: str | None, previous: str | None) -> str | None:
    """What the officer should read: the question not understood, and a long request itself."""
    parts = [previous] if previous else []
    if typed and len(typed.split()) >= MIN_QUESTION_WORDS:
        parts.append(typed)
    return "\n".join(parts) or None


async def _keep_for_review(
    update: Update, context: ChatContext, text: str, understanding: Understanding, reason: str
) -> None:
    """Log the message for staff; its text only with consent (it is the person's words)."""
    user_id = private_user_id(update)
    async with db(context).transaction() as session:
        citizen = (
            await get_citizen_by_telegram_id(session=session, telegram_user_id=user_id)
            if user_id is not None
            else None
        )
        await nlu_review.log_message(
            session,
            text=text if desk.has_consent(citizen) else "",
            predicted_intent=understanding.intent,
            confidence=understanding.confidence,
            ranking=understanding.ranking,
            reason=reason,
            now=utcnow(),
            citizen=citizen,
        )
