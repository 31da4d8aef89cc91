"""Raw bytes stored once: a content-addressed blob table that captures and attachments point to.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

Existing bodies move over as they are: a capture's ``raw`` is already the compressed
form of the bytes its ``sha256`` names, so the first row of each digest becomes that
digest's blob (no decompression, nothing re-encoded), then the columns go.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OWNERS = ("capture", "attachment")


def upgrade() -> None:
    op.create_table(
        "blob",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("codec", sa.String(8), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_blob")),
    )
    for table in _OWNERS:
        op.execute(
            f"INSERT INTO blob (sha256, codec, size, data) "
            f"SELECT t.sha256, t.raw_codec, t.raw_size, t.raw FROM {table} t "
            f"WHERE t.id IN (SELECT min(id) FROM {table} GROUP BY sha256) "
            f"AND NOT EXISTS (SELECT 1 FROM blob b WHERE b.sha256 = t.sha256)"
        )
    for table in _OWNERS:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("raw")
            batch.drop_column("raw_codec")
            batch.create_foreign_key(op.f(f"fk_{table}_sha256_blob"), "blob", ["sha256"], ["sha256"])


def downgrade() -> None:
    for table in _OWNERS:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f"fk_{table}_sha256_blob"), type_="foreignkey")
            batch.add_column(sa.Column("raw", sa.LargeBinary()))
            batch.add_column(sa.Column("raw_codec", sa.String(8)))
        op.execute(
            f"UPDATE {table} SET raw = (SELECT data FROM blob WHERE blob.sha256 = {table}.sha256), "
            f"raw_codec = (SELECT codec FROM blob WHERE blob.sha256 = {table}.sha256)"
        )
        with op.batch_alter_table(table) as batch:
            batch.alter_column("raw", existing_type=sa.LargeBinary(), nullable=False)
            batch.alter_column("raw_codec", existing_type=sa.String(8), nullable=False)
    op.drop_table("blob")
