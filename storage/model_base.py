"""The declarative base every typed ORM model shares, on the one metadata of
storage/tables.py (its constraint names included), with the column types and helpers
the models of another concern (storage/watch_models.py) define their tables with.
Apart from storage/models.py so those can be defined beside it without a cycle."""
from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from storage import tables
from storage.tables import JSONType, UTCDateTime, one_of, utcnow  # noqa: F401  (what the models use)


class Base(DeclarativeBase):
    metadata = tables.metadata
