"""Source health: is each source still giving what it used to?

Sites break without notice (a redesign, a WAF, a dead API): a source that "ran but
returned nothing" must be visible, not silent. Computed from the source's runs:

- ``blocked``: the last run got anti-bot answers and no page (a browser is needed);
- ``failing``: the last run failed (it fetched nothing it expected);
- ``empty``: the last run went fine but yielded no page, where earlier runs did (or
  it never yielded one);
- ``ok``: otherwise; ``never``: not crawled yet.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from crawler.vocab.sources import BLOCKED, EMPTY, FAILING, NEVER, OK
from storage.db import Archive
from storage.models import CrawlRun

# Runs that say nothing about the site: still going, or stopped from our side.
_UNDECIDED = ("running", "interrupted")
RECENT_RUNS = 20


@dataclass
class SourceHealth:
    source_id: str
    state: str
    reason: str
    last_run_id: int | None = None
    last_good_run_id: int | None = None
    last_good_at: datetime | None = None
    last_new_notice_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "source_id": self.source_id, "state": self.state, "reason": self.reason,
            "last_run_id": self.last_run_id, "last_good_run_id": self.last_good_run_id,
            "last_good_at": self.last_good_at.isoformat() if self.last_good_at else None,
            "last_new_notice_at": self.last_new_notice_at.isoformat() if self.last_new_notice_at else None,
        }


def source_health(archive: Archive, source_ids: list[str] | None = None) -> dict[str, SourceHealth]:
    """{source_id: SourceHealth} for these sources (default: every source with runs)."""
    with archive.session() as session:
        if source_ids is None:
            source_ids = list(session.scalars(select(CrawlRun.source_id).distinct()))
        out = {}
        for sid in source_ids:
            recent = list(session.scalars(
                select(CrawlRun).where(CrawlRun.source_id == sid, CrawlRun.status.not_in(_UNDECIDED))
                .order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc()).limit(RECENT_RUNS)
            ))
            out[sid] = _judge(sid, recent)
            good = session.scalars(
                select(CrawlRun).where(CrawlRun.source_id == sid, CrawlRun.status == "ok")
                .order_by(CrawlRun.id.desc()).limit(1)
            ).first()
            new = session.scalars(
                select(CrawlRun).where(CrawlRun.source_id == sid, CrawlRun.new_documents > 0)
                .order_by(CrawlRun.id.desc()).limit(1)
            ).first()
            h = out[sid]
            if good is not None:
                h.last_good_run_id, h.last_good_at = good.id, good.finished_at or good.started_at
            if new is not None:
                h.last_new_notice_at = new.finished_at or new.started_at
        return out


def _judge(sid: str, recent: list[CrawlRun]) -> SourceHealth:
    if not recent:
        return SourceHealth(sid, NEVER, "not crawled yet")
    last = recent[0]
    counts = (last.error_summary or {}).get("counts", {})
    if counts.get("anti_bot") and not last.pages:
        return SourceHealth(sid, BLOCKED, f"anti-bot answers ({counts['anti_bot']}) and no page: needs a browser",
                            last.id)
    if last.status == "failed":
        kinds = ", ".join(f"{k} ×{n}" for k, n in sorted(counts.items())) or "no page"
        return SourceHealth(sid, FAILING, f"last run failed ({kinds})", last.id)
    if not last.pages:
        before = [r for r in recent[1:] if r.pages]
        reason = (f"yielded nothing; run #{before[0].id} had {before[0].pages} page{'' if before[0].pages == 1 else 's'}" if before
                  else "has never yielded a page: the listing may not match the site")
        return SourceHealth(sid, EMPTY, reason, last.id)
    return SourceHealth(sid, OK, f"last run {last.status}", last.id)
