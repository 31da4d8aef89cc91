"""Read side of the archive, for the CLI and Python callers: plain dataclasses out.

One document (by id or 文号 in any bracket form), the archive's counts, its sources.
Full-text search is storage/search.py; new and export are storage/exports.py.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, extract, func, select, text

from crawler.vocab.failures import attachment_state
from storage.db import Archive
from storage.blobs import load
from storage.history import document_urls, resolve, versions_of
from storage.tables import attachment, capture, citation, crawl_run, document, source, version


def _jsonable(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


class _ToDict:
    def to_dict(self) -> dict[str, Any]:
        return _jsonable(asdict(self))  # type: ignore[call-overload]


@dataclass
class DocumentSummary(_ToDict):
    id: int
    doc_number: str | None
    title: str | None
    agency: str | None
    region: str | None
    doc_type: str | None
    status: str | None
    signed_date: date | None
    published_date: date | None
    topics: list[str]
    authoritative_url: str | None
    first_seen: datetime
    last_seen: datetime

    @classmethod
    def from_row(cls, doc: Any) -> "DocumentSummary":
        return cls(**{name: getattr(doc, name) for name in _SUMMARY_FIELDS})


_SUMMARY_FIELDS = tuple(DocumentSummary.__dataclass_fields__)


@dataclass
class VersionInfo(_ToDict):
    id: int
    seq: int  # 1 for the first text seen, as in `history`
    source_id: str
    first_seen: datetime
    last_seen: datetime
    text_hash: str
    is_current: bool
    captures: int
    characters: int
    text: str


@dataclass
class CaptureInfo(_ToDict):
    id: int
    url: str
    final_url: str
    source_id: str
    fetched_at: datetime
    http_status: int
    part_no: int
    version_id: int | None
    run_id: int | None


@dataclass
class AttachmentInfo(_ToDict):
    id: int
    version_id: int
    url: str
    name: str | None
    kind: str
    raw_size: int
    text_chars: int
    error: str | None
    # ok, no_text or the failure kind that kept its text (crawler.vocab.failures.attachment_state)
    state: str
    content_type: str | None  # as its server sent it

    @classmethod
    def from_row(cls, a: Any) -> "AttachmentInfo":
        return cls(id=a.id, version_id=a.version_id, url=a.url, name=a.name, kind=a.kind, raw_size=a.raw_size,
                   text_chars=len(a.text or ""), error=a.error, state=attachment_state(a.text, a.error),
                   content_type=a.content_type)


@dataclass
class CitationInfo(_ToDict):
    doc_number: str  # the cited number, or for cited_by the citing document's number
    document_id: int | None  # the cited (or citing) document, when archived
    title: str | None


@dataclass
class DocumentDetail(DocumentSummary):
    doc_number_raw: str | None = None
    index_number: str | None = None
    category: str | None = None
    authoritative_source_id: str | None = None
    current_version_id: int | None = None
    text: str = ""
    draft_of_id: int | None = None  # this final's draft
    final_ids: list[int] = field(default_factory=list)  # finals of this draft
    versions: list[VersionInfo] = field(default_factory=list)
    captures: list[CaptureInfo] = field(default_factory=list)
    # Every URL carrying the document (site, kind, first/last seen), the authoritative first.
    urls: list[dict[str, Any]] = field(default_factory=list)
    citations: list[CitationInfo] = field(default_factory=list)
    cited_by: list[CitationInfo] = field(default_factory=list)
    attachments: list[AttachmentInfo] = field(default_factory=list)


@dataclass
class SourceInfo(_ToDict):
    id: str
    name: str
    kind: str
    family: str
    region: str | None
    base_url: str | None
    schedule: str | None
    enabled: bool
    captures: int
    last_run_id: int | None
    last_run_status: str | None
    last_run_started_at: datetime | None


# --- one document ---------------------------------------------------------------------


def get_document(archive: Archive, id_or_doc_number: int | str) -> DocumentDetail | None:
    """A document by id or by 文号 (any bracket style), with versions, captures and citations."""
    with archive.reader() as conn:
        doc = resolve(conn, id_or_doc_number)
        if doc is None:
            return None
        versions = versions_of(conn, doc.id)
        captures = list(
            conn.execute(
                select(capture)
                .join(version, version.c.id == capture.c.version_id)
                .where(version.c.document_id == doc.id)
                .order_by(capture.c.fetched_at, capture.c.id)
            )
        )
        per_version: dict[int, int] = {}
        for c in captures:
            if c.part_no == 0 and c.version_id is not None:
                per_version[c.version_id] = per_version.get(c.version_id, 0) + 1
        cited_doc = document.alias("cited")
        citations = conn.execute(
            select(citation.c.cited_number, citation.c.cited_document_id, cited_doc.c.title)
            .outerjoin(cited_doc, cited_doc.c.id == citation.c.cited_document_id)
            .where(citation.c.document_id == doc.id)
            .order_by(citation.c.id)
        ).all()
        cited_by = conn.execute(
            select(document.c.doc_number, document.c.id, document.c.title)
            .join(citation, citation.c.document_id == document.c.id)
            .where(citation.c.cited_document_id == doc.id)
            .order_by(document.c.id)
        ).all()
        final_ids = list(conn.scalars(select(document.c.id).where(document.c.draft_of_id == doc.id)))
        attachments = [
            AttachmentInfo.from_row(a)
            for a in conn.execute(select(attachment).where(attachment.c.document_id == doc.id).order_by(attachment.c.id))
        ]
        current = next((v for v in versions if v.id == doc.current_version_id), None)
        return DocumentDetail(
            **{name: getattr(doc, name) for name in _SUMMARY_FIELDS},
            doc_number_raw=doc.doc_number_raw,
            index_number=doc.index_number,
            category=doc.category,
            authoritative_source_id=doc.authoritative_source_id,
            current_version_id=doc.current_version_id,
            text=current.text if current else "",
            draft_of_id=doc.draft_of_id,
            final_ids=final_ids,
            attachments=attachments,
            versions=[
                VersionInfo(
                    id=v.id,
                    seq=seq,
                    source_id=v.source_id,
                    first_seen=v.first_seen,
                    last_seen=v.last_seen,
                    text_hash=v.text_hash,
                    is_current=v.id == doc.current_version_id,
                    captures=per_version.get(v.id, 0),
                    characters=len(v.text),
                    text=v.text,
                )
                for seq, v in enumerate(versions, start=1)
            ],
            urls=document_urls(conn, doc),
            captures=[
                CaptureInfo(
                    id=c.id,
                    url=c.url,
                    final_url=c.final_url,
                    source_id=c.source_id,
                    fetched_at=c.fetched_at,
                    http_status=c.http_status,
                    part_no=c.part_no,
                    version_id=c.version_id,
                    run_id=c.run_id,
                )
                for c in captures
            ],
            citations=[CitationInfo(n, d, t) for n, d, t in citations],
            cited_by=[CitationInfo(n or "", d, t) for n, d, t in cited_by],
        )


def capture_body(archive: Archive, capture_id: int) -> bytes | None:
    """The raw bytes of one capture exactly as fetched (for re-extraction and export)."""
    with archive.reader() as conn:
        digest = conn.scalar(select(capture.c.sha256).where(capture.c.id == capture_id))
        return load(conn, digest) if digest else None


# --- the archive as a whole ---------------------------------------------------------------


def _topic_counts(conn: Connection, dialect: str) -> dict[str, int]:
    if dialect == "postgresql":
        sql = "SELECT t, count(*) FROM document, jsonb_array_elements_text(document.topics) AS t GROUP BY t"
    else:
        sql = "SELECT t.value, count(*) FROM document, json_each(document.topics) AS t GROUP BY t.value"
    rows = conn.execute(text(sql)).all()
    return dict(sorted(((topic, n) for topic, n in rows), key=lambda item: (-item[1], item[0])))


def archive_stats(archive: Archive) -> dict[str, Any]:
    """Counts of documents, versions, captures, citations and runs, per source and per topic."""
    with archive.reader() as conn:
        count = lambda stmt: conn.scalar(stmt) or 0  # noqa: E731
        by_source: dict[str, dict[str, int]] = {}
        for source_id, captures, pages in conn.execute(
            select(
                capture.c.source_id,
                func.count(),
                func.count().filter(capture.c.part_no == 0),
            ).group_by(capture.c.source_id)
        ):
            by_source[source_id] = {"captures": captures, "pages": pages, "documents": 0}
        for source_id, documents in conn.execute(
            select(capture.c.source_id, func.count(func.distinct(version.c.document_id)))
            .join(version, version.c.id == capture.c.version_id)
            .group_by(capture.c.source_id)
        ):
            by_source[source_id]["documents"] = documents
        return {
            "documents": count(select(func.count()).select_from(document)),
            "documents_with_doc_number": count(
                select(func.count()).select_from(document).where(document.c.doc_number.is_not(None))
            ),
            "drafts": count(select(func.count()).select_from(document).where(document.c.status == "draft")),
            "versions": count(select(func.count()).select_from(version)),
            "captures": count(select(func.count()).select_from(capture)),
            "citations": count(select(func.count()).select_from(citation)),
            "citations_resolved": count(
                select(func.count()).select_from(citation).where(citation.c.cited_document_id.is_not(None))
            ),
            "sources": count(select(func.count()).select_from(source)),
            "runs": count(select(func.count()).select_from(crawl_run)),
            "by_source": dict(sorted(by_source.items())),
            "by_topic": _topic_counts(conn, archive.dialect),
            "by_region": _counts(conn, document.c.region),
            "by_year": _counts(conn, extract("year", document.c.published_date), by_key=True),
        }


def _counts(conn: Connection, expr: Any, by_key: bool = False) -> dict[str, int]:
    """{value: documents} for one column (None shown as "unknown"), largest first."""
    rows = conn.execute(select(expr, func.count()).select_from(document).group_by(expr)).all()
    items = [("unknown" if v is None else str(int(v)) if by_key else str(v), n) for v, n in rows]
    key = (lambda kv: kv[0]) if by_key else (lambda kv: (-kv[1], kv[0]))
    return dict(sorted(items, key=key, reverse=False))


def list_sources(archive: Archive) -> list[SourceInfo]:
    """Every source in the archive with its capture count and its latest run."""
    from storage.crawl_runs import shown_status  # the run writers: not on a search's path

    with archive.reader() as conn:
        captures = dict(
            conn.execute(select(capture.c.source_id, func.count()).group_by(capture.c.source_id)).all()
        )
        latest = (
            select(crawl_run.c.source_id, func.max(crawl_run.c.id).label("run_id"))
            .group_by(crawl_run.c.source_id)
            .subquery()
        )
        rows = conn.execute(
            select(source, crawl_run.c.id.label("run_id"), crawl_run.c.status.label("run_status"),
                   crawl_run.c.started_at.label("run_started_at"), crawl_run.c.pid, crawl_run.c.host)
            .outerjoin(latest, latest.c.source_id == source.c.id)
            .outerjoin(crawl_run, crawl_run.c.id == latest.c.run_id)
            .order_by(source.c.id)
        ).all()
        return [
            SourceInfo(
                id=src.id,
                name=src.name,
                kind=src.kind,
                family=src.family,
                region=src.region,
                base_url=src.base_url,
                schedule=src.schedule,
                enabled=src.enabled,
                captures=captures.get(src.id, 0),
                last_run_id=src.run_id,
                last_run_status=(shown_status(SimpleNamespace(status=src.run_status, pid=src.pid, host=src.host))
                                 if src.run_id is not None else None),
                last_run_started_at=src.run_started_at,
            )
            for src in rows
        ]


def monthly_topics(archive: Archive, months: int = 24) -> dict[str, Any]:
    """Notices per month published, per topic, over the ``months`` calendar months ending
    with the latest month in the archive: {"months": ["YYYY-MM", …], "topics": {topic: [n, …]}}
    (a notice with two topics counts in both; months without notices count 0)."""
    year, month = extract("year", document.c.published_date), extract("month", document.c.published_date)
    with archive.reader() as conn:
        rows = conn.execute(
            select(year, month, document.c.topics, func.count())
            .where(document.c.published_date.is_not(None))
            .group_by(year, month, document.c.topics)
        ).all()
    if not rows:
        return {"months": [], "topics": {}}
    last = max(int(y) * 12 + int(m) - 1 for y, m, _, _ in rows)
    span = [f"{k // 12:04d}-{k % 12 + 1:02d}" for k in range(last - months + 1, last + 1)]
    first = int(min(int(y) * 12 + int(m) - 1 for y, m, _, _ in rows))
    span = span[max(0, first - (last - months + 1)):]
    at = {label: i for i, label in enumerate(span)}
    topics: dict[str, list[int]] = {}
    for y, m, tags, n in rows:
        i = at.get(f"{int(y):04d}-{int(m):02d}")
        if i is None:
            continue
        for topic in tags or ["none"]:
            topics.setdefault(topic, [0] * len(span))[i] += n
    return {"months": span, "topics": dict(sorted(topics.items()))}
