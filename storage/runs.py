"""Sources and crawl runs: the registry mirrored into the archive, and one row per run.

Counters are changed with SQL increments (``col = col + n``): several processes may
count for one run (scale-out workers), and a read-modify-write would lose updates.
``pages`` counts notice pages the run handed over: ingest() adds one per page it
archives; a caller that drops a page as off-topic counts ``pages=1, offtopic=1``.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.db import Archive, ArchiveError
from storage.models import RUN_COUNTERS, RUN_STATUSES, RUN_TRIGGERS, CrawlRun, Source, utcnow

if TYPE_CHECKING:
    from spiders.registry import Source as RegistrySource

MAX_ERROR_SAMPLES = 5
MAX_SAMPLE_CHARS = 500
_SOURCE_FIELDS = ("name", "kind", "family", "region", "base_url", "schedule", "enabled")


@dataclass
class RunSummary:
    id: int
    source_id: str
    trigger: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    requests: int = 0
    pages: int = 0
    new_documents: int = 0
    new_versions: int = 0
    unchanged: int = 0
    offtopic: int = 0
    errors: int = 0
    error_summary: dict = field(default_factory=dict)

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["started_at"] = self.started_at.isoformat()
        d["finished_at"] = self.finished_at.isoformat() if self.finished_at else None
        d["duration_seconds"] = self.duration_seconds
        return d

    @classmethod
    def from_row(cls, run: CrawlRun) -> "RunSummary":
        return cls(
            id=run.id,
            source_id=run.source_id,
            trigger=run.trigger,
            status=run.status,
            started_at=run.started_at,
            finished_at=run.finished_at,
            error_summary=run.error_summary or {},
            **{name: getattr(run, name) for name in RUN_COUNTERS},
        )


def sync_sources(archive: Archive, sources: Iterable["RegistrySource"]) -> dict[str, int]:
    """Insert new registry sources and update changed ones; returns {"added": n, "updated": m}.

    Sources that left the registry stay (their captures and runs refer to them).
    """
    added = updated = 0
    with archive.transaction() as session:
        for src in sources:
            values = {name: getattr(src, name) for name in _SOURCE_FIELDS}
            row = session.get(Source, src.id)
            if row is None:
                session.add(Source(id=src.id, **values))
                added += 1
            elif any(getattr(row, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(row, key, value)
                updated += 1
    return {"added": added, "updated": updated}


def start_run(archive: Archive, source_id: str, trigger: str) -> int:
    if trigger not in RUN_TRIGGERS:
        raise ValueError(f"trigger must be one of {', '.join(RUN_TRIGGERS)}, not {trigger!r}")
    with archive.transaction() as session:
        if session.get(Source, source_id) is None:
            raise ArchiveError(f"unknown source {source_id!r}: sync the source registry first")
        run = CrawlRun(source_id=source_id, trigger=trigger, status="running", started_at=utcnow())
        session.add(run)
        session.flush()
        return run.id


def increment(session: Session, run_id: int, **increments: int) -> None:
    """Add to a run's counters inside an open transaction (ingest counts with its page)."""
    unknown = set(increments) - set(RUN_COUNTERS)
    if unknown:
        raise ValueError(f"unknown run counters: {', '.join(sorted(unknown))}")
    values = {name: getattr(CrawlRun, name) + int(n) for name, n in increments.items() if n}
    if not values:
        return
    result = session.execute(
        update(CrawlRun)
        .where(CrawlRun.id == run_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 0:
        raise ArchiveError(f"no crawl run {run_id}")


def count(archive: Archive, run_id: int, **increments: int) -> None:
    """Add to a run's counters, e.g. ``count(archive, run_id, requests=3, offtopic=1)``."""
    with archive.transaction() as session:
        increment(session, run_id, **increments)


def record_error(archive: Archive, run_id: int, kind: str, message: str) -> None:
    """Count one error of ``kind`` and keep a few sample messages in the run's error summary."""
    with archive.transaction() as session:
        increment(session, run_id, errors=1)
        # The JSON summary cannot be incremented in SQL portably; the row lock
        # (PostgreSQL) or the write transaction (SQLite) keeps this update whole.
        run = session.execute(
            select(CrawlRun).where(CrawlRun.id == run_id).with_for_update()
        ).scalar_one_or_none()
        if run is None:
            raise ArchiveError(f"no crawl run {run_id}")
        summary = dict(run.error_summary or {})
        counts = dict(summary.get("counts", {}))
        counts[kind] = counts.get(kind, 0) + 1
        samples = list(summary.get("samples", []))
        if len(samples) < MAX_ERROR_SAMPLES:
            samples.append({"kind": kind, "message": message[:MAX_SAMPLE_CHARS]})
        run.error_summary = {"counts": counts, "samples": samples}


def add_note(archive: Archive, run_id: int, note: str) -> None:
    """Keep a remark about how the run went (not an error), e.g. that its listing was read
    by discovery; stored beside the error summary as ``notes``."""
    with archive.transaction() as session:
        run = session.execute(
            select(CrawlRun).where(CrawlRun.id == run_id).with_for_update()
        ).scalar_one_or_none()
        if run is None:
            raise ArchiveError(f"no crawl run {run_id}")
        summary = dict(run.error_summary or {})
        notes = list(summary.get("notes", []))
        if note not in notes:
            notes.append(note[:MAX_SAMPLE_CHARS])
        run.error_summary = {**summary, "notes": notes}


def finish_run(archive: Archive, run_id: int, status: str) -> RunSummary:
    if status not in RUN_STATUSES or status == "running":
        raise ValueError(f"a run finishes as ok, failed or interrupted, not {status!r}")
    with archive.transaction() as session:
        run = session.get(CrawlRun, run_id)
        if run is None:
            raise ArchiveError(f"no crawl run {run_id}")
        run.status = status
        run.finished_at = utcnow()
        session.flush()
        session.refresh(run)
        return RunSummary.from_row(run)


def get_run(archive: Archive, run_id: int) -> RunSummary | None:
    with archive.session() as session:
        run = session.get(CrawlRun, run_id)
        return RunSummary.from_row(run) if run else None


def list_runs(archive: Archive, source_id: str | None = None, limit: int = 20) -> list[RunSummary]:
    """The newest runs first, of one source or of all."""
    stmt = select(CrawlRun).order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc()).limit(limit)
    if source_id is not None:
        stmt = stmt.where(CrawlRun.source_id == source_id)
    with archive.session() as session:
        return [RunSummary.from_row(run) for run in session.scalars(stmt)]
