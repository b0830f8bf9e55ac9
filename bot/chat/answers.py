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

from bot.chat import callbacks as cb
from bot.chat import desk, handoff, my_registrations, open_flow, replies, screens
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
from bot.services import nlu_review
from bot.services.citizens import get_citizen_by_telegram_id
from bot.services.clock import utcnow
from bot.texts import common as texts
from bot.understanding import Understanding, understand
from nlu.textnorm import nfc

log = logging.getLogger(__name__)

REGISTER_KINDS: Final[dict[str, str]] = {
    "register_vocational": EventKind.VOCATIONAL_CLASS.value,
    "register_job_fair": EventKind.JOB_FAIR.value,
}
MY_REGISTRATIONS: Final = frozenset({"my_registrations", "cancel_registration"})
# "gặp cán bộ" alone is a request; a longer message asking for an officer is the question.
MIN_QUESTION_WORDS: Final = 8


async def on_text(update: Update, context: ChatContext) -> None:
    """The person typed something: an answer with its source, a clarification, or the menu."""
    message = update.effective_message
    if message is None or not message.text or private_user_id(update) is None:
        return
    text = nfc(message.text).strip()
    if await handoff.take_typed_question(update, context, text):
        return
    if await open_flow.continue_flow(update, context):
        return
    count_message(context)
    understanding = await understand(text, nlu(context))
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
    if decision.review_reason is not None:
        await _keep_for_review(update, context, text, understanding, decision.review_reason)
        memory.remember_question(text, entities)
    if decision.outcome is Outcome.ANSWER and decision.intent is not None:
        memory.misses = 0
        await run_intent(update, context, decision.intent, entities, typed=text)
    elif decision.outcome is Outcome.CLARIFY:
        memory.misses += 1
        await replies.send_view(update, screens.clarify(decision.suggestions))
    elif decision.outcome is Outcome.OFFER_OFFICER:
        memory.misses = 0
        await replies.send_view(update, screens.offer_officer())
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
) -> None:
    """Start the feature of an action intent, or send the knowledge base's answer."""
    memory = Memory(context)
    if intent in REGISTER_KINDS:
        await registration.start_registration(
            update, context, kind=REGISTER_KINDS[intent], entities=entities
        )
    elif intent in MY_REGISTRATIONS:
        await my_registrations.show_my_registrations(update, context)
    elif intent == "human_handoff":
        question = _question_for_officer(typed, memory.take_question())
        await handoff.request_officer(update, context, question=question)
    else:
        memory.topic = intent
        found = knowledge(context).answer(intent, entities)
        await replies.send_view(update, screens.answer(found))


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
        )
