"""Watches (saved searches that notify) and their outbox.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08

Self-contained (no import from storage.models), like the migrations before it.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = sa.DateTime(timezone=True)
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "watch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("filters", JSON, nullable=False),
        sa.Column("notify", JSON, nullable=False),
        sa.Column("digest", sa.String(16)),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("start_version_id", sa.Integer(), nullable=False),
        sa.Column("seen_version_id", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text()),
        sa.Column("last_error_at", TIMESTAMP),
        sa.Column("last_sent_at", TIMESTAMP),
        sa.CheckConstraint("digest IN ('daily')", name=op.f("ck_watch_digest")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watch")),
        sa.UniqueConstraint("name", name=op.f("uq_watch_name")),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("watch_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("payload", JSON, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("sent_at", TIMESTAMP),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_try_at", TIMESTAMP),
        sa.Column("last_error", sa.Text()),
        sa.Column("claimed_by", sa.String(300)),
        sa.Column("delivered", JSON, nullable=False),
        sa.CheckConstraint("kind IN ('new', 'revised')", name=op.f("ck_outbox_kind")),
        sa.ForeignKeyConstraint(["watch_id"], ["watch.id"], name=op.f("fk_outbox_watch_id_watch"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], name=op.f("fk_outbox_document_id_document"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["version_id"], ["version.id"], name=op.f("fk_outbox_version_id_version"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("watch_id", "document_id", "version_id",
                            name=op.f("uq_outbox_watch_id_document_id_version_id")),
    )
    op.create_index(op.f("ix_outbox_watch_id"), "outbox", ["watch_id"])
    op.create_index(op.f("ix_outbox_document_id"), "outbox", ["document_id"])
    op.create_index("ix_outbox_pending", "outbox", ["sent_at", "next_try_at"])


def downgrade() -> None:
    op.drop_table("outbox")
    op.drop_table("watch")
