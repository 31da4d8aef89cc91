"""Alembic environment for the archive.

Two ways in: ``open_archive()`` runs ``upgrade head`` programmatically and hands over
its own connection (already inside a write transaction); ``alembic upgrade head`` from
the repository root reads the URL from $POLICY_ARCHIVE_DB or alembic.ini.
"""
from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Connection

from storage.models import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite alters tables by copying them; batch mode does that for later migrations.
        render_as_batch=connection.dialect.name == "sqlite",
        # The archive's engine emits BEGIN itself on SQLite, so DDL is transactional there too.
        transactional_ddl=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from storage.db import ArchiveError, open_archive

    url = os.environ.get("POLICY_ARCHIVE_DB") or context.config.get_main_option("sqlalchemy.url")
    try:
        archive = open_archive(url, migrate=False)
    except ArchiveError as exc:
        raise SystemExit(str(exc)) from None
    try:
        with archive.engine.execution_options(archive_write=True).begin() as conn:
            _run(conn)
    finally:
        archive.dispose()


def run_offline() -> None:
    url = os.environ.get("POLICY_ARCHIVE_DB") or context.config.get_main_option("sqlalchemy.url")
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
