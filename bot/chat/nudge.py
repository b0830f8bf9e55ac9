"""Typed text where a flow waits for a button: point to the buttons once, then let it pass.

A citizen who typed instead of tapping usually means to answer, so the first time they are
shown the way ("bấm một nút…"). A second message in a row is more likely a new question from
someone who left the form half-way (forms live for days in the database), so it goes to the
normal question answering, and the form stays open with its buttons.
"""

from __future__ import annotations

from telegram import Update

from bot.chat import replies
from bot.chat.context import ChatContext, db, private_user_id
from bot.chat.flow_state import FlowState, save_state

NUDGED = "nudged"


async def nudge_once(update: Update, context: ChatContext, state: FlowState, hint: str) -> bool:
    """True (consumed, hint sent) the first time; False (not consumed) after that."""
    uid = private_user_id(update)
    if uid is None or state.data.get(NUDGED):
        return False
    await save_state(
        db(context), uid, FlowState(state.flow, state.step, {**state.data, NUDGED: True})
    )
    await replies.send(update, hint)
    return True
