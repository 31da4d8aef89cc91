"""When a conditional re-check last found a capture's page unchanged (HTTP 304).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07

A 304 stores no new capture, so a URL's "last seen" (its newest capture's fetch time)
stood still while the site kept answering that the page was still there.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("capture") as batch:
        batch.add_column(sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("capture") as batch:
        batch.drop_column("checked_at")
