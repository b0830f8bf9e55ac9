"""Registration form, Telegram side: entry points, the event list, asking a step, the summary.

The rules of the form live in bot.chat.registration.form (pure), its questions in the step
table (bot.chat.registration.steps) and its state in the database (bot.chat.flow_state):
each handler loads the state, applies one answer, saves the next step, then talks. Typed
answers are bot.chat.registration.typed, buttons (REG|…) bot.chat.registration.buttons.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from telegram import Update

from bot.chat import desk, keyboards, replies
from bot.chat.consent import ask_consent as ask_consent_of_start
from bot.chat.context import ChatContext, db, private_user_id
from bot.chat.flow_state import FlowState, clear_state, save_state
from bot.chat.memory import AfterConsent
from bot.chat.registration.form import FLOW, RegistrationForm, Step, prefill
from bot.chat.registration.parsing import clean_text
from bot.chat.registration.steps import BY_STEP, STEPS
from bot.db.enums import EventStatus
from bot.texts import registration as texts

log = logging.getLogger(__name__)
MAX_LISTED = 10  # events in one list: a phone screen, and ten buttons at most


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
        await show_events(update, context, form.replace(event_id=None))
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
    form = form.replace(event_id=event.id, kind=event.kind.value)
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
    field = BY_STEP.get(step)
    if field is None:
        await show_summary(update, context, form)
        return
    await replies.send(update, field.prompt(), field.keyboard(form.value(step)))


async def show_summary(update: Update, context: ChatContext, form: RegistrationForm) -> None:
    event = await desk.event(db(context), form.event_id or 0)
    if event is None or form.missing() is not None:
        await replies.send(update, texts.EVENT_NOT_FOUND)
        await show_events(update, context, form.replace(event_id=None))
        return
    text = texts.summary(
        title=event.title,
        starts_at=event.starts_at,
        venue=event.venue,
        fields=[
            (texts.FIELD_LABELS[field.field], field.shown(form.value(field.step)))
            for field in STEPS
        ],
    )
    await replies.send(update, text, keyboards.summary())
