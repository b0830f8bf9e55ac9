"""Eligibility checks (housing support, monthly allowance) as button questions.

Questions, rules and verdicts are data (bot/knowledge/data/eligibility/*.yml); this module
only walks through them. The answers so far are kept in the database as an ordered list of
(question, value) pairs, so "« Câu trước" can undo the last one and a restart mid-check
continues. A button is accepted only if it answers the question the check asks *now*: an old
question's button, or a forged value, is answered as stale.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update

from bot.chat import callbacks as cb
from bot.chat import keyboards, replies
from bot.chat.context import ChatContext, db, knowledge, private_user_id
from bot.chat.flow_state import FlowState, clear_state, load_state, save_state
from bot.chat.nudge import nudge_once
from bot.knowledge.eligibility import EligibilityCheck
from bot.texts import eligibility as texts
from bot.texts import registration as registration_texts

log = logging.getLogger(__name__)
FLOW = "eligibility"

Answers = list[tuple[str, str]]


def _answers(data: dict[str, Any]) -> Answers:
    raw = data.get("answers")
    if not isinstance(raw, list):
        return []
    return [
        (str(pair[0]), str(pair[1]))
        for pair in raw
        if isinstance(pair, list | tuple) and len(pair) == 2
    ]


def _check(context: ChatContext, check_id: str) -> EligibilityCheck | None:
    return knowledge(context).checks.get(check_id)


async def _show(
    update: Update,
    context: ChatContext,
    check: EligibilityCheck,
    answers: Answers,
    *,
    edit: bool,
) -> None:
    """Save progress, then show the next question, or the verdict when there is none."""
    uid = private_user_id(update)
    if uid is None:
        return
    database = db(context)
    question = check.next_question(dict(answers))
    if question is None:
        await clear_state(database, uid)
        verdict = check.evaluate(dict(answers))
        log.info("eligibility %s: %s (rules %s)", check.id, verdict.outcome.value, verdict.rule_ids)
        text = texts.verdict(verdict.render_html())
        markup = keyboards.verdict(check.id)
    else:
        data = {"check": check.id, "answers": [list(pair) for pair in answers]}
        await save_state(database, uid, FlowState(FLOW, question.id, data))
        text = texts.question(check.title, len(answers) + 1, question.text)
        markup = keyboards.question(check.id, question, can_go_back=bool(answers))
    if edit:
        await replies.edit(update, text, markup)
    else:
        await replies.send(update, text, markup)


async def start_eligibility(update: Update, context: ChatContext, *, check: str) -> None:
    """The citizen sees the first question of the check ("housing" or "allowance")."""
    found = _check(context, check)
    if found is None:
        await replies.send(update, texts.UNKNOWN_CHECK)
        return
    await _show(update, context, found, [], edit=False)


async def on_callback(update: Update, context: ChatContext) -> None:
    """ELIG|<check>|<question>|<value>, or ELIG|<check>|~back / ~stop / ~restart."""
    press = await replies.pressed(update, cb.ELIG)
    if press is None:
        return
    uid, callback = press
    check = _check(context, callback.action)
    if check is None:
        await replies.stale(update)
        return
    command = callback.arg()
    if command == "~restart":
        await replies.acknowledge(update)
        await replies.set_buttons(update, None)
        await _show(update, context, check, [], edit=False)
        return
    database = db(context)
    state = await load_state(database, uid)
    if state is None or state.flow != FLOW or state.data.get("check") != check.id:
        await replies.stale(update)
        return
    answers = _answers(state.data)
    if command == "~stop":
        await replies.acknowledge(update)
        await clear_state(database, uid)
        await replies.edit(update, registration_texts.LEFT_FLOW)
        return
    if command == "~back":
        answers = answers[:-1]
    else:
        try:
            pending = check.next_question(dict(answers))
        except ValueError:  # stored answers no longer fit the check (it was edited)
            pending, answers = None, []
        value = callback.arg(1)
        if pending is None or pending.id != command or value not in pending.values():
            await replies.stale(update)
            return
        answers.append((pending.id, value))
    await replies.acknowledge(update)
    await _show(update, context, check, answers, edit=True)


async def on_text(update: Update, context: ChatContext, state: FlowState) -> bool:
    """Typed text during a check: the questions are buttons, so point back to them (once)."""
    return await nudge_once(update, context, state, texts.PRESS_A_BUTTON)
