"""Which matches a query is ranked among, and how many it has: exact while few, estimated when many.

A query's matches are read in rank_key order (storage/search_index.py: the most
authoritative, most recently published first), at most ``bound`` + 1 of them, in one pass
that stops there. When they run out first, the total is exact. When they do not, counting
the rest would cost as much as reading every posting of a term half the archive contains,
so the total is estimated instead: the matches found fill a stretch at the top of the rank
order, and the rest of the archive is taken to hold matches as densely as that stretch
(two counts of an index range). Publication-date filters narrow both stretch and archive
to the days they allow, since the rank order is by day within each tier.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select, text

from storage.rank_keys import make_rank_key
from storage.search_filters import Filters
from storage.tables import TIER_BARE, TIER_COPY, TIER_GOV, search_entry

EXACT_TOTAL_LIMIT = 2_000  # a result set up to this size is counted exactly
_MAX_SEQ = (1 << 36) - 1


@dataclass(frozen=True)
class Window:
    keys: list[int]  # the rank keys of the first matches, highest first
    total: int
    estimated: bool

    def cutoff(self, size: int) -> int | None:
        """The lowest rank key among the first ``size`` matches, None when there are no more than those."""
        return self.keys[size - 1] if len(self.keys) > size else None


def read_window(session: Any, keys: Select, params: dict[str, Any], *, bound: int, filters: Filters,
                plans: Callable[[], AbstractContextManager[Any]] = nullcontext) -> Window:
    """``keys``: the statement selecting the rank keys of the matches, highest first, run
    within ``plans()`` (PostgreSQL: the plans it may take, storage/search_pg.py)."""
    with plans():
        found = list(session.scalars(keys.limit(bound + 1), params))
    if len(found) <= bound:
        return Window(found, len(found), False)
    return Window(found, estimate_total(session, len(found), found[-1], filters), True)


def estimate_total(session: Any, found: int, lowest: int, filters: Filters) -> int:
    """The matches of the archive, given ``found`` of them at rank keys >= ``lowest``."""
    ranges = published_ranges(filters.since, filters.until)
    above = sum(_entries(session, max(lo, lowest), hi) for lo, hi in ranges if hi >= lowest)
    if filters.since or filters.until:
        every = sum(_entries(session, lo, hi) for lo, hi in ranges)
    else:
        every = _all_entries(session)
    # The stretch ends where the last match was found: (found - 1) / (above - 1) is the
    # density that stopping rule does not bias.
    estimate = (found - 1) / max(above - 1, 1) * max(every, above)
    return max(found, two_figures(estimate))


def published_ranges(since: date | None, until: date | None) -> list[tuple[int, int]]:
    """The rank keys of documents published in [since, until], one range per tier."""
    out = []
    for tier in (TIER_GOV, TIER_COPY, TIER_BARE):
        lo = make_rank_key(tier, since, 0) if since else tier << 52
        hi = make_rank_key(tier, until, _MAX_SEQ) if until else ((tier + 1) << 52) - 1
        if lo <= hi:
            out.append((lo, hi))
    return out


def _entries(session: Any, lo: int, hi: int) -> int:
    if lo > hi:
        return 0
    with _counting_in_the_index(session):
        return session.scalar(select(func.count()).select_from(search_entry)
                              .where(search_entry.c.rank_key.between(lo, hi))) or 0


@contextmanager
def _counting_in_the_index(session: Any) -> Iterator[None]:
    """PostgreSQL: count a key range in the rank-key index (an index-only scan), never by
    reading the table, which the planner prefers for a range of a fifth of the entries."""
    if _dialect(session) != "postgresql":
        yield
        return
    with plans_limited_to(session, enable_seqscan="off", enable_bitmapscan="off"):
        yield


def _dialect(session: Any) -> str:
    """The backend of a Connection (reads) or a Session (a watch matching as it enqueues)."""
    return (session.dialect if hasattr(session, "dialect") else session.get_bind().dialect).name


_PG_ROWS = text("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass('search_entry')")


def _all_entries(session: Any) -> int:
    """About how many entries the index has, without counting them (7 ms at 100k on SQLite)."""
    if _dialect(session) == "postgresql":
        # The planner's row count, kept by autovacuum.
        rows = session.scalar(_PG_ROWS)
        if rows is not None and rows > 0:
            return int(rows)
        return session.scalar(select(func.count()).select_from(search_entry)) or 0
    # The highest document id (SQLite's rowid: one step down the table's b-tree): documents
    # are numbered from 1 and seldom removed.
    return session.scalar(select(func.max(search_entry.c.document_id))) or 0


def two_figures(n: float) -> int:
    """48,213 → 48,000: an estimate shown no more precisely than it is."""
    n = int(round(n))
    if n < 100:
        return n
    scale = 10 ** (len(str(n)) - 2)
    return round(n / scale) * scale


@contextmanager
def plans_limited_to(session: Any, **settings: str) -> Iterator[None]:
    """Within: the planner settings given (``enable_seqscan="off"``, …), for this transaction."""
    saved = session.execute(text("SELECT " + ", ".join(f"current_setting('{p}')" for p in settings))).one()
    _set(session, settings)
    try:
        yield
    finally:
        _set(session, dict(zip(settings, saved)))


def _set(session: Any, values: dict[str, str]) -> None:
    calls = ", ".join(f"set_config('{name}', :{name}, true)" for name in values)
    session.execute(text(f"SELECT {calls}"), values)
