"""Talking to an officer: /canbo, the "Gặp cán bộ" buttons, and officers' replies in the staff chat.

The citizen's question becomes a ticket (services.handoff); the staff Telegram chat gets a
notification whose message id is stored, so an officer who *replies* to it in Telegram answers
that ticket. The answer is queued in the outbox and sent by the dispatcher (limits, retries,
a delivery record) exactly like an answer typed in the dashboard. A ticket keeps the question
text, which is personal data: asking an officer therefore needs consent first.
"""

from __future__ import annotations

import logging

from telegram import Update, User
from telegram.error import TelegramError

from bot.chat import callbacks as cb
from bot.chat import desk, replies, screens
from bot.chat.consent import ask_consent
from bot.chat.context import (
    ChatContext,
    db,
    kick_dispatcher,
    private_user_id,
    settings,
)
from bot.chat.memory import AfterConsent, Memory
from bot.outbox.queue import RenderedMessage
from bot.services import handoff as tickets
from bot.services.citizens import get_citizen_by_telegram_id
from bot.services.clock import utcnow
from bot.texts import common as texts
from bot.texts import consent as consent_texts
from bot.texts import handoff as handoff_texts
from nlu.textnorm import nfc

log = logging.getLogger(__name__)


async def canbo(update: Update, context: ChatContext) -> None:
    """/canbo [câu hỏi]: the question goes to an officer, or the person is asked to type it."""
    message = update.effective_message
    text = nfc(message.text or "") if message else ""
    question = text.partition(" ")[2].strip()
    await request_officer(update, context, question=question or None)


async def on_button(update: Update, context: ChatContext) -> None:
    """ "Gặp cán bộ" asks for a question; "Gửi câu hỏi cho cán bộ" sends the one not understood;
    "Không phải các ý trên" offers that (or the menu) in place of the guesses."""
    press = await replies.pressed(update, cb.HANDOFF, ack=True)
    if press is None:
        return
    choice = press.callback
    memory = Memory(context)
    if choice.value == "offer":
        memory.misses = 0
        await replies.show(update, screens.offer_officer())
        return
    question = memory.take_question() if choice.value == "send" else None
    await request_officer(update, context, question=question)


async def take_typed_question(update: Update, context: ChatContext, text: str) -> bool:
    """True when this message is the question the person was just asked to type."""
    if not Memory(context).take_awaiting_question():
        return False
    await request_officer(update, context, question=text)
    return True


async def request_officer(update: Update, context: ChatContext, *, question: str | None) -> None:
    """Consent first, then the question (asked for when missing) becomes or joins a ticket."""
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
    await _open_ticket(update, context, user_id, question)


async def _open_ticket(update: Update, context: ChatContext, user_id: int, question: str) -> None:
    topic = Memory(context).topic
    async with db(context).transaction() as session:
        citizen = await get_citizen_by_telegram_id(session=session, telegram_user_id=user_id)
        ticket, is_new = await tickets.ask_officer(
            session, chat_id=user_id, text=question, now=utcnow(), citizen=citizen, topic=topic
        )
        await session.flush()
        ticket_id = ticket.id
    log.info("handoff ticket %d %s (topic %s)", ticket_id, "opened" if is_new else "joined", topic)
    await _notify_staff(context, ticket_id, question, topic=topic, is_new=is_new)
    text = (
        handoff_texts.ticket_opened(ticket_id, question)
        if is_new
        else handoff_texts.ticket_extended(ticket_id)
    )
    await replies.send_view(update, RenderedMessage(text, ((screens.MENU,),)))


async def _notify_staff(
    context: ChatContext, ticket_id: int, question: str, *, topic: str | None, is_new: bool
) -> None:
    """Tell the staff chat and remember the message, so that a reply to it finds the ticket."""
    staff_chat = settings(context).staff_chat_id
    if staff_chat is None:
        log.warning("STAFF_CHAT_ID is not set: ticket %d is only in the dashboard", ticket_id)
        return
    label = texts.INTENT_LABELS.get(topic) if topic else None
    text = handoff_texts.staff_notification(ticket_id, question, topic=label, is_new=is_new)
    try:
        notification = await context.bot.send_message(staff_chat, text)
    except TelegramError as error:  # the dashboard inbox still has the ticket
        log.warning("staff chat notice of ticket %d failed: %s", ticket_id, type(error).__name__)
        return
    async with db(context).transaction() as session:
        await tickets.set_staff_chat_message(
            session, ticket_id=ticket_id, message_id=notification.message_id
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
        if ticket_id is not None:
            queued = await tickets.reply(
                session,
                ticket_id=ticket_id,
                staff_login=login,
                text=nfc(message.text),
                now=utcnow(),
            )
    if ticket_id is None:
        await message.reply_text(handoff_texts.STAFF_REPLY_UNKNOWN)
        return
    log.info("ticket %d answered from the staff chat (outbox %s)", ticket_id, queued and queued.id)
    if queued is None:
        await message.reply_text(handoff_texts.staff_reply_unreachable(ticket_id))
        return
    kick_dispatcher(context)
    await message.reply_text(handoff_texts.staff_reply_queued(ticket_id))


def _staff_login(user: User | None) -> str:
    """How the ticket history names the officer: their Telegram username, else their id."""
    if user is None:
        return "telegram:unknown"
    return f"telegram:{user.username or user.id}"[:80]
