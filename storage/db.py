"""Opening the archive: URL checks, engine setup per backend, migrations on open."""
from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

if TYPE_CHECKING:
    import alembic.config
    from sqlalchemy.engine import Connection
    from sqlalchemy.orm import Session

ENV_VAR = "POLICY_ARCHIVE_DB"
DEFAULT_URL = "sqlite:///./data/archive.db"
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# The newest migration's revision (tests/test_startup.py holds it to Alembic's head): a new
# migration moves it, or every opening would take the archive for out of date.
SCHEMA_HEAD = "0010"

# How long a SQLite writer waits for another (the scheduler and a CLI crawl can write
# at the same time); WAL lets readers go on meanwhile.
SQLITE_BUSY_TIMEOUT_MS = 30_000
PG_CONNECT_TIMEOUT_S = 5
# Key of the PostgreSQL advisory lock that serializes ingest and migrations, the way a
# SQLite write transaction does by itself. Any constant works; this one spells "PA".
PG_LOCK_KEY = 0x5041


class ArchiveError(Exception):
    """The archive cannot be opened or used; the message is one line for the user."""


class NoArchive(ArchiveError):
    """Nothing at this URL is an archive, and the caller may not create one."""


@dataclass
class Archive:
    url: str  # full URL (a crawl child process opens the same archive with it)
    engine: Engine
    read_only: bool = False
    # re-entrant: a nested write waits on the file's lock as it always did, not here
    _writing: threading.RLock = field(default_factory=threading.RLock, repr=False, compare=False)

    @property
    def display_url(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def session(self) -> Session:
        """An ORM session for reading (or for writes that need no serialization)."""
        from sqlalchemy.orm import Session  # the writers' import: reads use reader()

        return Session(self.engine, expire_on_commit=False)

    def reader(self) -> Connection:
        """A connection for reads in SQLAlchemy Core (storage/tables.py): what the read
        commands use, so that answering them never imports the ORM."""
        return self.engine.connect()

    def write_session(self) -> Session:
        """A session whose transactions write (on SQLite: BEGIN IMMEDIATE, see the engine's
        events); the caller begins and ends them (transaction(), storage/write_group.py)."""
        from sqlalchemy.orm import Session

        writer = self.engine if self.read_only else self.engine.execution_options(archive_write=True)
        return Session(writer, expire_on_commit=False)

    @contextmanager
    def transaction(self, serialize: bool | Iterable[str] = False) -> Iterator[Session]:
        """One write transaction: committed when the block ends, rolled back on any error.

        SQLite takes its write lock at BEGIN (BEGIN IMMEDIATE), so a transaction that
        reads and then writes never fails half-way with "database is locked".
        ``serialize=True`` also makes PostgreSQL transactions run one at a time;
        ``serialize=[keys]`` only those sharing a key (storage/locks.py), which is how
        ingest serializes its check-then-insert identity decisions.
        """
        with self._turn(), self.write_session() as session, session.begin():
            if serialize and self.dialect == "postgresql":
                from storage.locks import take_locks  # keys: storage/locks.py; True: the global lock

                take_locks(session, serialize, PG_LOCK_KEY)
            yield session

    @contextmanager
    def _turn(self) -> Iterator[None]:
        """SQLite: this process's writers through this Archive take turns here, not at the
        file's lock, whose busy handler sleeps up to 100 ms a try: the crawl service's
        crawlers share one Archive and write at once (crawler/run/crawl_service.py). A turn
        that does not come within the busy timeout goes on to the file's lock, as before."""
        if self.dialect != "sqlite":
            yield
            return
        mine = self._writing.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
        try:
            yield
        finally:
            if mine:
                self._writing.release()

    def dispose(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc: object) -> None:
        self.dispose()


def _json_dumps(value: Any) -> str:
    # Readable Chinese in the database, and the form topic filters match against.
    return json.dumps(value, ensure_ascii=False)


def _parse_url(raw: str) -> URL:
    try:
        url = make_url(raw)
    except ArgumentError:
        raise ArchiveError(
            f"not a database URL: {raw!r} (use sqlite:///path/to/archive.db "
            "or postgresql+psycopg://user@host/dbname)"
        ) from None
    # Read from the name itself: asking SQLAlchemy for the driver loads the dialect, and
    # "postgres" (Heroku's and libpq's spelling) has none.
    backend, _, driver = url.drivername.partition("+")
    if backend in ("postgres", "postgresql"):
        if driver in ("", "psycopg2"):
            # psycopg 3 is the driver we ship; a bare postgresql:// would ask for psycopg2.
            url = url.set(drivername="postgresql+psycopg")
        if not url.database:
            # libpq would fall back to a database named after the user: never what was meant.
            raise ArchiveError(
                f"no database name in {url.render_as_string(hide_password=True)}: "
                "use postgresql+psycopg://user@host/dbname"
            )
        return url
    if backend == "sqlite":
        return url
    raise ArchiveError(
        f"unsupported database {url.drivername!r} in {url.render_as_string(hide_password=True)}: "
        "use sqlite:///path/to/archive.db or postgresql+psycopg://user@host/dbname"
    )


def _set_wal(cur: Any) -> None:
    """Switch to WAL. The switch needs a moment alone with the file and SQLite answers
    "database is locked" at once, without its busy handler, when another connection is
    opening the same new archive: wait a little and try again."""
    import sqlite3
    import time

    for attempt in range(50):
        try:
            cur.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == 49:
                raise
            time.sleep(0.05 + 0.01 * attempt)


def _install_sqlite_pragmas(engine: Engine, memory: bool, read_only: bool = False) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # SQLAlchemy emits BEGIN itself (below); the driver's own legacy transaction
        # handling would skip BEGIN before SELECT and DDL.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        if not memory and not read_only:
            _set_wal(cur)
            # NORMAL is durable across application crashes in WAL mode and much faster.
            cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        write = conn.get_execution_options().get("archive_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _create_engine(url: URL, create: bool = True) -> Engine:
    kwargs: dict[str, Any] = {"json_serializer": _json_dumps}
    if url.get_backend_name() == "sqlite":
        database = url.database or ""
        memory = database in ("", ":memory:")
        if memory:
            # One shared connection, or every checkout would see a new empty database.
            kwargs.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
        elif create:
            try:
                Path(database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ArchiveError(f"cannot create the folder for {database}: {exc.strerror}") from None
        engine = create_engine(url, **kwargs)
        _install_sqlite_pragmas(engine, memory)
        return engine
    kwargs.update(pool_pre_ping=True)
    if "connect_timeout" not in url.query:
        kwargs["connect_args"] = {"connect_timeout": PG_CONNECT_TIMEOUT_S}
    return create_engine(url, **kwargs)


def _alembic_config(connection: Any = None) -> "alembic.config.Config":
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def schema_is_current(engine: Engine) -> bool:
    """Whether the archive is at SCHEMA_HEAD: one query, no Alembic (its import is most of a
    read command's start-up, and an up-to-date archive, the usual case, needs none of it).
    An archive a newer policy-archive has migrated past it is refused here, in one line,
    not by Alembic failing to find the revision."""
    try:
        with engine.connect() as conn:
            versions = {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}
    except DBAPIError:  # no version table: a new archive, or not one of ours
        return False
    # revisions are numbered 0001, 0002 … in order, so they compare as strings
    if newer := sorted(v for v in versions if v > SCHEMA_HEAD):
        raise ArchiveError(f"the archive's schema ({newer[-1]}) is newer than this policy-archive's "
                           f"({SCHEMA_HEAD}): upgrade policy-archive to read it")
    return versions == {SCHEMA_HEAD}


def upgrade_schema(engine: Engine) -> None:
    """Apply pending migrations (Alembic ``upgrade head``), one process at a time."""
    if schema_is_current(engine):
        return
    from alembic import command

    # The write lock (SQLite) or advisory lock (PostgreSQL) makes a second process that
    # opens a new archive at the same moment wait, then find the schema current.
    with engine.execution_options(archive_write=True).begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK_KEY})
        command.upgrade(_alembic_config(conn), "head")


def error_line(exc: BaseException) -> str:
    """A database error's own first line, without SQLAlchemy's statement and link."""
    orig = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(orig).splitlines() if line.strip()]
    return lines[0] if lines else type(orig).__name__


