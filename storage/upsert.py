"""INSERT … ON CONFLICT for both backends: a write that may meet a row another
transaction has just written.

"Read, then insert if missing" races under PostgreSQL's READ COMMITTED: two
transactions both see no row, both insert, and the second fails on the key (a lost
write, or a rerun). ON CONFLICT decides in the database, atomically, on SQLite and
PostgreSQL alike; both dialects spell it the same way in SQLAlchemy, only the
``insert`` construct differs.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.dialects.sqlite import insert as sqlite_insert

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def insert_for(session: Session, table: Any) -> Any:
    """An INSERT on ``table`` (model or Table) with ``on_conflict_do_nothing/do_update``."""
    return dialect_insert(session.get_bind().dialect.name, table)


def dialect_insert(dialect: str, table: Any) -> Any:
    """The same, by dialect name (for statements built once per dialect and cached)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert  # loaded by its engine

        return pg_insert(table)
    if dialect == "sqlite":
        return sqlite_insert(table)
    raise ValueError(f"no upsert for the {dialect} backend")
