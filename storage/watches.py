"""Watches: saved searches (the query language and filters of `search`) stored in the
archive, each with the notify URLs it is delivered to and what it has been told.

What matches is decided in storage/watch_match.py, what is owed and sent is kept in the
outbox (storage/outbox.py); this module adds, lists and removes watches and reads what a
watch was told (its feed).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from storage.db import Archive
from storage.models import Outbox, Version, Watch
from storage.search_filters import Filters
from storage.search_query import QueryError, parse
from storage.watch_models import DIGEST_MODES

MAX_NAME = 100


class WatchError(QueryError):
    """A watch that cannot be added, or no watch of that name (one line for the user)."""


@dataclass
class WatchInfo:
    id: int
    name: str
    query: str
    filters: dict[str, Any]
    notify: list[str]  # passwords hidden
    digest: str | None
    created_at: datetime
    pending: int = 0
    sent: int = 0
    failures: int = 0
    last_error: str | None = None
    last_error_at: datetime | None = None
    last_sent_at: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = {k: (v.isoformat() if isinstance(v, datetime) else v)
               for k, v in self.__dict__.items() if k != "extra"}
        return {**out, **self.extra}


# Query parameters apprise reads secrets from (mailto://…?pass=, chat services' tokens).
SECRET_PARAMS = {"pass", "password", "token", "key", "apikey", "secret"}


def hide_password(url: str) -> str:
    """A notify URL as it may be shown: its password (SMTP, webhook basic auth) and secret
    query parameters starred."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.password:
        host = parts.netloc.rpartition("@")[2]
        parts = parts._replace(netloc=f"{parts.username or ''}:***@{host}")
    query = [(k, "***" if k.lower() in SECRET_PARAMS else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    return urlunsplit(parts._replace(query=urlencode(query, safe="@:/*"))) if parts.query else urlunsplit(parts)


def version_ceiling(session: Session) -> int:
    """The newest version id, with every version at or below it committed.

    On PostgreSQL a transaction may hold a smaller id it has not committed yet (ids are
    handed out at insert, commits come in any order): a SHARE lock on the table waits
    for every transaction that inserted a version to end, so none below the maximum
    read afterwards can appear later and be skipped. SQLite's write transaction
    (BEGIN IMMEDIATE) already excludes every other writer.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE version IN SHARE MODE"))
    return session.scalar(select(func.max(Version.id))) or 0


def add_watch(archive: Archive, name: str, query: str = "", filters: Filters | None = None, *,
              notify: list[str] | None = None, digest: str | None = None) -> WatchInfo:
    """A new watch; it is told about what the archive receives from now on."""
    name = name.strip()
    filters = filters or Filters()
    if not name or len(name) > MAX_NAME:
        raise WatchError(f"a watch's name is 1 to {MAX_NAME} characters")
    if query.strip():
        parse(query)  # a query with nothing searchable is refused now, not at every crawl
    elif filters.empty:
        raise WatchError("a watch needs a query or a filter (it would match every notice)")
    if digest is not None and digest not in DIGEST_MODES:
        raise WatchError(f"--digest: one of {', '.join(DIGEST_MODES)}, not {digest!r}")
    with archive.transaction() as session:
        if session.scalar(select(Watch.id).where(Watch.name == name)) is not None:
            raise WatchError(f"a watch named {name!r} exists (watch remove {name} first)")
        ceiling = version_ceiling(session)
        watch = Watch(name=name, query=query.strip(), filters=filters.to_dict(), notify=list(notify or []),
                      digest=digest, start_version_id=ceiling, seen_version_id=ceiling, failures=0)
        session.add(watch)
        session.flush()
        watch_id = watch.id
    return get_watch(archive, watch_id)


def remove_watch(archive: Archive, name: str) -> None:
    with archive.transaction() as session:
        watch_id = _id_of(session, name)
        session.execute(delete(Outbox).where(Outbox.watch_id == watch_id))
        session.execute(delete(Watch).where(Watch.id == watch_id))


def _id_of(session: Session, name: str) -> int:
    watch_id = session.scalar(select(Watch.id).where(Watch.name == name))
    if watch_id is None:
        raise WatchError(f"no watch named {name!r} (see `policy-archive watch list`)")
    return watch_id


def find_watch(archive: Archive, name: str) -> Watch:
    """The watch's row (detached), by name; WatchError if there is none."""
    with archive.session() as session:
        return session.get(Watch, _id_of(session, name))


def get_watch(archive: Archive, name_or_id: str | int) -> WatchInfo:
    with archive.session() as session:
        watch_id = name_or_id if isinstance(name_or_id, int) else _id_of(session, name_or_id)
        return _infos(session, [session.get(Watch, watch_id)])[0]


def list_watches(archive: Archive) -> list[WatchInfo]:
    with archive.session() as session:
        return _infos(session, list(session.scalars(select(Watch).order_by(Watch.name))))


def _infos(session: Session, watches: list[Watch]) -> list[WatchInfo]:
    counts: dict[tuple[int, bool], int] = {}
    if watches:
        for watch_id, sent, n in session.execute(
            select(Outbox.watch_id, Outbox.sent_at.is_not(None), func.count())
            .where(Outbox.watch_id.in_([w.id for w in watches])).group_by(Outbox.watch_id, Outbox.sent_at.is_not(None))
        ):
            counts[(watch_id, bool(sent))] = n
    return [WatchInfo(
        id=w.id, name=w.name, query=w.query, filters=dict(w.filters or {}),
        notify=[hide_password(u) for u in w.notify or []], digest=w.digest, created_at=w.created_at,
        pending=counts.get((w.id, False), 0), sent=counts.get((w.id, True), 0), failures=w.failures,
        last_error=w.last_error, last_error_at=w.last_error_at, last_sent_at=w.last_sent_at,
    ) for w in watches]


def told(archive: Archive, name: str, limit: int = 100) -> list[Outbox]:
    """What the watch was told (or is owed), newest first: one row per new notice and per
    revision, whatever its delivery did; the watch's feed is made of these."""
    with archive.session() as session:
        watch_id = _id_of(session, name)
        return list(session.scalars(
            select(Outbox).where(Outbox.watch_id == watch_id).order_by(Outbox.id.desc()).limit(limit)))
