"""A form that listens: what the person types in the middle of the form is not always an answer.

Before a typed text is read as the answer of the current step (bot.chat.registration.typed):
- "thôi", "dừng lại", "không đăng ký nữa" (services.keywords.wants_to_stop), at any step, and
- a question (services.keywords.looks_like_question) where an answer was expected — at the
  name step first of all, where a question would otherwise *become the name* —
are kept in the stored state and the person is asked: go on with the form, or leave it?
Either way a kept question is answered next (as if typed on its own); going on re-asks the
step they were at. The year "năm 58" is offered as 1958 with a confirmation, and at the
commune step a phrase naming one commune ("thôn 5 Đại Bình") or a former unit whose commune
is not verified (Quảng Lợi: the person chooses) is understood (services.form_input).
"""

from __future__ import annotations

from telegram import Update

from bot.chat import callbacks as cb
from bot.chat import desk, keyboards, replies
from bot.chat.context import ChatContext, answer_question, db, private_user_id
from bot.chat.flow_state import FlowState, clear_state, load_state, save_state
from bot.chat.registration.entry import ask
from bot.chat.registration.form import FLOW, RegistrationForm, Step
from bot.chat.registration.parsing import (
    InputProblem,
    birth_year_range,
    current_year,
    parse_birth_year,
)
from bot.services.form_input import commune_answer, two_digit_birth_year
from bot.services.keywords import looks_like_question, wants_to_stop
from bot.texts import registration as texts

PENDING = "pending"  # key in the stored state: what was typed that was not an answer


async def listened(
    update: Update, context: ChatContext, state: FlowState, step: Step, text: str
) -> bool:
    """True when `text` was dealt with here (the caller then does not parse it)."""
    form = RegistrationForm.from_data(state.data)
    if wants_to_stop(text):
        await ask_leave_or_stay(update, context, state, form, question=None)
        return True
    if step is Step.FULL_NAME and looks_like_question(text):
        await ask_leave_or_stay(update, context, state, form, question=text)
        return True
    if step is Step.BIRTH_YEAR and _is_not_a_full_year(text):
        low, high = birth_year_range(current_year())
        year = two_digit_birth_year(text, low=low, high=high)
        if year is not None:
            await replies.send(
                update, texts.confirm_two_digit_year(year), keyboards.confirm_year(year)
            )
            return True
    if step is Step.COMMUNE:
        answer = commune_answer(text)
        if answer.code is not None:
            updated = form.with_value(step, answer.code)
            await ask(update, context, updated, updated.next_step())
            return True
        if answer.unmapped is not None:
            await replies.send(
                update, texts.unmapped_commune(answer.unmapped), keyboards.two_communes()
            )
            return True
    return False


def _is_not_a_full_year(text: str) -> bool:
    try:
        parse_birth_year(text, current_year())
    except InputProblem:
        return True
    return False


async def ask_leave_or_stay(
    update: Update,
    context: ChatContext,
    state: FlowState,
    form: RegistrationForm,
    *,
    question: str | None,
) -> None:
    """Keep what was typed (a question, or the wish to stop) and ask: go on, or leave?"""
    uid = private_user_id(update)
    if uid is None:
        return
    data = form.to_data() | {PENDING: {"question": question}}
    await save_state(db(context), uid, FlowState(FLOW, state.step, data))
    event = await desk.event(db(context), form.event_id or 0)
    title = event.title if event is not None else None
    text = texts.question_in_form(title) if question else texts.leave_form_question(title)
    await replies.send(update, text, keyboards.leave_or_stay())


async def on_form_button(update: Update, context: ChatContext) -> None:
    """FORM|stay and FORM|leave (after a question or "thôi"), FORM|year|<y>, FORM|noyear."""
    press = await replies.pressed(update, cb.FORM)
    uid = private_user_id(update)
    if press is None or uid is None:
        return
    state = await load_state(db(context), uid)
    if state is None or state.flow != FLOW or state.step not in set(Step):
        await replies.stale(update)
        return
    step, callback = Step(state.step), press.callback
    form = RegistrationForm.from_data(state.data)
    if callback.action in ("year", "noyear"):
        await _year(update, context, form, step, callback.int_arg() or 0, callback.action)
        return
    pending = state.data.get(PENDING)
    if not isinstance(pending, dict):
        await replies.stale(update)
        return
    question = pending.get("question")
    question = question if isinstance(question, str) and question else None
    await replies.acknowledge(update)
    if callback.action == "leave":
        await clear_state(db(context), uid)
        await replies.edit(update, texts.FORM_LEFT_FOR_QUESTION if question else texts.LEFT_FLOW)
        if question:
            await _answer_question(update, context, question)
        return
    await replies.set_buttons(update, None)
    await save_state(db(context), uid, FlowState(FLOW, state.step, form.to_data()))
    if question:
        await _answer_question(update, context, question)
    await replies.send(update, texts.FORM_RESUMES)
    await ask(update, context, form, step)


async def _year(
    update: Update,
    context: ChatContext,
    form: RegistrationForm,
    step: Step,
    year: int,
    action: str,
) -> None:
    low, high = birth_year_range(current_year())
    if step is not Step.BIRTH_YEAR or (action == "year" and not low <= year <= high):
        await replies.stale(update)
        return
    await replies.acknowledge(update)
    await replies.set_buttons(update, None)
    if action == "year":
        form = form.with_value(Step.BIRTH_YEAR, year)
        await ask(update, context, form, form.next_step())
    else:
        await ask(update, context, form, Step.BIRTH_YEAR)


async def _answer_question(update: Update, context: ChatContext, question: str) -> None:
    """The question typed in the middle of the form, answered as if typed on its own."""
    await answer_question(context)(update, context, question)
