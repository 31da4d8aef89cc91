"""Sources and crawl runs: the registry mirrored into the archive, and one row per run.

Counters are changed with SQL increments (``col = col + n``): several processes may
count for one run (scale-out workers), and a read-modify-write would lose updates.
Each kind of counter is added in one place: a page's (``pages`` and what became of it)
by count_page(), in the transaction that stores the page, so a killed crawl's run still
agrees with its archive; errors and skips by record_failure(), with the failed URL's row;
requests and duplicates by the crawl's run recorder (crawler/run/crawl_state.py), once, when
its spider closes, through count().
"""
from __future__ import annotations

import functools
import os
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from crawler.vocab.failures import SKIP_KINDS
from storage.db import Archive, ArchiveError
from storage.models import RUN_COUNTERS, RUN_STATUSES, RUN_TRIGGERS, CrawlRun, RunFailure, Source, is_row_id, utcnow
from storage.upsert import insert_for

if TYPE_CHECKING:
    from spiders.registry import Source as RegistrySource

MAX_ERROR_SAMPLES = 5
MAX_SAMPLE_CHARS = 500
MAX_FAILURE_MESSAGE = 2000
_SOURCE_FIELDS = ("name", "kind", "family", "region", "base_url", "schedule", "enabled")


@dataclass
class FailureInfo:
    url: str
    kind: str
    role: str | None
    attempts: int
    message: str
    last_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {"url": self.url, "kind": self.kind, "role": self.role, "attempts": self.attempts,
                "message": self.message, "last_at": self.last_at.isoformat()}


@dataclass
class RunSummary:
    id: int
    source_id: str
    trigger: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    counters: dict[str, int] = field(default_factory=dict)
    error_summary: dict = field(default_factory=dict)
    pid: int | None = None
    host: str | None = None
    failures: list[FailureInfo] = field(default_factory=list)

    def __getattr__(self, name: str) -> int:
        # run.pages, run.errors …: the counters, named once in RUN_COUNTERS
        if name in RUN_COUNTERS:
            return self.__dict__.get("counters", {}).get(name, 0)
        raise AttributeError(name)

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source_id": self.source_id,
            "trigger": self.trigger,
            "status": self.status,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "duration_seconds": self.duration_seconds,
            **{name: self.counters.get(name, 0) for name in RUN_COUNTERS},
            "error_summary": self.error_summary,
            "pid": self.pid,
            "host": self.host,
            "failures": [f.to_dict() for f in self.failures],
        }

    @classmethod
    def from_row(cls, run: CrawlRun, failures: list[FailureInfo] | None = None) -> "RunSummary":
        return cls(
            id=run.id,
            source_id=run.source_id,
            trigger=run.trigger,
            status=shown_status(run),
            started_at=run.started_at,
            finished_at=run.finished_at,
            counters={name: int(getattr(run, name) or 0) for name in RUN_COUNTERS},
            error_summary=run.error_summary or {},
            pid=run.pid,
            host=run.host,
            failures=failures or [],
        )


def settled_status(closing: str, pages: int, errors: int) -> str:
    """A run's final status from how it closed and what it got.

    A run that closed normally is ``ok`` without errors, ``partial`` when some URLs
    failed but pages came in, ``failed`` when it got no page at all.
    """
    if closing != "ok" or not errors:
        return closing
    return "partial" if pages else "failed"


