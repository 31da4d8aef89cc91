"""Attachments: files linked from notices, raw, with their text.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("name", sa.String(500)),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("content_type", sa.String(200)),
        sa.Column("http_status", sa.SmallInteger(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("raw_codec", sa.String(8), nullable=False),
        sa.Column("raw_size", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text()),
        sa.Column("error", sa.String(300)),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], name=op.f("fk_attachment_document_id_document"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["version_id"], ["version.id"], name=op.f("fk_attachment_version_id_version"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
        sa.UniqueConstraint("version_id", "url", "sha256", name=op.f("uq_attachment_version_id_url_sha256")),
    )
    op.create_index(op.f("ix_attachment_document_id"), "attachment", ["document_id"])
    op.create_index(op.f("ix_attachment_version_id"), "attachment", ["version_id"])
    op.create_index(op.f("ix_attachment_sha256"), "attachment", ["sha256"])


def downgrade() -> None:
    op.drop_table("attachment")
