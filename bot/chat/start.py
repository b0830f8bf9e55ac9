"""/start, /menu and consent: the first screen, and agreeing (or not) to have data stored.

Consent comes before any personal data is asked for (Decree 13/2023): /start shows the
greeting and the consent question together, in one message. Declining stores nothing and
still leaves every question and the menu open. Agreeing records the time and the text
version through services.citizens; a deep link (`/start ev_<id>`) or a request for an
officer that was waiting for the answer then continues where the person was (asking in the
middle of something is bot.chat.consent).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Final

from telegram import Update

from bot.chat import callbacks as cb
from bot.chat import desk, handoff, replies, screens
from bot.chat.context import (
    ChatContext,
    db,
    private_user_id,
    retention_days,
    settings,
)
from bot.chat.memory import AfterConsent, Memory
from bot.chat.registration import entry as registration
from bot.db.models import Citizen
from bot.services.citizens import CitizenProfile, get_citizen_by_telegram_id, save_citizen
from bot.services.clock import to_local, utcnow
from bot.texts import consent as consent_texts

log = logging.getLogger(__name__)

DEEP_LINK: Final = re.compile(r"^ev_(\d{1,9})$")
MAX_NAME: Final = 200  # services.citizens refuses longer names


def deep_link_event(args: Sequence[str] | None) -> int | None:
    """The event id of a `t.me/<bot>?start=ev_<id>` link; None for anything else."""
    if not args:
        return None
    match = DEEP_LINK.fullmatch(args[0])
    return int(match.group(1)) if match else None


async def start(update: Update, context: ChatContext) -> None:
    """The person sees the greeting and the consent question, or the menu once agreed."""
    user_id = private_user_id(update)
    if user_id is None or update.effective_user is None:
        return
    memory = Memory(context)
    event_id = deep_link_event(context.args)
    consented = desk.has_consent(await desk.citizen(db(context), user_id))
    if event_id is not None:
        log.info("deep link to event %d (consent: %s)", event_id, consented)
        if consented:
            await registration.start_registration(
                update, context, kind=None, entities={}, event_id=event_id
            )
            return
        memory.set_after_consent(AfterConsent("registration", event_id=event_id))
    view = screens.welcome(
        update.effective_user.full_name,
        consented=consented,
        retention_days=retention_days(settings(context)),
    )
    await replies.send_view(update, view)


async def menu(update: Update, context: ChatContext) -> None:
    """The person sees the main menu."""
    await replies.send_view(update, screens.main_menu())


async def on_consent(update: Update, context: ChatContext) -> None:
    """The person pressed Đồng ý / Không đồng ý; the consent message becomes the answer."""
    press, user = await replies.pressed(update, cb.CONSENT, ack=True), update.effective_user
    if press is None or user is None:
        return
    choice = press.callback
    memory = Memory(context)
    if choice.value == "no":
        memory.take_after_consent()
        await replies.show(update, screens.consent_declined())
        return
    now = utcnow()
    async with db(context).transaction() as session:
        existing = await get_citizen_by_telegram_id(session=session, telegram_user_id=user.id)
        citizen = await save_citizen(
            session=session,
            telegram_user_id=user.id,
            profile=_profile(existing, user.full_name),
            consent_text_version=consent_texts.CONSENT_VERSION,
            now=now,
        )
        citizen_id = citizen.id
    log.info("citizen %d consented (%s)", citizen_id, consent_texts.CONSENT_VERSION)
    await replies.show(update, screens.consent_given(to_local(now)))
    await _resume(update, context, memory.take_after_consent())


def _profile(existing: Citizen | None, telegram_name: str) -> CitizenProfile:
    """Keep a known profile; a new person starts with their Telegram name (the form asks)."""
    if existing is not None and existing.full_name:
        return CitizenProfile(
            full_name=existing.full_name,
            phone=existing.phone,
            birth_year=existing.birth_year,
            commune=existing.commune,
            target_groups=tuple(existing.target_groups or ()),
        )
    return CitizenProfile(full_name=(telegram_name.strip() or "?")[:MAX_NAME])


async def _resume(update: Update, context: ChatContext, after: AfterConsent | None) -> None:
    if after is None:
        return
    if after.action == "registration":
        await registration.start_registration(
            update, context, kind=after.kind, entities={}, event_id=after.event_id
        )
    elif after.action == "handoff":
        await handoff.request_officer(update, context, question=after.question)
