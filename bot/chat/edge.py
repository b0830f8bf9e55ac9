"""The edge: what happens to every update before any feature sees it.

Runs in the lowest handler groups (bot.application), in this order:
1. `note_contact` (every update, including the `my_chat_member` update Telegram sends when a
   person unblocks the bot): a person marked unreachable is reachable again, and their
   reminders and held messages are restored (services.reachability). One SELECT otherwise.
   The `my_chat_member` update that says they *blocked* the bot marks them unreachable instead
   (it can arrive after a reminder already bounced, and must not undo that).
2. `on_edited` (edited messages and edited commands alike): consistently not acted on, with
   a hint, so an edit never runs a command twice or changes an answer a form already took.
3. `gate` (new messages): the per-person flood limit (services.flood); over the limit the
   person gets one "bạn gửi nhanh quá" and the rest of the burst is not answered.
"""

from __future__ import annotations

import logging
import time

from telegram import ChatMember, Update
from telegram.ext import ApplicationHandlerStop

from bot.chat import replies
from bot.chat.context import ChatContext, db, kick_dispatcher, private_user_id, settings
from bot.services import reachability
from bot.services.flood import FloodGate, Verdict
from bot.texts import common as texts

log = logging.getLogger(__name__)


def flood_gate(context: ChatContext) -> FloodGate:
    """The application's gate, made on first use (per process, see services.flood)."""
    gate = context.bot_data.flood_gate
    if gate is None:
        config = settings(context)
        gate = FloodGate(limit=config.flood_messages, window=config.flood_window_seconds)
        context.bot_data.flood_gate = gate
    return gate


async def note_contact(update: Update, context: ChatContext) -> None:
    """Any update from a person proves they can be reached: heal them if they need it."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or user.is_bot or (chat is not None and chat.type != "private"):
        return
    if _blocked_the_bot(update):
        async with db(context).transaction() as session:
            if await reachability.note_blocked(session, telegram_user_id=user.id):
                log.info("a citizen blocked the bot: their pending messages are held")
        return
    async with db(context).transaction() as session:
        healed = await reachability.note_contact(session, telegram_user_id=user.id)
    if healed is not None:
        log.info(
            "citizen %d reachable again: %d reminders, %d messages, %d missed notices queued",
            healed.citizen_id,
            healed.reminders,
            healed.messages,
            healed.missed,
        )
        kick_dispatcher(context)


def _blocked_the_bot(update: Update) -> bool:
    """`my_chat_member` saying the bot was blocked (private chats: "kicked") or left."""
    member = update.my_chat_member
    return member is not None and member.new_chat_member.status in (
        ChatMember.BANNED,
        ChatMember.LEFT,
    )


async def on_edited(update: Update, context: ChatContext) -> None:
    """An edited message or command: not acted on; the person is told to send it anew."""
    if private_user_id(update) is not None:
        await replies.send(update, texts.EDITED_IGNORED)
    raise ApplicationHandlerStop


async def gate(update: Update, context: ChatContext) -> None:
    """At most a few messages per person per few seconds are answered."""
    user_id = private_user_id(update)
    if user_id is None:
        return
    message = update.effective_message
    sent_at = message.date.timestamp() if message is not None and message.date else time.time()
    verdict = flood_gate(context).check(user_id, at=sent_at)
    if verdict is Verdict.ANSWER:
        return
    log.info("update %s: flood limit (%s)", update.update_id, verdict.value)
    if verdict is Verdict.NOTIFY:
        await replies.send(update, texts.TOO_FAST)
    raise ApplicationHandlerStop
