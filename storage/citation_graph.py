"""The citation network read whole: a document's neighbourhood two steps out (what it
cites, what cites it, and theirs), and the documents most cited within the archive.
Each answer is bounded: a page draws it, so it must fit one."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select

from storage.db import Archive
from storage.history import resolve
from storage.tables import citation, document

MAX_NODES = 40  # more than this is a hairball on a page, not a neighbourhood


def _doc_key(doc_id: int) -> str:
    return f"d{doc_id}"


def citation_neighbourhood(archive: Archive, ref: int | str, steps: int = 2,
                           max_nodes: int = MAX_NODES) -> dict[str, Any] | None:
    """{"center", "nodes", "edges", "truncated"} around the document ``ref`` (id or 文号);
    None when there is none. A node is {key, document_id, doc_number, title, step}, with
    document_id None for a cited number not in the archive (never followed further); an
    edge is {"from", "to"} (from cites to). Nodes are taken breadth first in citation order
    until ``max_nodes``: the same archive always gives the same graph."""
    with archive.reader() as conn:
        center = resolve(conn, ref)
        if center is None:
            return None
        nodes: dict[str, dict[str, Any]] = {
            _doc_key(center.id): {"document_id": center.id, "doc_number": center.doc_number, "step": 0}}
        edges: dict[tuple[str, str], None] = {}
        truncated = False
        frontier = [center.id]
        for step in range(1, steps + 1):
            if not frontier:
                break
            rows = conn.execute(
                select(citation.c.document_id, citation.c.cited_number, citation.c.cited_document_id)
                .where(or_(citation.c.document_id.in_(frontier), citation.c.cited_document_id.in_(frontier)))
                .order_by(citation.c.id)
            ).all()
            following = []
            for citing, number, cited in rows:
                ends = []
                for doc_id, num in ((citing, None), (cited, number)):
                    key = _doc_key(doc_id) if doc_id is not None else f"n{num}"
                    if key not in nodes:
                        if len(nodes) >= max_nodes:
                            truncated = True
                            break
                        nodes[key] = {"document_id": doc_id, "doc_number": num, "step": step}
                        if doc_id is not None:
                            following.append(doc_id)
                    ends.append(key)
                if len(ends) == 2:
                    edges[(ends[0], ends[1])] = None
            frontier = following
        ids = [n["document_id"] for n in nodes.values() if n["document_id"] is not None]
        known = {i: (num, title) for i, num, title in conn.execute(
            select(document.c.id, document.c.doc_number, document.c.title).where(document.c.id.in_(ids)))}
    out = []
    for key, node in nodes.items():
        num, title = known.get(node["document_id"], (node["doc_number"], None))
        out.append({"key": key, "document_id": node["document_id"], "doc_number": num or node["doc_number"],
                    "title": title, "step": node["step"]})
    return {"center": _doc_key(center.id), "nodes": out,
            "edges": [{"from": a, "to": b} for a, b in edges], "truncated": truncated}


def most_cited(archive: Archive, limit: int = 50) -> list[dict[str, Any]]:
    """The archived documents most cited by other archived documents, most first:
    {document_id, doc_number, title, cited_by} (cited_by counts citing documents)."""
    n = func.count(func.distinct(citation.c.document_id)).label("n")
    with archive.reader() as conn:
        rows = conn.execute(
            select(document.c.id, document.c.doc_number, document.c.title, n)
            .join(citation, citation.c.cited_document_id == document.c.id)
            .group_by(document.c.id, document.c.doc_number, document.c.title)
            .order_by(n.desc(), document.c.id)
            .limit(limit)
        ).all()
    return [{"document_id": i, "doc_number": num, "title": title, "cited_by": c} for i, num, title, c in rows]
