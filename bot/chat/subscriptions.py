""" "Báo tôi khi có lớp/phiên mới": subscribing and unsubscribing (SUB|… buttons).

SUB|on subscribes to the commune of the person's profile (or asks which: the two communes or
both); SUB|cm|<code|all> answers that question; SUB|off unsubscribes. The wish is stored by
services.subscriptions, which needs consent (it is personal data). The offer comes from the
"Học nghề" and "Việc làm" menus and under the notice that an event was cancelled.
"""

from __future__ import annotations

import logging

from telegram import Update

from bot.chat import callbacks as cb
from bot.chat import keyboards, replies
from bot.chat.context import ChatContext, db, private_user_id
from bot.services import subscriptions
from bot.services.citizens import get_citizen_by_telegram_id
from bot.services.communes import COMMUNES, OUTSIDE
from bot.services.errors import CitizenDataRefused, Reason
from bot.texts import subscriptions as texts

log = logging.getLogger(__name__)


async def show_subscription(update: Update, context: ChatContext) -> None:
    """The person's current wish with a way to turn it off, or the offer to subscribe."""
    uid = private_user_id(update)
    if uid is None:
        return
    async with db(context).transaction() as session:
        person = await get_citizen_by_telegram_id(session=session, telegram_user_id=uid)
        current = (
            await subscriptions.get_subscription(session=session, citizen_id=person.id)
            if person is not None
            else None
        )
        shown = None if current is None else (current.commune, current.kinds, current.trades)
    if shown is None:
        await replies.send(update, texts.OFFER_AFTER_CANCELLATION, keyboards.subscribe_offer())
        return
    await replies.send(update, texts.status(*shown), keyboards.unsubscribe())


async def on_callback(update: Update, context: ChatContext) -> None:
    """SUB|on, SUB|cm|<code|all>, SUB|off."""
    press = await replies.pressed(update, cb.SUB, ack=True)
    uid = private_user_id(update)
    if press is None or uid is None:
        return
    callback = press.callback
    if callback.action == "off":
        async with db(context).transaction() as session:
            person = await get_citizen_by_telegram_id(session=session, telegram_user_id=uid)
            had = person is not None and await subscriptions.unsubscribe(
                session=session, citizen_id=person.id
            )
        await replies.edit(update, texts.UNSUBSCRIBED if had else texts.NOT_SUBSCRIBED)
        return
    if callback.action == "cm":
        arg = callback.arg()
        if arg != "all" and arg not in COMMUNES:
            await replies.stale(update)
            return
        commune = None if arg == "all" else arg
    else:
        async with db(context).transaction() as session:
            person = await get_citizen_by_telegram_id(session=session, telegram_user_id=uid)
        known = person.commune if person is not None else None
        if known is None or known == OUTSIDE:
            await replies.edit(update, texts.ASK_COMMUNE, keyboards.subscription_communes())
            return
        commune = known
    await _subscribe(update, context, uid, commune)


async def _subscribe(update: Update, context: ChatContext, uid: int, commune: str | None) -> None:
    async with db(context).transaction() as session:
        person = await get_citizen_by_telegram_id(session=session, telegram_user_id=uid)
        try:
            if person is None:
                raise CitizenDataRefused(Reason.CONSENT_MISSING)
            await subscriptions.subscribe(session=session, citizen=person, commune=commune)
        except CitizenDataRefused as refused:
            log.info("subscription refused: %s", refused.reason.value)
            subscribed = False
        else:
            subscribed = True
    if not subscribed:
        await replies.edit(update, texts.CONSENT_FIRST)
        return
    log.info("citizen subscribed to announcements (commune %s)", commune or "any")
    await replies.edit(update, texts.subscribed(commune), keyboards.unsubscribe())
