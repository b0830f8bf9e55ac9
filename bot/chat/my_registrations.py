""" "Đăng ký của tôi": the list, cancelling with a confirmation, and the reminder buttons.

Cancel buttons carry a registration id (MYREG|c|<id>), reminder buttons an event id
(REM|ok|<event id>); either way the database is asked for *the presser's* registration, so a
forged id of another citizen's registration finds nothing and is refused. Cancelling goes
through services.registrations, which promotes the first person on the waitlist and queues
their message in the outbox.
"""

from __future__ import annotations

import logging

from telegram import Update

from bot.chat import callbacks as cb
from bot.chat import desk, keyboards, replies
from bot.chat.context import ChatContext, db, kick_dispatcher, private_user_id
from bot.db.enums import ACTIVE, RegistrationStatus
from bot.db.models import Event, Registration
from bot.services.clock import utcnow
from bot.services.errors import Reason, RegistrationRefused
from bot.texts import registration as texts

log = logging.getLogger(__name__)
_CANCELLABLE = frozenset(
    {RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED}
)


def _details(event: Event) -> str:
    return texts.event_details(
        title=event.title,
        starts_at=event.starts_at,
        venue=event.venue,
        venue_map_url=event.venue_map_url,
    )


async def show_my_registrations(update: Update, context: ChatContext) -> None:
    """The citizen sees their coming registrations with status, and a cancel button each."""
    uid = private_user_id(update)
    if uid is None:
        return
    registrations = await desk.my_registrations(db(context), uid)
    if not registrations:
        await replies.send(update, texts.MY_EMPTY)
        return
    now = utcnow()
    items = [
        texts.my_item(n, _details(r.event), r.status.value, r.waitlist_position)
        for n, r in enumerate(registrations, start=1)
    ]
    buttons = [
        (r.id, r.event.title)
        for r in registrations
        if r.status in _CANCELLABLE and r.event.starts_at > now
    ]
    await replies.send(
        update, "\n\n".join([texts.MY_HEADER, *items]), keyboards.my_registrations(buttons)
    )


async def _ask_to_confirm(update: Update, registration: Registration) -> None:
    if registration.status not in ACTIVE:
        await replies.acknowledge(update, texts.ALREADY_CANCELLED, alert=True)
        return
    await replies.acknowledge(update)
    await replies.send(
        update,
        texts.confirm_cancel(_details(registration.event)),
        keyboards.confirm_cancel(registration.id),
    )


async def _cancel(update: Update, context: ChatContext, uid: int, registration_id: int) -> None:
    try:
        result = await desk.cancel_owned(db(context), uid, registration_id)
    except RegistrationRefused as refused:
        text = (
            texts.CANCEL_TOO_LATE
            if refused.reason == Reason.EVENT_STARTED
            else (texts.CANNOT_CANCEL)
        )
        await replies.acknowledge(update, text, alert=True)
        return
    if result is None:
        log.warning("refused cancel of registration %s: not the presser's", registration_id)
        await replies.acknowledge(update, texts.NOT_YOURS, alert=True)
        return
    await replies.acknowledge(update)
    if not result.was_active:
        await replies.edit(update, texts.ALREADY_CANCELLED)
        return
    log.info(
        "registration %s cancelled by the citizen; %d promoted", registration_id, result.promoted
    )
    await replies.edit(update, texts.cancelled(result.event.title))
    if result.promoted:
        kick_dispatcher(context)


async def on_callback(update: Update, context: ChatContext) -> None:
    """MYREG|list, MYREG|c|<id> (ask), MYREG|cy|<id> (cancel), MYREG|cn|<id> (keep)."""
    press = await replies.pressed(update, cb.MYREG)
    if press is None:
        return
    uid, callback = press
    if callback.action == "list":
        await replies.acknowledge(update)
        await show_my_registrations(update, context)
        return
    registration_id = callback.int_arg()
    if registration_id is None or callback.action not in ("c", "cy", "cn"):
        await replies.stale(update)
        return
    if callback.action == "cy":
        await _cancel(update, context, uid, registration_id)
        return
    registration = await desk.owned_registration(db(context), uid, registration_id)
    if registration is None:
        log.warning("refused registration %s: not the presser's", registration_id)
        await replies.acknowledge(update, texts.NOT_YOURS, alert=True)
    elif callback.action == "c":
        await _ask_to_confirm(update, registration)
    else:
        await replies.acknowledge(update)
        await replies.edit(update, texts.KEPT)


async def on_reminder(update: Update, context: ChatContext) -> None:
    """REM|ok|<event id> ("Tôi vẫn tham dự") and REM|c|<event id> ("Hủy đăng ký")."""
    press = await replies.pressed(update, cb.REM)
    if press is None:
        return
    uid, callback = press
    event_id = callback.int_arg()
    if event_id is None:
        await replies.stale(update)
        return
    registration = await desk.active_registration(db(context), uid, event_id)
    if registration is None:
        await replies.acknowledge(update, texts.NOT_YOURS, alert=True)
        return
    if callback.action == "c":
        await _ask_to_confirm(update, registration)
        return
    await replies.acknowledge(update, texts.STILL_ATTENDING_TOAST)
    await replies.set_buttons(update, None)
    event = registration.event
    await replies.send(update, texts.still_attending(event.title, event.starts_at))
