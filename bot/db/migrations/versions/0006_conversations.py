"""Conversations (issue 12): registrations cancelled with their event; announcement subscriptions.

- `registrations.status` gains `event_cancelled`: cancelling an event moves its registrations
  there, so no list shows a seat at a cancelled event. Registrations of events cancelled
  before this revision are moved too (they were left "confirmed").
- `subscriptions`: one row per citizen who asked to hear about new classes / job fairs.

Revision ID: 0006_conversations
Revises: 0002_dialogue
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_conversations"
down_revision: str | None = "0005_security"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD = ("pending", "confirmed", "waitlisted", "cancelled", "rejected", "attended", "no_show")
_NEW = (*_OLD, "event_cancelled")
_STILL_ON = ("pending", "confirmed", "waitlisted")


def _status_check(values: Sequence[str]) -> str:
    return "status IN (" + ", ".join(f"'{value}'" for value in values) + ")"


def _replace_status_check(values: Sequence[str]) -> None:
    with op.batch_alter_table("registrations") as batch:
        batch.drop_constraint(op.f("ck_registrations_status"), type_="check")
        batch.create_check_constraint(op.f("ck_registrations_status"), _status_check(values))


def upgrade() -> None:
    _replace_status_check(_NEW)
    still_on = ", ".join(f"'{value}'" for value in _STILL_ON)
    op.execute(
        "UPDATE registrations SET status = 'event_cancelled', waitlist_position = NULL "
        f"WHERE status IN ({still_on}) "
        "AND event_id IN (SELECT id FROM events WHERE status = 'cancelled')"
    )
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("citizen_id", sa.Integer(), nullable=False),
        sa.Column("commune", sa.String(length=40), nullable=True),
        sa.Column("kinds", sa.JSON(), nullable=False),
        sa.Column("trades", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["citizen_id"], ["citizens.id"], name=op.f("fk_subscriptions_citizen_id_citizens")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscriptions")),
        sa.UniqueConstraint("citizen_id", name=op.f("uq_subscriptions_citizen_id")),
    )


def downgrade() -> None:
    op.drop_table("subscriptions")
    # The old schema has no such state: the closest is "cancelled" (the seat is gone either way).
    op.execute("UPDATE registrations SET status = 'cancelled' WHERE status = 'event_cancelled'")
    _replace_status_check(_OLD)
