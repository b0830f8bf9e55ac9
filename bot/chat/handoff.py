"""Talking to an officer: /canbo, the "Gặp cán bộ" buttons, and officers' replies in the staff chat.

The citizen's question becomes a ticket (services.handoff); the staff Telegram chat gets a
notification whose message id is stored, so an officer who *replies* to it in Telegram answers
that ticket. The answer is queued in the outbox and sent by the dispatcher (limits, retries,
a delivery record) exactly like an answer typed in the dashboard. A ticket keeps the question
text, which is personal data: asking an officer therefore needs consent first.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

from telegram import Message, Update, User
from telegram.error import TelegramError

from bot.chat import callbacks as cb
from bot.chat import desk, replies, screens
from bot.chat.answering import NOT_SUGGESTED, entity_map
from bot.chat.consent import ask_consent
from bot.chat.context import (
    ChatContext,
    db,
    kick_dispatcher,
    nlu,
    private_user_id,
    settings,
)
from bot.chat.memory import AfterConsent, Memory
from bot.outbox.queue import RenderedMessage
from bot.services import handoff as tickets
from bot.services.citizens import get_citizen_by_telegram_id
from bot.services.clock import utcnow
from bot.services.communes import COMMUNES
from bot.texts import common as texts
from bot.texts import consent as consent_texts
from bot.texts import handoff as handoff_texts
from bot.understanding import understand
from nlu.textnorm import edge_text, nfc

log = logging.getLogger(__name__)


async def canbo(update: Update, context: ChatContext) -> None:
    """/canbo [câu hỏi]: the question goes to an officer, or the person is asked to type it."""
    message = update.effective_message
    text = edge_text(message.text or "") if message else ""
    question = text.partition(" ")[2].strip()
    if not question:
        await request_officer(update, context, question=None)
        return
    topic, entities = await _topic_of(context, question)
    await request_officer(update, context, question=question, topic=topic, entities=entities)


async def on_button(update: Update, context: ChatContext) -> None:
    """ "Gặp cán bộ" asks for a question; "Gửi câu hỏi cho cán bộ" sends the question that
    message offered (not a later one); "Không phải các ý trên" offers that (or the menu) in
    place of the guesses; a commune button files the open question under that commune."""
    press = await replies.pressed(update, cb.HANDOFF, ack=True)
    if press is None:
        return
    choice = press.callback
    memory = Memory(context)
    query = update.callback_query
    shown = query.message.message_id if query is not None and query.message else None
    if choice.value.startswith("cm:"):
        await _choose_commune(update, context, choice.value.removeprefix("cm:"))
        return
    if choice.value == "offer":
        memory.misses = 0
        # The guesses' message becomes the offer: its question stays bound to it.
        question = memory.take_question_for(shown)
        if question is not None:
            memory.remember_question(question.text, question.entities, intent=question.intent)
            memory.bind_question(shown)
        await replies.show(update, screens.offer_officer())
        return
    question = memory.take_question_for(shown) if choice.value == "send" else None
    await request_officer(
        update,
        context,
        question=question.text if question else None,
        topic=question.intent if question else None,
        entities=question.entities if question else None,
    )


async def take_typed_question(update: Update, context: ChatContext, text: str) -> bool:
    """True when this message is the question the person was just asked to type."""
    if not Memory(context).take_awaiting_question():
        return False
    topic, entities = await _topic_of(context, text)
    await request_officer(update, context, question=text, topic=topic, entities=entities)
    return True


async def _topic_of(context: ChatContext, text: str) -> tuple[str | None, dict[str, str]]:
    """What this question is about (the staff chat's label) and the places it names."""
    understanding = await understand(text, nlu(context))
    confident = understanding.confidence >= settings(context).nlu_confidence_threshold
    intent = understanding.intent
    if intent in NOT_SUGGESTED or intent == "human_handoff" or not confident:
        intent = None
    return intent, entity_map(understanding)


async def request_officer(
    update: Update,
    context: ChatContext,
    *,
    question: str | None,
    topic: str | None = None,
    entities: Mapping[str, str] | None = None,
) -> None:
    """Consent first, then the question (asked for when missing) becomes or joins a ticket.

    `topic` is the intent of *this* question (the staff chat's label); `entities` what the NLU
    found in it (a commune it names files the ticket under that commune).
    """
    user_id = private_user_id(update)
    if user_id is None:
        return
    citizen = await desk.citizen(db(context), user_id)
    if not desk.has_consent(citizen):
        after = AfterConsent("handoff", question=question)
        await ask_consent(update, context, why=consent_texts.WHY_HANDOFF, after=after)
        return
    if not question:
        Memory(context).await_question()
        await replies.send(update, handoff_texts.ASK_QUESTION)
        return
    await _open_ticket(update, context, user_id, question, topic, dict(entities or {}))


async def _open_ticket(
    update: Update,
    context: ChatContext,
    user_id: int,
    question: str,
    topic: str | None,
    entities: dict[str, str],
) -> None:
    async with db(context).transaction() as session:
        citizen = await get_citizen_by_telegram_id(session=session, telegram_user_id=user_id)
        commune = tickets.ticket_commune(
            entity=entities.get("commune"),
            text=question,
            profile_commune=citizen.commune if citizen else None,
        )
        ticket, is_new = await tickets.ask_officer(
            session,
            chat_id=user_id,
            text=question,
            now=utcnow(),
            citizen=citizen,
            topic=topic,
            commune=commune,
            office_hours=settings(context).office_hours,
        )
        await session.flush()
        ticket_id, commune = ticket.id, ticket.commune
        expected_at = ticket.expected_answer_at
    log.info("handoff ticket %d %s (topic %s)", ticket_id, "opened" if is_new else "joined", topic)
    await _notify_staff(context, ticket_id, question, topic=topic, is_new=is_new, commune=commune)
    text = (
        handoff_texts.ticket_opened(ticket_id, question, expected_at)
        if is_new
        else handoff_texts.ticket_extended(ticket_id, expected_at)
    )
    await replies.send_view(update, RenderedMessage(text, ((screens.MENU,),)))
    if commune is None:
        await replies.send_view(update, screens.ask_ticket_commune())


async def _choose_commune(update: Update, context: ChatContext, commune: str) -> None:
    user_id = private_user_id(update)
    if user_id is None:
        return
    async with db(context).transaction() as session:
        ticket = await tickets.open_ticket_for_chat(session, user_id)
        chosen = None
        if ticket is not None:
            chosen = await tickets.set_ticket_commune(
                session, ticket_id=ticket.id, chat_id=user_id, commune=commune, now=utcnow()
            )
    if chosen is None:
        await replies.stale(update)
        return
    log.info("handoff ticket %d filed under %s by the citizen", chosen.id, commune)
    await replies.show(update, RenderedMessage(handoff_texts.commune_chosen(COMMUNES[commune])))


async def _notify_staff(
    context: ChatContext,
    ticket_id: int,
    question: str,
    *,
    topic: str | None,
    is_new: bool,
    commune: str | None,
) -> None:
    """Tell the staff chat and remember the message, so that a reply to it finds the ticket."""
    staff_chat = settings(context).staff_chat_id
    if staff_chat is None:
        log.warning("STAFF_CHAT_ID is not set: ticket %d is only in the dashboard", ticket_id)
        return
    label = texts.INTENT_LABELS.get(topic) if topic else None
    where = COMMUNES.get(commune) if commune else None
    text = handoff_texts.staff_notification(
        ticket_id, question, topic=label, is_new=is_new, commune=where
    )
    try:
        notification = await context.bot.send_message(staff_chat, text)
    except TelegramError as error:  # the dashboard inbox still has the ticket
        log.warning("staff chat notice of ticket %d failed: %s", ticket_id, type(error).__name__)
        return
    async with db(context).transaction() as session:
        await tickets.set_staff_chat_message(
            session, ticket_id=ticket_id, message_id=notification.message_id, chat_id=staff_chat
        )


async def on_staff_reply(update: Update, context: ChatContext) -> None:
    """An officer replied in the staff chat: the citizen gets the answer through the outbox."""
    message = update.effective_message
    replied = message.reply_to_message if message else None
    if message is None or replied is None or not message.text:
        return
    if replied.from_user is None or replied.from_user.id != context.bot.id:
        return  # officers talking among themselves
    login = _staff_login(update.effective_user)
    async with db(context).transaction() as session:
        ticket = await tickets.ticket_for_staff_message(session, replied.message_id)
        ticket_id = ticket.id if ticket else None
        queued = None
        held = False
        if ticket_id is not None:
            queued = await tickets.reply(
                session,
                ticket_id=ticket_id,
                staff_login=login,
                text=nfc(message.text),
                now=utcnow(),
            )
            if queued is None:  # held (they blocked the bot) or nobody to send to (erased)
                held = await tickets.latest_answer_held(session, ticket_id)
    if ticket_id is None:
        await message.reply_text(handoff_texts.STAFF_REPLY_UNKNOWN)
        return
    log.info("ticket %d answered from the staff chat (outbox %s)", ticket_id, queued and queued.id)
    if queued is None:
        await message.reply_text(
            handoff_texts.staff_delivery(ticket_id, tickets.Delivery.HELD, tickets.REASON_BLOCKED)
            if held
            else handoff_texts.staff_reply_unreachable(ticket_id)
        )
        return
    kick_dispatcher(context)
    confirmation = await message.reply_text(handoff_texts.staff_reply_queued(ticket_id))
    # The confirmation says "đang gửi" until Telegram has accepted the answer (or refused it).
    context.application.create_task(
        _follow_delivery(context, confirmation, ticket_id, queued.id),
        name=f"follow-answer-{ticket_id}",
    )


DELIVERY_POLL_SECONDS = 0.5
DELIVERY_FOLLOW_SECONDS = 60.0  # after that the dashboard shows the state


async def _follow_delivery(
    context: ChatContext, confirmation: Message, ticket_id: int, outbox_id: int
) -> None:
    """Edit the staff chat's confirmation with the answer's real outcome once it is known."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + DELIVERY_FOLLOW_SECONDS
    status = None
    while loop.time() < deadline and context.application.running:
        async with db(context).transaction() as session:
            status = await tickets.delivery_of_outbox(session, outbox_id)
        if status.state is not tickets.Delivery.QUEUED:
            break
        await asyncio.sleep(DELIVERY_POLL_SECONDS)
    if status is None:
        return
    text = handoff_texts.staff_delivery(ticket_id, status.state.value, status.reason)
    try:
        await confirmation.edit_text(text)
    except TelegramError as error:
        log.info("could not update the staff confirmation: %s", type(error).__name__)


def _staff_login(user: User | None) -> str:
    """How the ticket history names the officer: their Telegram username, else their id."""
    if user is None:
        return "telegram:unknown"
    return f"telegram:{user.username or user.id}"[:80]
