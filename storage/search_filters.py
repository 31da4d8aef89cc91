"""Filters shared by search, new and export: parsed and checked once, applied per backend.

Every value a user types goes through ``Filters.parse``; a bad one is a QueryError with
one line for the user (the CLI's exit 2).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import ColumnElement, cast, exists, func, select

from crawler.extract.model import TOPICS
from crawler.vocab.docnumber import normalize_doc_number
from storage.search_query import QueryError, fts5_field_phrase, ts_field_query
from storage.search_tokens import AGENCY_PREFIX, REGION_PREFIX, tag
from storage.tables import capture, document, version

MAX_LIMIT = 1000

_RELATIVE = re.compile(r"^\s*(\d{1,5})\s*([hdw])\s*$")
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


def parse_date(value: str | date | None, what: str = "date") -> date | None:
    """YYYY-MM-DD (also YYYY-MM or YYYY, meaning their first day)."""
    if value is None or isinstance(value, date):
        return value
    raw = value.strip()
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y-%m", "%Y"):
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise QueryError(f"{what}: not a date: {value!r} (use YYYY-MM-DD)")


def parse_since(value: str | datetime | date, now: datetime | None = None) -> datetime:
    """``7d`` / ``24h`` / ``2w`` back from now, or a date (its midnight, UTC)."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    m = _RELATIVE.match(value)
    if m:
        return (now or datetime.now(timezone.utc)) - timedelta(**{_UNITS[m.group(2)]: int(m.group(1))})
    try:
        day = parse_date(value, "--since")
    except QueryError:
        raise QueryError(f"--since: not a date or age: {value!r} (use 7d, 24h, 2w or YYYY-MM-DD)") from None
    return parse_since(day)


def check_limit(limit: int, page: int = 1) -> None:
    if limit < 1 or limit > MAX_LIMIT:
        raise QueryError(f"--limit must be between 1 and {MAX_LIMIT}, not {limit}")
    if page < 1:
        raise QueryError(f"--page must be 1 or more, not {page}")


@dataclass(frozen=True)
class Filters:
    region: str | None = None
    agency: str | None = None
    topic: str | None = None
    doc_type: str | None = None
    status: str | None = None
    since: date | None = None  # published on or after
    until: date | None = None  # published on or before
    signed_since: date | None = None
    signed_until: date | None = None
    source: str | None = None
    doc_number: str | None = None

    @classmethod
    def parse(cls, **values: Any) -> "Filters":
        """Filters from user strings (None or "" = no filter); QueryError on a bad value."""
        clean = {k: (v.strip() if isinstance(v, str) else v) or None for k, v in values.items()}
        unknown = set(clean) - {f.name for f in fields(cls)}
        if unknown:
            raise QueryError(f"unknown filter: {', '.join(sorted(unknown))}")
        topic = clean.get("topic")
        if topic is not None and topic not in TOPICS:
            raise QueryError(f"--topic: unknown topic {topic!r} (one of: {', '.join(TOPICS)})")
        for name, flag in (("since", "--since"), ("until", "--until"),
                           ("signed_since", "--signed-since"), ("signed_until", "--signed-until")):
            clean[name] = parse_date(clean.get(name), flag)
        if clean.get("doc_number"):
            clean["doc_number"] = normalize_doc_number(clean["doc_number"])
        return cls(**clean)

    @property
    def empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))

    def to_dict(self) -> dict[str, Any]:
        return {f.name: (v.isoformat() if isinstance(v, date) else v)
                for f in fields(self) if (v := getattr(self, f.name)) is not None}

    # --- SQL on document (every backend) ------------------------------------------------

    def date_conditions(self) -> list[ColumnElement[bool]]:
        out = []
        if self.since:
            out.append(document.c.published_date >= self.since)
        if self.until:
            out.append(document.c.published_date <= self.until)
        if self.signed_since:
            out.append(document.c.signed_date >= self.signed_since)
        if self.signed_until:
            out.append(document.c.signed_date <= self.signed_until)
        if self.doc_number:
            out.append(document.c.doc_number == self.doc_number)
        return out

    def conditions(self, dialect: str) -> list[ColumnElement[bool]]:
        out = self.date_conditions()
        if self.region:
            out.append(document.c.region.icontains(self.region, autoescape=True))
        if self.agency:
            out.append(document.c.agency.icontains(self.agency, autoescape=True))
        if self.topic:
            out.append(_topic_condition(dialect, self.topic))
        if self.doc_type:
            out.append(document.c.doc_type == self.doc_type)
        if self.status:
            out.append(document.c.status == self.status)
        if self.source:
            out.append(exists(
                select(capture.c.id).join(version, version.c.id == capture.c.version_id)
                .where(version.c.document_id == document.c.id, capture.c.source_id == self.source)
            ))
        return out

    # --- FTS5 terms (SQLite search: filters inside the index, no join) ------------------

    def fts_terms(self) -> list[str]:
        out = []
        for prefix, value in ((REGION_PREFIX, self.region), (AGENCY_PREFIX, self.agency)):
            if value:
                phrase = fts5_field_phrase(prefix, value)
                # A value with nothing to index (punctuation only) can match no document.
                out.append(phrase or f'"{tag("none", value)}"')
        for kind, value in (("tp", self.topic), ("ty", self.doc_type), ("st", self.status), ("so", self.source)):
            if value:
                out.append(f'"{tag(kind, value)}"')
        return out


    def ts_terms(self) -> list[str]:
        """The same filters as tsquery terms (PostgreSQL search: filters inside the GIN lookup)."""
        out = []
        for prefix, value in ((REGION_PREFIX, self.region), (AGENCY_PREFIX, self.agency)):
            if value:
                out.append(ts_field_query(prefix, value) or f"'{tag('none', value)}'")
        for kind, value in (("tp", self.topic), ("ty", self.doc_type), ("st", self.status), ("so", self.source)):
            if value:
                out.append(f"'{tag(kind, value)}'")
        return out


def _topic_condition(dialect: str, topic: str) -> ColumnElement[bool]:
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import JSONB  # loaded by a PostgreSQL engine already

        return document.c.topics.op("@>")(cast([topic], JSONB))
    items = func.json_each(document.c.topics).table_valued("value")
    return exists(select(items.c.value).where(items.c.value == topic))
