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

from sqlalchemy import case, select

from storage.db import Archive
from storage.models import ListingWalk, utcnow
from storage.upsert import insert_for


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

    Written as it happens, so a crawl killed half-way leaves the depth it reached. One
    upsert: two crawls of a source may record the same listing at the same moment.
    """
    reached = page_no + 1 if next_url else page_no
    table = ListingWalk.__table__
    with archive.transaction() as session:
        stmt = insert_for(session, table).values(
            source_id=source_id, listing=listing, state="walking", reached=reached, next_url=next_url,
            run_id=run_id, updated_at=utcnow(),
        )
        # An unfinished earlier walk that went deeper keeps its depth; a completed one
        # starts again from this walk's depth.
        deeper = case((table.c.reached > stmt.excluded.reached, table.c.reached), else_=stmt.excluded.reached)
        depth = case((table.c.state == "complete", stmt.excluded.reached), else_=deeper)
        session.execute(stmt.on_conflict_do_update(
            index_elements=[table.c.source_id, table.c.listing],
            set_=dict(reached=depth, state="walking", next_url=stmt.excluded.next_url,
                      run_id=stmt.excluded.run_id, updated_at=stmt.excluded.updated_at),
        ))


def record_complete(archive: Archive, source_id: str, listing: str, run_id: int | None) -> None:
    """A walk of this listing went to its end, and every notice it listed was handled."""
    table = ListingWalk.__table__
    now = utcnow()
    values = dict(state="complete", reached=0, next_url=None, run_id=run_id, completed_at=now, updated_at=now)
    with archive.transaction() as session:
        stmt = insert_for(session, table).values(source_id=source_id, listing=listing, **values)
        session.execute(stmt.on_conflict_do_update(index_elements=[table.c.source_id, table.c.listing], set_=values))