def sync_sources(archive: Archive, sources: Iterable["RegistrySource"]) -> dict[str, int]:
    """Insert new registry sources and update changed ones; returns {"added": n, "updated": m}.

    Sources that left the registry stay (their captures and runs refer to them). Two
    crawls may sync the same new source at once: the insert skips a row another
    transaction has just added (ON CONFLICT DO NOTHING) rather than fail on the key.
    """
    added = updated = 0
    sources = list(sources)
    with archive.transaction() as session:
        for src in sources:
            values = {name: getattr(src, name) for name in _SOURCE_FIELDS}
            row = session.get(Source, src.id)
            if row is None:
                now = utcnow()
                result = session.execute(
                    insert_for(session, Source)
                    .values(id=src.id, created_at=now, updated_at=now, **values)
                    .on_conflict_do_nothing(index_elements=["id"])
                    .returning(Source.id)
                )
                if result.first() is not None:
                    added += 1
                    continue
                row = session.get(Source, src.id, populate_existing=True)
            if any(getattr(row, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(row, key, value)
                updated += 1
    return {"added": added, "updated": updated}


def start_run(archive: Archive, source_id: str, trigger: str, pid: int | None = None) -> int:
    """Open a run owned by process ``pid`` (default: this one) on this host."""
    if trigger not in RUN_TRIGGERS:
        raise ValueError(f"trigger must be one of {', '.join(RUN_TRIGGERS)}, not {trigger!r}")
    with archive.transaction() as session:
        if session.get(Source, source_id) is None:
            raise ArchiveError(f"unknown source {source_id!r}: sync the source registry first")
        run = CrawlRun(
            source_id=source_id, trigger=trigger, status="running", started_at=utcnow(),
            pid=pid or os.getpid(), host=_this_host(),
        )
        session.add(run)
        session.flush()
        return run.id


def increment(session: Session, run_id: int, **increments: int) -> None:
    """Add to a run's counters inside an open transaction (ingest counts with its page)."""
    unknown = set(increments) - set(RUN_COUNTERS)
    if unknown:
        raise ValueError(f"unknown run counters: {', '.join(sorted(unknown))}")
    names = tuple(sorted(name for name, n in increments.items() if n))
    if not names:
        return
    params = {f"add_{name}": int(increments[name]) for name in names}
    # On the connection, not through the ORM: the row is never loaded as an object here.
    result = session.connection().execute(_increment_statement(names), {"run": run_id, **params})
    if result.rowcount == 0:
        raise ArchiveError(f"no crawl run {run_id}")


@functools.cache
def _increment_statement(names: tuple[str, ...]) -> Any:
    # Built once per set of counters: ingest adds to the same two or three on every page,
    # and building the statement cost more than running it.
    table = CrawlRun.__table__
    return (update(table).where(table.c.id == bindparam("run"))
            .values({name: table.c[name] + bindparam(f"add_{name}") for name in names}))


# What became of a page → the counter that says so (besides ``pages``).
PAGE_COUNTERS = {
    "new_document": "new_documents",
    "new_version": "new_versions",
    "unchanged": "unchanged",
    "offtopic": "offtopic",
}


def count_page(session: Session, run_id: int | None, outcome: str) -> None:
    """Count one page the run handed over, and what became of it, with its write."""
    if run_id is not None:
        increment(session, run_id, pages=1, **{PAGE_COUNTERS[outcome]: 1})


def count(archive: Archive, run_id: int, **increments: int) -> None:
    """Add to a run's counters, e.g. ``count(archive, run_id, requests=3, offtopic=1)``."""
    with archive.transaction() as session:
        increment(session, run_id, **increments)


def record_error(archive: Archive, run_id: int, kind: str, message: str) -> None:
    """Count one error of ``kind`` that has no URL of its own (a crashed crawler process)."""
    record_failure(archive, run_id, kind, message)


def record_failure(
    archive: Archive, run_id: int, kind: str, message: str, url: str | None = None,
    role: str | None = None, attempts: int = 1,
) -> None:
    """Put one failed URL on record (a second failure of it in the run adds attempts).

    Skips (robots.txt) are kept on record too but counted apart from errors. The
    summary's counts by kind and a few sample messages stay for quick reading.
    """
    with archive.transaction() as session:
        increment(session, run_id, **({kind: 1} if kind in SKIP_KINDS else {"errors": 1}))
        # The JSON summary cannot be incremented in SQL portably; the row lock
        # (PostgreSQL) or the write transaction (SQLite) keeps this update whole.
        run = _locked_run(session, run_id)
        summary = dict(run.error_summary or {})
        counts = dict(summary.get("counts", {}))
        counts[kind] = counts.get(kind, 0) + 1
        samples = list(summary.get("samples", []))
        if len(samples) < MAX_ERROR_SAMPLES:
            samples.append({"kind": kind, "message": message[:MAX_SAMPLE_CHARS]})
        run.error_summary = {**(run.error_summary or {}), "counts": counts, "samples": samples}
        now = utcnow()
        failure = RunFailure.__table__
        stmt = insert_for(session, failure).values(
            run_id=run_id, url=url or "", kind=kind, role=role, attempts=attempts,
            message=message[:MAX_FAILURE_MESSAGE], first_at=now, last_at=now,
        )
        # A second failure of the URL in the run adds its attempts to the row on record.
        session.execute(stmt.on_conflict_do_update(
            index_elements=[failure.c.run_id, failure.c.url, failure.c.kind],
            set_=dict(attempts=failure.c.attempts + stmt.excluded.attempts, message=stmt.excluded.message,
                      last_at=stmt.excluded.last_at),
        ))


def run_failures(session: Session, run_id: int) -> list[FailureInfo]:
    rows = session.scalars(select(RunFailure).where(RunFailure.run_id == run_id).order_by(RunFailure.id))
    return [FailureInfo(r.url, r.kind, r.role, r.attempts, r.message, r.last_at) for r in rows]


def shown_status(run: CrawlRun) -> str:
    """A run's status as every reader shows it: one left ``running`` by a process that is
    gone is ``interrupted`` (written so by the next crawl or scheduler start; a read writes
    nothing, it may be on a read-only archive)."""
    return "interrupted" if run.status == "running" and _owner_gone(run) else run.status


def close_stale_runs(archive: Archive) -> list[int]:
    """Close as ``interrupted`` the runs left ``running`` by a process that is gone."""
    closed = []
    with archive.transaction() as session:
        for run in session.scalars(select(CrawlRun).where(CrawlRun.status == "running")):
            if _owner_gone(run):
                run.status = "interrupted"
                run.finished_at = utcnow()
                closed.append(run.id)
    return closed


def close_runs_of_process(archive: Archive, pid: int) -> list[int]:
    """Close as ``interrupted`` the runs this host's process ``pid`` left ``running`` (a
    crawl service closing what its stopped crawlers did not)."""
    closed = []
    with archive.transaction() as session:
        for run in session.scalars(select(CrawlRun).where(CrawlRun.status == "running", CrawlRun.pid == pid,
                                                          CrawlRun.host == _this_host())):
            run.status = "interrupted"
            run.finished_at = utcnow()
            closed.append(run.id)
    return closed


@functools.cache
def _this_host() -> str:
    return socket.gethostname()


def _owner_gone(run: CrawlRun) -> bool:
    """Only this host's processes can be checked; a run with no recorded process (made
    before processes were recorded) is stale by definition once nobody can own it."""
    return run.pid is None or process_gone(run.host, run.pid)


def this_process() -> tuple[str, int]:
    """(host, pid) of this process, as runs and outbox leases record their owner."""
    return _this_host(), os.getpid()


def process_gone(host: str | None, pid: int) -> bool:
    """Whether the process ``pid`` on ``host`` has ended (known only on this host)."""
    return host == _this_host() and not _process_alive(pid)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie (ended, not yet reaped by its parent) is gone for our purposes
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


def add_note(archive: Archive, run_id: int, note: str) -> None:
    """Keep a remark about how the run went (not an error), e.g. that its listing was read
    by discovery; stored beside the error summary as ``notes``."""
    with archive.transaction() as session:
        run = _locked_run(session, run_id)
        summary = dict(run.error_summary or {})
        notes = list(summary.get("notes", []))
        if note not in notes:
            notes.append(note[:MAX_SAMPLE_CHARS])
        run.error_summary = {**summary, "notes": notes}


def finish_run(archive: Archive, run_id: int, status: str, settle: bool = False) -> RunSummary:
    """Close a run; with ``settle`` an ``ok`` close becomes partial/failed by its errors."""
    if status not in RUN_STATUSES or status == "running":
        raise ValueError(f"a run finishes as ok, partial, failed or interrupted, not {status!r}")
    with archive.transaction() as session:
        run = session.get(CrawlRun, run_id)
        if run is None:
            raise ArchiveError(f"no crawl run {run_id}")
        run.status = settled_status(status, run.pages, run.errors) if settle else status
        run.finished_at = utcnow()
        session.flush()
        session.refresh(run)
        return RunSummary.from_row(run, run_failures(session, run_id))


def get_run(archive: Archive, run_id: int) -> RunSummary | None:
    if not is_row_id(run_id):
        return None
    with archive.session() as session:
        run = session.get(CrawlRun, run_id)
        return RunSummary.from_row(run, run_failures(session, run_id)) if run else None


def list_runs(archive: Archive, source_id: str | None = None, limit: int = 20) -> list[RunSummary]:
    """The newest runs first, of one source or of all (ArchiveError: a source it never had)."""
    if limit < 1:
        raise ValueError(f"a limit of runs is 1 or more, not {limit}")
    stmt = select(CrawlRun).order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc()).limit(limit)
    if source_id is not None:
        stmt = stmt.where(CrawlRun.source_id == source_id)
    with archive.session() as session:
        if source_id is not None and session.get(Source, source_id) is None:
            raise ArchiveError(f"unknown source {source_id!r}: the archive has no runs of it")
        return [RunSummary.from_row(run, run_failures(session, run.id)) for run in session.scalars(stmt)]


def _locked_run(session: Session, run_id: int) -> CrawlRun:
    """The run's row, locked for this transaction (PostgreSQL; SQLite's write lock does it)."""
    run = session.execute(select(CrawlRun).where(CrawlRun.id == run_id).with_for_update()).scalar_one_or_none()
    if run is None:
        raise ArchiveError(f"no crawl run {run_id}")
    return run