_PG_HAS_SCHEMA = text("SELECT to_regclass('alembic_version') IS NOT NULL")


def _check_sqlite_archive(path: Path, shown: str) -> None:
    """Refuse a missing file, and one that is no archive (0 bytes, another program's
    database, not SQLite at all), before anything opens it for writing: opening writes
    (WAL) and a migration would build a schema in it."""
    import sqlite3

    if not path.is_file():
        raise NoArchive(f"no archive at {path}; run crawl or demo first")
    found = None
    # immutable=1 where mode=ro cannot open a WAL archive (a read-only folder)
    for mode in ("mode=ro", "immutable=1"):
        try:
            conn = sqlite3.connect(f"file:{path}?{mode}", uri=True)
            try:
                found = conn.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").fetchone()
            finally:
                conn.close()
            break
        except sqlite3.Error:
            continue
    if found is None:
        raise NoArchive(f"not an archive: {shown} (crawl or demo makes one)")


def _sqlite_path(url: URL) -> Path | None:
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database).expanduser().resolve()


def _open_sqlite_read_only(parsed: URL, path: Path, upgraded: bool = False) -> Archive:
    """An existing SQLite archive, read-only: never created, never written, never migrated.

    ``mode=ro`` reads the live archive (WAL included) while a crawl writes it; where even
    that cannot work (a read-only folder holding a WAL archive) ``immutable=1`` reads the file.
    """
    shown = parsed.render_as_string(hide_password=True)
    _check_sqlite_archive(path, shown)
    writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    last: Exception | None = None
    for mode in ("mode=ro", "immutable=1"):
        url = make_url(f"sqlite:///file:{path}?{mode}&uri=true")
        engine = create_engine(url, json_serializer=_json_dumps)
        _install_sqlite_pragmas(engine, memory=False, read_only=True)
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT count(*) FROM sqlite_master"))
            if not schema_is_current(engine):
                engine.dispose()
                if upgraded or not writable:
                    raise ArchiveError(f"the archive at {path} has an older schema and cannot be upgraded read-only")
                # A writable archive of an older schema is upgraded once, by a normal opening.
                open_archive(parsed.render_as_string(hide_password=False), create=False).dispose()
                return _open_sqlite_read_only(parsed, path, upgraded=True)
        except (DBAPIError, SQLAlchemyError) as exc:
            engine.dispose()
            last = exc
            continue
        return Archive(url=parsed.render_as_string(hide_password=False), engine=engine, read_only=True)
    raise ArchiveError(f"cannot open {shown}: {error_line(last)}")


