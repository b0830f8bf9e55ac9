"""Taking back staff-chat notices when a citizen erases their data.

A notice in the staff Telegram chat quotes the citizen's question, which may hold an ID-card
number or a phone number. Erasure (services.privacy) queues one outbox row of kind `retract`
per notice (chat and message id in the row, no text); the dispatcher sends it like any other
row (rate limits, retries, a delivery record), calling this module instead of `send`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import OutboxKind, OutboxStatus
from bot.db.models import OutboxMessage, StaffChatNotice
from bot.outbox.port import MessageRetractor, PermanentSendError

TEMPLATE = "staff.retract"  # not rendered: the sender deletes or blanks the message


async def record_notice(
    session: AsyncSession, *, ticket_id: int, chat_id: int, message_id: int, now: datetime
) -> StaffChatNotice:
    """Remember a notice posted in the staff chat, so that erasure can take it back."""
    notice = StaffChatNotice(
        ticket_id=ticket_id, chat_id=chat_id, message_id=message_id, created_at=now
    )
    session.add(notice)
    return notice


async def queue_retractions(session: AsyncSession, ticket_ids: Any, *, now: datetime) -> int:
    """Queue a `retract` row for every notice of these tickets not taken back yet.

    `ticket_ids` is a list or a scalar subquery of ticket ids. The rows carry no citizen id:
    erasure deletes the citizen's unsent rows, and these must survive it.
    """
    notices = list(
        await session.scalars(
            select(StaffChatNotice)
            .where(
                StaffChatNotice.ticket_id.in_(ticket_ids), StaffChatNotice.retracted_at.is_(None)
            )
            .order_by(StaffChatNotice.id)
        )
    )
    for notice in notices:
        session.add(
            OutboxMessage(
                kind=OutboxKind.RETRACT,
                template=TEMPLATE,
                params={"message_id": notice.message_id, "notice_id": notice.id},
                citizen_id=None,
                chat_id=notice.chat_id,
                status=OutboxStatus.PENDING,
                due_at=now,
                next_attempt_at=now,
                attempts=0,
            )
        )
        notice.retracted_at = now
    return len(notices)


async def retract(sender: object, chat_id: int, params: Mapping[str, Any]) -> int:
    """Delete (or blank) the notice named by `params`; returns its message id."""
    if not isinstance(sender, MessageRetractor):
        raise PermanentSendError("this sender cannot delete messages")
    message_id = int(params["message_id"])
    await sender.retract(chat_id=chat_id, message_id=message_id)
    return message_id
