"""Announcement subscriptions: "tell me when there is a new class or job fair near me".

The cancellation notice promises "Bot sẽ báo khi có lớp hoặc phiên mới"; this is what keeps
that promise. A citizen subscribes (from the menu, or from the offer that follows a
cancellation) to the new events of their commune, optionally of some kinds and trades; when
staff open an event (`announce_event`, called by services.events when an event becomes open)
every matching subscriber gets one announcement through the outbox, so the dispatcher's
limits (29 messages/s overall, about one per second per chat) and retries apply and a
subscriber is never told twice about the same event.

Matching (documented because officers will ask why someone was or was not told):
- commune: an event whose venue or title names one of our communes (new or former unit) is
  for that commune; an event naming none (a fair in the provincial centre) is for everyone;
- kinds: empty means both classes and fairs;
- trades: empty means every trade; otherwise one subscribed trade must occur in the event's
  title or description, matched with diacritics when typed with them ("may" ≠ "máy").
A subscription is personal data kept with consent: `forget` deletes it when the person erases
their data.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import EventKind, EventStatus, OutboxKind
from bot.db.models import Citizen, Event, OutboxMessage, Registration, Subscription
from bot.outbox.queue import Template, event_params, queue_message
from bot.services import audit
from bot.services.actors import Actor
from bot.services.clock import utcnow
from bot.services.communes import COMMUNES, OUTSIDE, communes_named_in
from bot.services.errors import CitizenDataRefused, Reason
from nlu.textnorm import fold

MAX_TRADES = 5
MAX_TRADE_LENGTH = 60
_KINDS = frozenset(kind.value for kind in EventKind)
_GENERIC_TRADE_WORDS = frozenset({"nghề", "lớp", "thợ", "học", "nghe", "lop", "tho", "hoc"})


@dataclass(frozen=True)
class Announced:
    event_id: int
    queued: int
    skipped_unreachable: int


def _clean_trades(trades: Iterable[str]) -> list[str]:
    cleaned: list[str] = []
    for trade in trades:
        text = " ".join(unicodedata.normalize("NFC", trade).split())[:MAX_TRADE_LENGTH]
        if text and text.lower() not in {t.lower() for t in cleaned}:
            cleaned.append(text)
    return cleaned[:MAX_TRADES]


async def subscribe(
    *,
    session: AsyncSession,
    citizen: Citizen,
    commune: str | None,
    kinds: Iterable[str] = (),
    trades: Iterable[str] = (),
    now: datetime | None = None,
) -> Subscription:
    """Create or replace the citizen's subscription (consent required: it is personal data)."""
    now = now or utcnow()
    if citizen.erased_at is not None:
        raise CitizenDataRefused(Reason.CITIZEN_ERASED, citizen_id=citizen.id)
    if citizen.consent_at is None:
        raise CitizenDataRefused(Reason.CONSENT_MISSING, citizen_id=citizen.id)
    if commune is not None and commune not in COMMUNES:
        raise CitizenDataRefused(Reason.UNKNOWN_COMMUNE)
    wanted_kinds = sorted(set(kinds) & _KINDS)
    subscription = await get_subscription(session=session, citizen_id=citizen.id)
    if subscription is None:
        subscription = Subscription(citizen_id=citizen.id, created_at=now)
        session.add(subscription)
    subscription.commune = None if commune == OUTSIDE else commune
    subscription.kinds = wanted_kinds
    subscription.trades = _clean_trades(trades)
    subscription.updated_at = now
    await session.flush()
    return subscription


async def get_subscription(*, session: AsyncSession, citizen_id: int) -> Subscription | None:
    found: Subscription | None = await session.scalar(
        select(Subscription).where(Subscription.citizen_id == citizen_id)
    )
    return found


