"""Knowledge versions: officers' published edits of facts and answers, with their history.

Revision ID: 0003_knowledge
Revises: 0002_dialogue
Create Date: 2026-12-03 13:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_knowledge"
down_revision: str | None = "0002_dialogue"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "knowledge_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("body", sa.JSON(), nullable=True),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("author", sa.String(length=80), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("restores_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_knowledge_versions")),
    )
    with op.batch_alter_table("knowledge_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_knowledge_versions_kind"), ["kind", "key", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("knowledge_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_knowledge_versions_kind"))
    op.drop_table("knowledge_versions")