def open_archive(url: str | None = None, *, migrate: bool = True, read_only: bool = False,
                 create: bool = True) -> Archive:
    """Open (and create or upgrade) the archive at ``url``.

    Without a URL: $POLICY_ARCHIVE_DB, else ``sqlite:///./data/archive.db``.
    ``read_only=True`` (read commands) opens an existing archive without writing to it.
    ``create=False`` (every command but a crawl's) opens only an existing archive: a SQLite
    path that does not exist, a 0-byte file or an empty PostgreSQL database is a NoArchive
    error, never given a schema. Every failure is an ArchiveError with a one-line message.
    """
    raw = url or os.environ.get(ENV_VAR) or DEFAULT_URL
    parsed = _parse_url(raw)
    shown = parsed.render_as_string(hide_password=True)
    create = create and not read_only
    path = _sqlite_path(parsed) if parsed.get_backend_name() == "sqlite" else None
    if path is not None and read_only:
        return _open_sqlite_read_only(parsed, path)
    if path is not None and not create:
        _check_sqlite_archive(path, shown)
    try:
        engine = _create_engine(parsed, create)
    except (NoSuchModuleError, ImportError) as exc:
        raise ArchiveError(f"cannot use {shown}: {error_line(exc)}") from None
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            if not create and engine.dialect.name == "postgresql" and not conn.scalar(_PG_HAS_SCHEMA):
                raise NoArchive(f"not an archive: {shown} (crawl or demo makes one)")
        if migrate:
            upgrade_schema(engine)
    except ArchiveError:  # not an archive, or one of a newer schema
        engine.dispose()
        raise
    except (DBAPIError, SQLAlchemyError) as exc:
        engine.dispose()
        raise ArchiveError(f"cannot open {shown}: {error_line(exc)}") from None
    return Archive(url=parsed.render_as_string(hide_password=False), engine=engine)
