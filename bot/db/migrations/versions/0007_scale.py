"""Conversation memory in the database (more than one bot process).

Revision ID: 0007_scale
Revises: 0002_dialogue
Create Date: 2026-12-03 14:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0007_scale"
down_revision: str | None = "0006_conversations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "conversation_memory",
        sa.Column("telegram_user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("telegram_user_id", name=op.f("pk_conversation_memory")),
    )
    op.create_index(
        op.f("ix_conversation_memory_updated_at"), "conversation_memory", ["updated_at"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_conversation_memory_updated_at"), table_name="conversation_memory")
    op.drop_table("conversation_memory")
