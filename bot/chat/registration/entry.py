"""Registration form, Telegram side: entry, the questions, typed answers and shared contacts.

The rules of the form live in bot.chat.registration.form (pure) and its state in the database
(bot.chat.flow_state): each handler loads the state, applies one answer, saves the next step,
then talks. Buttons of the form (REG|…) are handled in bot.chat.registration.buttons.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace

from telegram import ReplyKeyboardRemove, Update

from bot.chat import desk, keyboards, replies
from bot.chat.consent import ask_consent as ask_consent_of_start
from bot.chat.context import ChatContext, db, private_user_id
from bot.chat.flow_state import FlowState, clear_state, load_state, save_state
from bot.chat.memory import AfterConsent
from bot.chat.nudge import nudge_once
from bot.chat.registration.form import (
    BUTTON_STEPS,
    FLOW,
    InputProblem,
    RegistrationForm,
    Step,
    birth_year_range,
    clean_text,
    parse_birth_year,
    parse_commune,
    parse_full_name,
    parse_phone,
    prefill,
)
from bot.db.enums import EventStatus
from bot.services.clock import to_local, utcnow
from bot.services.phones import InvalidPhone, normalize_phone
from bot.texts import registration as texts

log = logging.getLogger(__name__)
MAX_LISTED = 10  # events in one list: a phone screen, and ten buttons at most


def _current_year() -> int:
    return to_local(utcnow()).year


async def ask_consent(
    update: Update, context: ChatContext, *, kind: str | None = None, event_id: int | None = None
) -> None:
    """The consent message of /start; the registration resumes once the citizen agrees."""
    after = AfterConsent("registration", event_id=event_id, kind=kind)
    await ask_consent_of_start(update, context, after=after)


def _entities(raw: Mapping[str, str]) -> dict[str, str]:
    return {key: clean_text(value) for key, value in raw.items() if isinstance(value, str)}


async def start_registration(
    update: Update,
    context: ChatContext,
    *,
    kind: str | None,
    entities: Mapping[str, str],
    event_id: int | None = None,
) -> None:
    """The citizen sees the open events (or, from a deep link, the form of one event)."""
    uid = private_user_id(update)
    if uid is None:
        return
    database = db(context)
    person = await desk.citizen(database, uid)
    if not desk.has_consent(person):
        await ask_consent(update, context, kind=kind, event_id=event_id)
        return
    form = prefill(RegistrationForm(kind=kind), person, _entities(entities))
    if event_id is None:
        await show_events(update, context, form)
    else:
        await open_event(update, context, form, event_id)


async def show_events(update: Update, context: ChatContext, form: RegistrationForm) -> None:
    """List open events (filtered by the first message's trade/commune when that finds any)."""
    uid = private_user_id(update)
    if uid is None:
        return
    database = db(context)
    choices = await desk.open_events(database, kind=form.kind)
    if not choices:
        await clear_state(database, uid)
        await replies.send(update, texts.no_events(form.kind))
        return
    lines = [texts.events_header(form.kind)]
    shown = desk.filter_events(choices, trade=form.trade, commune=form.commune_filter)
    if not shown:
        wanted = form.trade or texts.commune_label(form.commune_filter)
        lines.append(texts.no_match_note(wanted))
        shown = choices
    shown = shown[:MAX_LISTED]
    lines += [
        texts.event_list_item(
            n,
            title=c.event.title,
            starts_at=c.event.starts_at,
            venue=c.event.venue,
            seats_left=c.seats_left,
        )
        for n, c in enumerate(shown, start=1)
    ]
    lines.append(texts.CHOOSE_EVENT)
    await save_state(database, uid, FlowState(FLOW, Step.EVENT, form.to_data()))
    markup = keyboards.event_list([(c.event.id, c.event.title) for c in shown])
    await replies.send(update, "\n\n".join(lines), markup)


async def open_event(
    update: Update, context: ChatContext, form: RegistrationForm, event_id: int
) -> None:
    """Start the form for one event: refused, already registered, or the first question."""
    uid = private_user_id(update)
    if uid is None:
        return
    database = db(context)
    event = await desk.event(database, event_id)
    if event is None or event.status == EventStatus.DRAFT:
        await replies.send(update, texts.EVENT_NOT_FOUND)
        await show_events(update, context, replace(form, event_id=None))
        return
    existing = await desk.active_registration(database, uid, event.id)
    if existing is not None:
        await clear_state(database, uid)
        details = texts.event_details(
            title=event.title,
            starts_at=event.starts_at,
            venue=event.venue,
            venue_map_url=event.venue_map_url,
        )
        await replies.send(
            update,
            texts.already_registered(details, existing.status.value, existing.waitlist_position),
        )
        return
    reason = desk.registration_refusal(event)
    if reason is not None:
        await clear_state(database, uid)
        await replies.send(
            update,
            texts.refusal(reason.value, title=event.title, deadline=event.registration_deadline),
        )
        return
    form = replace(form, event_id=event.id, kind=event.kind.value)
    await replies.send(update, texts.form_intro(event.title, event.starts_at))
    await ask(update, context, form, form.next_step())


async def ask(update: Update, context: ChatContext, form: RegistrationForm, step: Step) -> None:
    """Save `step` as where the citizen is, then ask its question."""
    uid = private_user_id(update)
    if uid is None:
        return
    if step is Step.EVENT:
        await show_events(update, context, form)
        return
    await save_state(db(context), uid, FlowState(FLOW, step, form.to_data()))
    if step is Step.FULL_NAME:
        await replies.send(update, texts.ASK_FULL_NAME)
    elif step is Step.PHONE:
        await replies.send(update, texts.ASK_PHONE, keyboards.share_phone())
    elif step is Step.BIRTH_YEAR:
        await replies.send(update, texts.ask_birth_year(*birth_year_range(_current_year())))
    elif step is Step.COMMUNE:
        await replies.send(update, texts.ASK_COMMUNE, keyboards.communes())
    elif step is Step.TARGET_GROUPS:
        markup = keyboards.target_groups(form.target_groups or ())
        await replies.send(update, texts.ASK_TARGET_GROUPS, markup)
    else:
        await show_summary(update, context, form)


async def show_summary(update: Update, context: ChatContext, form: RegistrationForm) -> None:
    event = await desk.event(db(context), form.event_id or 0)
    if event is None or form.missing() is not None:
        await replies.send(update, texts.EVENT_NOT_FOUND)
        await show_events(update, context, replace(form, event_id=None))
        return
    assert form.full_name and form.phone and form.birth_year  # form.missing() is None
    text = texts.summary(
        title=event.title,
        starts_at=event.starts_at,
        venue=event.venue,
        full_name=form.full_name,
        phone=form.phone,
        birth_year=form.birth_year,
        commune=form.commune,
        target_groups=form.target_groups or (),
    )
    await replies.send(update, text, keyboards.summary())


# -- typed answers ------------------------------------------------------------------------------


def _apply_text(form: RegistrationForm, step: Step, text: str, year: int) -> RegistrationForm:
    """The form with the typed answer for `step`; raises InputProblem / InvalidPhone."""
    if step is Step.FULL_NAME:
        return form.with_value(step, parse_full_name(text))
    if step is Step.PHONE:
        return form.with_value(step, parse_phone(text))
    if step is Step.BIRTH_YEAR:
        return form.with_value(step, parse_birth_year(text, year))
    if step is Step.COMMUNE:
        code = parse_commune(text)
        if code is None:
            raise InputProblem("unknown_commune")
        return form.with_value(step, code)
    raise ValueError(f"{step} is answered with buttons")


async def _reask(update: Update, step: Step, problem: str) -> None:
    if step is Step.FULL_NAME:
        await replies.send(update, texts.NAME_PROBLEMS.get(problem, texts.ASK_FULL_NAME))
    elif step is Step.BIRTH_YEAR:
        await replies.send(update, texts.birth_year_problem(*birth_year_range(_current_year())))
    else:
        await replies.send(update, texts.COMMUNE_UNKNOWN, keyboards.communes())


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
    if step in BUTTON_STEPS and step is not Step.COMMUNE:
        return await nudge_once(update, context, state, texts.PRESS_A_BUTTON)
    form = RegistrationForm.from_data(state.data)
    try:
        updated = _apply_text(form, step, message.text, _current_year())
    except InvalidPhone as error:
        await replies.send(update, texts.phone_problem(error.problem), keyboards.share_phone())
        return True
    except InputProblem as problem:
        await _reask(update, step, problem.code)
        return True
    if step is Step.PHONE and updated.phone:
        await replies.send(update, texts.phone_received(updated.phone), ReplyKeyboardRemove())
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
    except InvalidPhone as error:
        await replies.send(update, texts.phone_problem(error.problem), keyboards.share_phone())
        return
    form = RegistrationForm.from_data(state.data).with_value(Step.PHONE, phone)
    await replies.send(update, texts.phone_received(phone), ReplyKeyboardRemove())
    try:
        step = Step(state.step)
    except ValueError:
        step = Step.PHONE
    await ask(update, context, form, form.next_step() if step is Step.PHONE else step)
