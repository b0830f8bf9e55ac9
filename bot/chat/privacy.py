"""/riengtu: what the bot keeps about the person, and "Xóa dữ liệu của tôi" after a confirmation.

Erasing is services.privacy.erase_citizen (profile blanked, future registrations cancelled,
pending messages dropped); the conversation's short-lived memory in this process goes too.
"""

from __future__ import annotations

import logging

from telegram import Update

from bot.chat import callbacks as cb
from bot.chat import desk, replies, screens
from bot.chat.context import ChatContext, db, kick_dispatcher, private_user_id
from bot.chat.memory import Memory
from bot.services.citizens import get_citizen_by_telegram_id
from bot.services.clock import to_local, utcnow
from bot.services.privacy import erase_citizen
from bot.texts import privacy as texts

log = logging.getLogger(__name__)


async def riengtu(update: Update, context: ChatContext) -> None:
    """The person sees what is stored about them and the button to delete it."""
    user_id = private_user_id(update)
    if user_id is None:
        return
    citizen = await desk.citizen(db(context), user_id)
    consent_at = to_local(citizen.consent_at) if citizen and citizen.consent_at else None
    version = citizen.consent_text_version if citizen else None
    await replies.send_view(
        update, screens.privacy(consent_at, version, stored=citizen is not None)
    )


async def on_button(update: Update, context: ChatContext) -> None:
    """Erase → confirm → erased; or keep."""
    press = await replies.pressed(update, cb.PRIVACY, ack=True)
    if press is None:
        return
    user_id, choice = press
    if choice.value == "erase":
        await replies.show(update, screens.confirm_erase())
    elif choice.value == "keep":
        await replies.edit(update, texts.KEPT)
    else:
        await _erase(update, context, user_id)


async def _erase(update: Update, context: ChatContext, user_id: int) -> None:
    async with db(context).transaction() as session:
        citizen = await get_citizen_by_telegram_id(session=session, telegram_user_id=user_id)
        report = (
            await erase_citizen(session=session, citizen=citizen, now=utcnow())
            if citizen is not None
            else None
        )
    Memory(context).clear()
    cancelled = report.registrations_cancelled if report else 0
    if report is not None:
        log.info("citizen %d erased (%d registrations cancelled)", report.citizen_id, cancelled)
        kick_dispatcher(context)  # cancellations may have promoted people from the waitlist
    await replies.edit(update, texts.erased(cancelled))
