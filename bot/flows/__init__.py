"""Multi-step citizen flows: registration form, eligibility checks, "Đăng ký của tôi".

The contract with the composition root (bot.application):

- `flow_handlers()` — register these before the catch-all text handler: the flows' buttons
  (REG|, ELIG|, MYREG|, REM|), shared contacts, /dangky and /huy.
- `continue_flow(update, context)` — the text handler calls it first; True when the message
  was an answer in an open flow (and has been dealt with).
- `start_registration`, `start_eligibility`, `show_my_registrations` — entry points for the
  menu, the NLU intents and deep links (`/start ev_<id>`).
- `render` (bot.flows.notifications) — the outbox renderer for the dispatcher.

What the flows need comes from `application.bot_data` ("db", "knowledge", "settings"; see
bot.flows.deps). Where a citizen is in a flow is kept in the database, so a restart loses
nothing.
"""

from __future__ import annotations

from typing import Any

from telegram import ReplyKeyboardRemove, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.flows import callbacks as cb
from bot.flows import deps, eligibility, registration, registration_buttons, replies
from bot.flows.deps import AnyContext
from bot.flows.eligibility import start_eligibility
from bot.flows.form import FLOW as REGISTRATION_FLOW
from bot.flows.my_registrations import on_callback as _my_registrations_button
from bot.flows.my_registrations import on_reminder as _reminder_button
from bot.flows.my_registrations import show_my_registrations
from bot.flows.notifications import render
from bot.flows.registration import start_registration
from bot.flows.state import clear_state, load_state
from bot.texts import registration as texts

__all__ = [
    "continue_flow",
    "flow_handlers",
    "leave_flow",
    "render",
    "show_my_registrations",
    "start_eligibility",
    "start_registration",
]


async def continue_flow(update: Update, context: AnyContext) -> bool:
    """Give a typed message to the citizen's open flow; False when there is none."""
    message = update.effective_message
    uid = replies.user_id(update)
    if message is None or message.text is None or uid is None:
        return False
    database = deps.db(context)
    state = await load_state(database, uid)
    if state is None:
        return False
    if state.flow == REGISTRATION_FLOW:
        return await registration.on_text(update, context, state)
    if state.flow == eligibility.FLOW:
        return await eligibility.on_text(update, context, state)
    await clear_state(database, uid)  # a flow this version does not know: start afresh
    return False


async def leave_flow(update: Update, context: AnyContext) -> None:
    """/huy: the citizen leaves the current step; what they typed so far is forgotten."""
    uid = replies.user_id(update)
    if uid is None:
        return
    left = await clear_state(deps.db(context), uid)
    text = texts.LEFT_FLOW if left else texts.NOTHING_TO_LEAVE
    await replies.send(update, text, ReplyKeyboardRemove())


def flow_handlers() -> list[BaseHandler[Update, Any, Any]]:
    """The flows' handlers, to be added before the catch-all text handler."""
    private = filters.ChatType.PRIVATE
    return [
        CallbackQueryHandler(registration_buttons.on_callback, pattern=cb.pattern(cb.REG)),
        CallbackQueryHandler(eligibility.on_callback, pattern=cb.pattern(cb.ELIG)),
        CallbackQueryHandler(_my_registrations_button, pattern=cb.pattern(cb.MYREG)),
        CallbackQueryHandler(_reminder_button, pattern=cb.pattern(cb.REM)),
        MessageHandler(filters.CONTACT & private, registration.on_contact),
        CommandHandler("dangky", show_my_registrations, filters=private),
        CommandHandler("huy", leave_flow, filters=private),
    ]
