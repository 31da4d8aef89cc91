"""Runs on record: failures per URL, listing walks, the owning process, partial runs,
drop counters; captures kept raw with the reason they were not extracted.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

Self-contained (no import from storage.models), like the migrations before it.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = sa.DateTime(timezone=True)
OLD_STATUSES = "status IN ('running', 'ok', 'failed', 'interrupted')"
NEW_STATUSES = "status IN ('running', 'ok', 'partial', 'failed', 'interrupted')"


def upgrade() -> None:
    with op.batch_alter_table("crawl_run") as batch:
        batch.add_column(sa.Column("robots", sa.Integer(), server_default=sa.text("0"), nullable=False))
        batch.add_column(sa.Column("duplicates", sa.Integer(), server_default=sa.text("0"), nullable=False))
        batch.add_column(sa.Column("pid", sa.Integer()))
        batch.add_column(sa.Column("host", sa.String(255)))
        batch.drop_constraint(op.f("ck_crawl_run_status"), type_="check")
        batch.create_check_constraint(op.f("ck_crawl_run_status"), NEW_STATUSES)

    with op.batch_alter_table("capture") as batch:
        batch.add_column(sa.Column("error_kind", sa.String(24)))
        batch.add_column(sa.Column("error", sa.Text()))
    op.create_index(op.f("ix_capture_error_kind"), "capture", ["error_kind"])

    op.create_table(
        "run_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("role", sa.String(16)),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("first_at", TIMESTAMP, nullable=False),
        sa.Column("last_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["crawl_run.id"], name=op.f("fk_run_failure_run_id_crawl_run"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_run_failure")),
        sa.UniqueConstraint("run_id", "url", "kind", name=op.f("uq_run_failure_run_id_url_kind")),
    )
    op.create_index(op.f("ix_run_failure_run_id"), "run_failure", ["run_id"])

    op.create_table(
        "listing_walk",
        sa.Column("source_id", sa.String(64), nullable=False),
        sa.Column("listing", sa.String(500), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("reached", sa.Integer(), nullable=False),
        sa.Column("next_url", sa.Text()),
        sa.Column("completed_at", TIMESTAMP),
        sa.Column("run_id", sa.Integer()),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.CheckConstraint("state IN ('walking', 'complete')", name=op.f("ck_listing_walk_state")),
        sa.ForeignKeyConstraint(["source_id"], ["source.id"], name=op.f("fk_listing_walk_source_id_source")),
        sa.ForeignKeyConstraint(["run_id"], ["crawl_run.id"], name=op.f("fk_listing_walk_run_id_crawl_run"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("source_id", "listing", name=op.f("pk_listing_walk")),
    )


def downgrade() -> None:
    op.drop_table("listing_walk")
    op.drop_table("run_failure")
    op.drop_index(op.f("ix_capture_error_kind"), table_name="capture")
    with op.batch_alter_table("capture") as batch:
        batch.drop_column("error")
        batch.drop_column("error_kind")
    op.execute("UPDATE crawl_run SET status = 'failed' WHERE status = 'partial'")
    with op.batch_alter_table("crawl_run") as batch:
        batch.drop_constraint(op.f("ck_crawl_run_status"), type_="check")
        batch.create_check_constraint(op.f("ck_crawl_run_status"), OLD_STATUSES)
        batch.drop_column("host")
        batch.drop_column("pid")
        batch.drop_column("duplicates")
        batch.drop_column("robots")
