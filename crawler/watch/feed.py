"""A watch's Atom feed: what the watch was told, newest first.

The feed's id is made from the watch's id and name (the same every time it is written),
an entry's from the document (and for a revision, its version), so a feed reader shows
each notice once, and a revision once more.
"""
from __future__ import annotations

from storage.api import Archive, atom_feed, feed_id, find_watch, told

FEED_ENTRIES = 100


def watch_feed(archive: Archive, name: str, limit: int = FEED_ENTRIES) -> bytes:
    """The Atom 1.0 document."""
    data = feed_entries(archive, name, limit)
    return atom_feed(data["entries"], title=data["title"], feed_id=data["feed_id"])


def feed_entries(archive: Archive, name: str, limit: int = FEED_ENTRIES) -> dict:
    """The feed's id, title and entries (export-row shaped, with ``entry_id``)."""
    watch = find_watch(archive, name)
    rows = []
    for row in told(archive, name, limit):
        p = row.payload
        at = row.created_at.isoformat()
        entry_id = f"urn:policy-archive:document:{row.document_id}"
        if row.kind == "revised":
            entry_id += f":version:{row.version_id}"
        title = p.get("title") or "(untitled)"
        rows.append({
            "id": row.document_id, "entry_id": entry_id, "doc_number": p.get("doc_number"),
            "title": ("修订 " if row.kind == "revised" else "") + title, "agency": p.get("agency"),
            "region": p.get("region"), "published_date": p.get("published_date"), "topics": p.get("topics"),
            "authoritative_url": p.get("url"), "first_seen": at, "last_seen": at,
            "text": f"changed: {p['changed']}" if p.get("changed") else "",
        })
    return {"feed_id": feed_id("watch", {"id": watch.id, "name": watch.name}),
            "title": f"policy-archive watch: {watch.name}", "entries": rows}
