"""Typed answers to the registration form, and a shared contact as its phone.

Which step reads typed text, how, and what is said back when it does not fit, all come from
the step table (bot.chat.registration.steps); a step answered with buttons only gets a
nudge towards them, once.
"""

from __future__ import annotations

from telegram import ReplyKeyboardRemove, Update

from bot.chat import replies
from bot.chat.context import ChatContext, db, private_user_id
from bot.chat.flow_state import FlowState, clear_state, load_state
from bot.chat.nudge import nudge_once
from bot.chat.registration.entry import ask
from bot.chat.registration.form import FLOW, RegistrationForm, Step
from bot.chat.registration.parsing import InputProblem
from bot.chat.registration.steps import BY_STEP
from bot.services.phones import InvalidPhone, normalize_phone
from bot.texts import registration as texts


async def on_text(update: Update, context: ChatContext, state: FlowState) -> bool:
    """A typed answer at the current step; False when the text is not meant for the form."""
    message = update.effective_message
    if message is None or message.text is None:
        return False
    try:
        step = Step(state.step)
    except ValueError:
        await clear_state(db(context), private_user_id(update) or 0)
        return False
    if step is Step.EVENT:
        return False  # browsing a list is no commitment: the text is a question of its own
    field = BY_STEP.get(step)
    if field is None or field.parse is None:  # the summary, or a field of buttons only
        return await nudge_once(update, context, state, texts.PRESS_A_BUTTON)
    form = RegistrationForm.from_data(state.data)
    try:
        updated = form.with_value(step, field.parse(message.text))
    except (InputProblem, InvalidPhone) as problem:
        await replies.send(update, field.reask(problem), field.keyboard(form.value(step)))
        return True
    if field.received is not None:
        received = field.received(updated.value(step))
        await replies.send(update, received, ReplyKeyboardRemove())
    await ask(update, context, updated, updated.next_step())
    return True


async def on_contact(update: Update, context: ChatContext) -> None:
    """A shared contact: the phone of an open form, or a polite "not needed now"."""
    message = update.effective_message
    uid = private_user_id(update)
    if message is None or message.contact is None or uid is None:
        return
    state = await load_state(db(context), uid)
    if state is None or state.flow != FLOW:
        await replies.send(update, texts.CONTACT_NOT_EXPECTED, ReplyKeyboardRemove())
        return
    try:
        phone = normalize_phone(message.contact.phone_number)
    except InvalidPhone as problem:
        field = BY_STEP[Step.PHONE]
        await replies.send(update, field.reask(problem), field.keyboard(None))
        return
    form = RegistrationForm.from_data(state.data).with_value(Step.PHONE, phone)
    await replies.send(update, texts.phone_received(phone), ReplyKeyboardRemove())
    try:
        step = Step(state.step)
    except ValueError:
        step = Step.PHONE
    await ask(update, context, form, form.next_step() if step is Step.PHONE else step)
