"""The chat side of the emergency stop: one call before a knowledge answer is sent.

`paused_reply` returns the maintenance notice (bot.texts.answer_stops) when staff stopped
the topic of `intent` (services.answer_stops), naming the commune the person mentioned or,
failing that, the one in their profile; None when the answer may be given.
"""

from __future__ import annotations

from bot.db.engine import Database
from bot.services import answer_stops
from bot.services.citizens import get_citizen_by_telegram_id
from bot.services.communes import resolve_commune
from bot.texts import answer_stops as texts


async def paused_reply(
    db: Database, intent: str, *, commune: str | None, telegram_user_id: int | None
) -> str | None:
    """The notice to send instead of the answer for `intent`, or None."""
    if answer_stops.topic_of(intent) is None:
        return None  # chit-chat and actions never stop
    async with db.transaction() as session:
        if not await answer_stops.is_stopped(session, intent):
            return None
        code = resolve_commune(commune) if commune else None
        if code is None and telegram_user_id is not None:
            citizen = await get_citizen_by_telegram_id(
                session=session, telegram_user_id=telegram_user_id
            )
            code = citizen.commune if citizen is not None else None
    return texts.paused(code)