async def unsubscribe(*, session: AsyncSession, citizen_id: int) -> bool:
    """Stop announcements; True if there was a subscription."""
    result = await session.execute(
        delete(Subscription)
        .where(Subscription.citizen_id == citizen_id)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


forget = unsubscribe  # "delete my data" (services.privacy) removes the subscription too


# -- matching --------------------------------------------------------------------------------


def _words(text: str, *, keep_marks: bool) -> str:
    lowered = unicodedata.normalize("NFC", text).lower() if keep_marks else fold(text)
    return " ".join("".join(c if c.isalnum() else " " for c in lowered).split())


def _phrase_in(trade: str, text: str, *, keep_marks: bool) -> bool:
    haystack = f" {_words(text, keep_marks=keep_marks)} "
    words = [
        w for w in _words(trade, keep_marks=keep_marks).split() if w not in _GENERIC_TRADE_WORDS
    ]
    return bool(words) and f" {' '.join(words)} " in haystack


def matches_trade(event: Event, trade: str) -> bool:
    """The trade's words (without "nghề", "lớp"…) occur together in the title/description.

    Compared as written first ("may" finds "Lớp may", not "xe máy"). A phrase of two or more
    words typed without diacritics ("xe may") is also compared folded: long phrases are not
    ambiguous the way one short word is.
    """
    text = f"{event.title} {event.description}"
    if _phrase_in(trade, text, keep_marks=True):
        return True
    return trade.isascii() and len(trade.split()) >= 2 and _phrase_in(trade, text, keep_marks=False)


def event_communes(event: Event) -> set[str]:
    """The communes an event's venue or title names (empty: it names none of ours)."""
    return communes_named_in(f"{event.venue} {event.title}")


def wants(subscription: Subscription, event: Event) -> bool:
    """Whether this subscriber asked to hear about this event (rules in the module doc)."""
    if subscription.kinds and event.kind.value not in subscription.kinds:
        return False
    places = event_communes(event)
    if subscription.commune is not None and places and subscription.commune not in places:
        return False
    trades = subscription.trades or []
    return not trades or any(matches_trade(event, trade) for trade in trades)


# -- announcing ------------------------------------------------------------------------------


def _announceable(event: Event, now: datetime) -> bool:
    return (
        event.status == EventStatus.OPEN
        and event.registration_deadline > now
        and event.starts_at > now
    )


async def announce_event(
    *, session: AsyncSession, event: Event, actor: Actor, now: datetime | None = None
) -> Announced:
    """Queue one announcement of an open event to each matching subscriber not told yet.

    Subscribers already registered for it are skipped, and so is anyone who already has an
    announcement of this event, so reopening an event (or calling this twice) tells nobody
    twice. Audited with the count (no names).
    """
    now = now or utcnow()
    if not _announceable(event, now):
        return Announced(event.id, 0, 0)
    told = select(OutboxMessage.citizen_id).where(
        OutboxMessage.event_id == event.id,
        OutboxMessage.template == Template.EVENT_ANNOUNCED.value,
        OutboxMessage.citizen_id.is_not(None),
    )
    registered = select(Registration.citizen_id).where(Registration.event_id == event.id)
    rows = await session.execute(
        select(Subscription, Citizen)
        .join(Citizen, Citizen.id == Subscription.citizen_id)
        .where(
            Citizen.erased_at.is_(None),
            Citizen.consent_at.is_not(None),
            Citizen.id.not_in(told),
            Citizen.id.not_in(registered),
        )
        .order_by(Citizen.id)
    )
    queued = skipped = 0
    params = event_params(event) | {
        "registration_deadline": event.registration_deadline.isoformat()
    }
    for subscription, citizen in rows.tuples():
        if not wants(subscription, event):
            continue
        row = queue_message(
            session,
            citizen=citizen,
            kind=OutboxKind.BROADCAST,
            template=Template.EVENT_ANNOUNCED,
            params=params,
            due_at=now,
            expires_at=event.registration_deadline,
            event_id=event.id,
        )
        if row is None:
            skipped += 1
        else:
            queued += 1
    if queued or skipped:
        audit.record(
            session,
            actor=actor,
            action="event.announce",
            entity_type="event",
            entity_id=event.id,
            before=None,
            after={"queued": queued, "skipped_unreachable": skipped},
            at=now,
        )
    return Announced(event.id, queued, skipped)
