"""The crawl frontier kept between crawls: how far each listing's last walk got.

A listing walk stops early at a page of notices the archive already has (listings are
newest first). That is only safe when an earlier walk of the listing went to its end:
a walk cut short by a kill, a failure or a failed notice leaves the listing
``walking`` with the deepest page it asked for, and the next walk goes at least that
deep before it stops early again. Spiders never read this: the crawler hands them
``listing_walks()`` at start, and records what they report.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from storage.db import Archive
from storage.models import ListingWalk, utcnow


@dataclass(frozen=True)
class WalkState:
    state: str  # "walking" | "complete"
    reached: int  # deepest page (0-based) an unfinished walk asked for
    completed_at: datetime | None  # when a walk of this listing last went to its end
    next_url: str | None = None

    def to_dict(self) -> dict:
        return {"state": self.state, "reached": self.reached, "ever_completed": self.completed_at is not None,
                "next_url": self.next_url}


def listing_walks(archive: Archive, source_id: str) -> dict[str, WalkState]:
    """{listing (its first page's URL): WalkState} for every listing of this source walked so far."""
    with archive.session() as session:
        rows = session.scalars(select(ListingWalk).where(ListingWalk.source_id == source_id))
        return {r.listing: WalkState(r.state, r.reached, r.completed_at, r.next_url) for r in rows}


def record_progress(
    archive: Archive, source_id: str, listing: str, page_no: int, next_url: str | None, run_id: int | None
) -> None:
    """The walk read listing page ``page_no`` and asks for ``next_url`` next (None: it ends here).

    Written as it happens, so a crawl killed half-way leaves the depth it reached.
    """
    reached = page_no + 1 if next_url else page_no
    with archive.transaction() as session:
        row = session.get(ListingWalk, (source_id, listing))
        if row is None:
            row = ListingWalk(source_id=source_id, listing=listing, state="walking", reached=0)
            session.add(row)
        elif row.state == "complete":
            row.reached = 0
        # an unfinished earlier walk that went deeper keeps its depth
        row.reached = max(row.reached or 0, reached)
        row.state = "walking"
        row.next_url = next_url
        row.run_id = run_id
        row.updated_at = utcnow()


def record_complete(archive: Archive, source_id: str, listing: str, run_id: int | None) -> None:
    """A walk of this listing went to its end, and every notice it listed was handled."""
    with archive.transaction() as session:
        row = session.get(ListingWalk, (source_id, listing))
        if row is None:
            row = ListingWalk(source_id=source_id, listing=listing)
            session.add(row)
        now = utcnow()
        row.state, row.reached, row.next_url, row.run_id = "complete", 0, None, run_id
        row.completed_at = row.updated_at = now
