"""Registration form, its buttons (REG|…): event, commune, target groups, summary, confirm.

A button is honoured only at the step that showed it: an old message's button (the state
moved on, or the form was finished or dropped) gets a polite "this button is old" instead of
changing a form the citizen no longer sees. The event buttons are the exception: an event
list is a valid way into the form at any time.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, Update

from bot.chat import callbacks as cb
from bot.chat import desk, keyboards, replies
from bot.chat.context import ChatContext, db, private_user_id
from bot.chat.flow_state import FlowState, clear_state, load_state, save_state
from bot.chat.registration.entry import ask, ask_consent, open_event, show_summary
from bot.chat.registration.form import (
    FIELD_STEPS,
    FLOW,
    RegistrationForm,
    Step,
    prefill,
    toggle_group,
)
from bot.chat.registration.steps import STEPS
from bot.chat.registration.submit import submit
from bot.db.enums import RegistrationStatus
from bot.services.communes import COMMUNES
from bot.services.errors import CitizenDataRefused, Reason, RegistrationRefused
from bot.services.phones import InvalidPhone
from bot.texts import registration as texts

log = logging.getLogger(__name__)

_AT_STEP: dict[str, Step] = {
    "cm": Step.COMMUNE,
    "tg": Step.TARGET_GROUPS,
    "tg0": Step.TARGET_GROUPS,
    "tgok": Step.TARGET_GROUPS,
    "ok": Step.SUMMARY,
    "ed": Step.SUMMARY,
    "ef": Step.SUMMARY,
    "sum": Step.SUMMARY,
}
_CONSENT_REASONS = frozenset({Reason.CONSENT_MISSING, Reason.CITIZEN_ERASED})
_FIELDS = frozenset(step.value for step in FIELD_STEPS)


def _edit_fields() -> InlineKeyboardMarkup | None:
    """One "Sửa" button per field, then back to the summary."""
    rows = [
        (keyboards.button(texts.FIELD_LABELS[field.field], cb.REG, "ef", field.field),)
        for field in STEPS
    ]
    rows.append((keyboards.button(texts.BUTTON_BACK_TO_SUMMARY, cb.REG, "sum"),))
    return keyboards.inline(rows)


def _valid_args(callback: cb.Callback) -> bool:
    """Arguments are checked before anything changes: callback data can be forged."""
    arg = callback.arg()
    if callback.action == "cm":
        return arg in COMMUNES
    if callback.action == "tg":
        return arg in texts.TARGET_GROUP_LABELS
    if callback.action == "ef":
        return arg in _FIELDS
    return arg is None


async def on_callback(update: Update, context: ChatContext) -> None:
    """Every REG| button."""
    press = await replies.pressed(update, cb.REG)
    if press is None:
        return
    uid, callback = press
    database = db(context)
    state = await load_state(database, uid)
    if callback.action == "ev":
        await _choose_event(update, context, state, callback.int_arg())
        return
    if callback.action == "stop":
        await replies.acknowledge(update)
        await replies.set_buttons(update, None)
        if await clear_state(database, uid):
            await replies.send(update, texts.LEFT_FLOW)
        return
    expected = _AT_STEP.get(callback.action)
    stale_step = state is None or state.flow != FLOW or state.step != expected
    if expected is None or stale_step or not _valid_args(callback) or state is None:
        await replies.stale(update)
        return
    form = RegistrationForm.from_data(state.data)
    arg = callback.arg() or ""
    if callback.action == "tg":
        await _toggle(update, context, form, arg)
        return
    await replies.acknowledge(update)
    await replies.set_buttons(update, None)
    if callback.action == "cm":
        form = form.with_value(Step.COMMUNE, arg)
        await ask(update, context, form, form.next_step())
    elif callback.action in ("tg0", "tgok"):
        groups = () if callback.action == "tg0" else (form.target_groups or ())
        form = form.with_value(Step.TARGET_GROUPS, tuple(groups))
        await ask(update, context, form, form.next_step())
    elif callback.action == "ed":
        await replies.send(update, texts.EDIT_WHICH, _edit_fields())
    elif callback.action == "ef":
        await ask(update, context, form, Step(arg))
    elif callback.action == "sum":
        await show_summary(update, context, form)
    else:
        await _submit(update, context, form)


async def _choose_event(
    update: Update, context: ChatContext, state: FlowState | None, event_id: int | None
) -> None:
    uid = private_user_id(update)
    if event_id is None or uid is None:
        await replies.stale(update)
        return
    await replies.acknowledge(update)
    await replies.set_buttons(update, None)
    database = db(context)
    person = await desk.citizen(database, uid)
    if not desk.has_consent(person):
        await ask_consent(update, context, event_id=event_id)
        return
    if state is not None and state.flow == FLOW:
        form = RegistrationForm.from_data(state.data).replace(event_id=None)
    else:
        form = prefill(RegistrationForm(), person, {})
    await open_event(update, context, form, event_id)


async def _toggle(update: Update, context: ChatContext, form: RegistrationForm, code: str) -> None:
    uid = private_user_id(update)
    if uid is None:
        return
    form = toggle_group(form, code)
    await save_state(db(context), uid, FlowState(FLOW, Step.TARGET_GROUPS, form.to_data()))
    await replies.acknowledge(update)
    await replies.set_buttons(update, keyboards.target_groups(form.target_groups or ()))


async def _submit(update: Update, context: ChatContext, form: RegistrationForm) -> None:
    """Register: confirmed, waitlisted, pending, already registered, or a polite refusal."""
    uid = private_user_id(update)
    if uid is None:
        return
    database = db(context)
    event = await desk.event(database, form.event_id or 0)
    if event is None or form.missing() is not None:
        await clear_state(database, uid)
        await replies.send(update, texts.EVENT_NOT_FOUND)
        return
    try:
        result = await submit(database, uid, form)
    except RegistrationRefused as refused:
        await _refused(update, context, form, refused)
        return
    except (CitizenDataRefused, InvalidPhone) as error:
        # Only the reason code: the details may hold a birth year or a length.
        code = getattr(error, "reason", None) or getattr(error, "problem", None)
        log.info("registration data refused for event %s: %s", event.id, code)
        await replies.send(update, texts.DATA_PROBLEM, keyboards.summary())
        return
    await clear_state(database, uid)
    registration = result.registration
    details = texts.event_details(
        title=event.title,
        starts_at=event.starts_at,
        venue=event.venue,
        venue_map_url=event.venue_map_url,
    )
    log.info(
        "registration %s for event %s: %s (created=%s)",
        registration.id,
        event.id,
        registration.status.value,
        result.created,
    )
    if not result.created:
        text = texts.already_registered(
            details, registration.status.value, registration.waitlist_position
        )
    elif registration.status == RegistrationStatus.CONFIRMED:
        text = texts.registered_confirmed(details, event.what_to_bring)
    elif registration.status == RegistrationStatus.WAITLISTED:
        text = texts.registered_waitlisted(details, registration.waitlist_position)
    else:
        text = texts.registered_pending(details)
    await replies.send(update, text)


async def _refused(
    update: Update, context: ChatContext, form: RegistrationForm, refused: RegistrationRefused
) -> None:
    uid = private_user_id(update) or 0
    database = db(context)
    log.info("registration refused: %s", refused)
    if refused.reason in _CONSENT_REASONS:
        await ask_consent(update, context, event_id=form.event_id)
        return
    event = await desk.event(database, form.event_id or 0)
    title = event.title if event else ""
    if refused.reason == Reason.NOT_ELIGIBLE and event is not None:
        # Keep the form: the citizen may have picked the wrong group and can fix it.
        await save_state(database, uid, FlowState(FLOW, Step.SUMMARY, form.to_data()))
        text = texts.refusal(refused.reason.value, title=title, groups=event.eligible_target_groups)
        await replies.send(update, text, keyboards.summary())
        return
    await clear_state(database, uid)
    deadline = event.registration_deadline if event else None
    await replies.send(update, texts.refusal(refused.reason.value, title=title, deadline=deadline))
