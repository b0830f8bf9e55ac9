"""The citizen's open form or check: typed text goes to it first; /huy leaves it.

Where a citizen is in a flow (the registration form, an eligibility check) is kept in the
database (bot.chat.flow_state), so a restart loses nothing; the text handler
(bot.chat.answers) asks `continue_flow` before treating a message as a question.
"""

from __future__ import annotations

from telegram import ReplyKeyboardRemove, Update

from bot.chat import eligibility, replies
from bot.chat.context import ChatContext, db, private_user_id
from bot.chat.flow_state import clear_state, load_state
from bot.chat.registration import typed as registration
from bot.chat.registration.form import FLOW as REGISTRATION_FLOW
from bot.texts import registration as texts


async def continue_flow(update: Update, context: ChatContext) -> bool:
    """Give a typed message to the citizen's open flow; False when there is none."""
    message = update.effective_message
    uid = private_user_id(update)
    if message is None or message.text is None or uid is None:
        return False
    database = db(context)
    state = await load_state(database, uid)
    if state is None:
        return False
    if state.flow == REGISTRATION_FLOW:
        return await registration.on_text(update, context, state)
    if state.flow == eligibility.FLOW:
        return await eligibility.on_text(update, context, state)
    await clear_state(database, uid)  # a flow this version does not know: start afresh
    return False


async def leave_flow(update: Update, context: ChatContext) -> None:
    """/huy: the citizen leaves the current step; what they typed so far is forgotten."""
    uid = private_user_id(update)
    if uid is None:
        return
    left = await clear_state(db(context), uid)
    text = texts.LEFT_FLOW if left else texts.NOTHING_TO_LEAVE
    await replies.send(update, text, ReplyKeyboardRemove())
