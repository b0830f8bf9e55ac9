"""Security: staff sessions, login throttle, staff-chat notices, answer stops; review items
linked to the citizen and their commune; the outbox's new `retract` kind.

Revision ID: 0005_security
Revises: 0002_dialogue
Create Date: 2026-12-03 12:50:00

Widening the outbox `kind` CHECK on SQLite: recreating the outbox table (Alembic batch mode)
would break the foreign keys that point at it, so the table's SQL is edited in place, the
procedure SQLite documents for changing CHECK constraints (ALTER TABLE, section 7). Existing
rows satisfy the wider constraint, so nothing needs checking.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_security"
down_revision: str | None = "0004_officer_work"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_KINDS = ("reminder", "promotion", "notice", "broadcast")
_NEW_KINDS = (*_OLD_KINDS, "retract")


def _in_list(kinds: Sequence[str]) -> str:
    return ", ".join(f"'{kind}'" for kind in kinds)


def _set_outbox_kinds(old: Sequence[str], new: Sequence[str]) -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        table_sql = bind.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'outbox'"
        ).scalar_one()
        before = f"kind IN ({_in_list(old)})"
        if before not in table_sql:
            raise RuntimeError("outbox kind constraint not found in its expected form")
        version = bind.exec_driver_sql("PRAGMA schema_version").scalar_one()
        bind.exec_driver_sql("PRAGMA writable_schema = ON")
        bind.exec_driver_sql(
            "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'outbox'",
            (table_sql.replace(before, f"kind IN ({_in_list(new)})"),),
        )
        bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
        bind.exec_driver_sql("PRAGMA writable_schema = OFF")
    else:
        op.drop_constraint(op.f("ck_outbox_kind"), "outbox", type_="check")
        op.create_check_constraint(op.f("ck_outbox_kind"), "outbox", f"kind IN ({_in_list(new)})")


def upgrade() -> None:
    op.create_table(
        "staff_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("staff_user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_reason", sa.String(length=40), nullable=True),
        sa.Column("client_address", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_user_id"], ["staff_users.id"],
            name=op.f("fk_staff_sessions_staff_user_id_staff_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_staff_sessions_token_hash")),
    )
    with op.batch_alter_table("staff_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_staff_sessions_staff_user_id"), ["staff_user_id"], unique=False
        )
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("inflight", sa.Integer(), nullable=False),
        sa.Column("inflight_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lock_level", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_throttle")),
    )
    op.create_table(
        "staff_chat_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retracted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["handoff_tickets.id"],
            name=op.f("fk_staff_chat_notices_ticket_id_handoff_tickets"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_chat_notices")),
    )
    with op.batch_alter_table("staff_chat_notices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_staff_chat_notices_chat_id"), ["chat_id", "message_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_staff_chat_notices_ticket_id"), ["ticket_id"], unique=False
        )
    op.create_table(
        "answer_stops",
        sa.Column("topic", sa.String(length=40), nullable=False),
        sa.Column("stopped_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stopped_by", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("topic", name=op.f("pk_answer_stops")),
    )
    with op.batch_alter_table("nlu_review_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("citizen_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("commune", sa.String(length=40), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_nlu_review_items_citizen_id"), ["citizen_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_nlu_review_items_citizen_id_citizens"), "citizens",
            ["citizen_id"], ["id"],
        )
    _set_outbox_kinds(_OLD_KINDS, _NEW_KINDS)


def downgrade() -> None:
    op.execute("DELETE FROM outbox WHERE kind = 'retract'")
    _set_outbox_kinds(_NEW_KINDS, _OLD_KINDS)
    with op.batch_alter_table("nlu_review_items", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_nlu_review_items_citizen_id_citizens"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_nlu_review_items_citizen_id"))
        batch_op.drop_column("commune")
        batch_op.drop_column("citizen_id")
    op.drop_table("answer_stops")
    with op.batch_alter_table("staff_chat_notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_chat_notices_ticket_id"))
        batch_op.drop_index(batch_op.f("ix_staff_chat_notices_chat_id"))
    op.drop_table("staff_chat_notices")
    op.drop_table("login_throttle")
    with op.batch_alter_table("staff_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_sessions_staff_user_id"))
    op.drop_table("staff_sessions")
