"""New rows written with one Core INSERT … RETURNING, yet held as ORM objects.

Ingest makes a Document and a Version per new notice and reads and changes both later in
the same transaction. Added through the session, each cost a unit-of-work flush (several
times the INSERT itself, on the crawl process's one GIL); here the row is inserted on the
connection and the object joins the session as if just loaded, so later changes to it
are flushed as UPDATEs as usual.
"""
from __future__ import annotations

from functools import cache
from typing import Any, TypeVar

from sqlalchemy import Insert, insert, inspect
from sqlalchemy.orm import Session, make_transient_to_detached

T = TypeVar("T")


@cache
def _insert_returning_id(model: type) -> Insert:
    return insert(model).returning(inspect(model).primary_key[0])


@cache
def _columns(model: type) -> tuple[str, ...]:
    return tuple(attr.key for attr in inspect(model).column_attrs)


def insert_object(session: Session, model: type[T], **values: Any) -> T:
    """Insert a row of ``model`` and return it as a persistent object of the session.

    Every column but the primary key must be given (a missing one would make the object
    load it again on first access): the object holds exactly the values inserted.
    """
    pk = inspect(model).primary_key[0].key
    missing = set(_columns(model)) - set(values) - {pk}
    if missing:
        raise TypeError(f"{model.__name__}: no value for {', '.join(sorted(missing))}")
    new_id = session.connection().scalar(_insert_returning_id(model), values)
    obj = model(**values, **{pk: new_id})
    make_transient_to_detached(obj)
    session.add(obj)
    return obj
