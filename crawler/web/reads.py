"""What the pages and the API read, each through storage.api and the CLI's own shapes:
the page and `--json` cannot drift apart because they are made by the same functions."""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from starlette.exceptions import HTTPException

from crawler.web.params import BadParam, SearchParams, int_param, text_param, version_pair

MAX_REF_CHARS = 60  # a 文号 in any bracket form fits; an id is at most 12 digits
MAX_NEW = 500
MAX_RUNS = 200


@contextmanager
def _query_errors() -> Iterator[None]:
    """storage's QueryError (a bad date, topic or query) as a BadParam: the same one line."""
    from storage.api import QueryError

    try:
        yield
    except QueryError as exc:
        raise BadParam(str(exc)) from None


def run_search(archive: Any, params: SearchParams) -> Any:
    """The SearchResult, as `search` gives it; None for a search with nothing to search for."""
    from storage.api import search

    with _query_errors():
        filters = params.storage_filters()
        if not params.q and filters.empty:
            return None
        return search(archive, params.q, filters, sort=params.sort, page=params.page, limit=params.limit)


def search_json(archive: Any, params: SearchParams) -> dict[str, Any] | None:
    """The `search --facets --json` dict (the facets the search page shows, as counts); None
    for a search with nothing to search for."""
    from storage.api import facet_counts, search_facets

    result = run_search(archive, params)
    if result is None:
        return None
    found = result.to_dict()
    with _query_errors():
        found["facets"] = facet_counts(search_facets(archive, params.q, params.storage_filters()))
    return found


def facets(archive: Any, params: SearchParams) -> list[tuple[str, list[tuple[str, int, dict[str, str]]]]]:
    """Each facet's values over the whole result set: (facet, [(value, documents, the filters
    that narrow this search to it)]); the filters become the link's query string."""
    from storage.api import search_facets

    with _query_errors():
        found = search_facets(archive, params.q, params.storage_filters())
    out = []
    for name, values in found.items():
        rows = []
        for value, n in values:
            narrow = ({"since": f"{value}-01-01", "until": f"{value}-12-31"} if name == "year"
                      else {name: value})
            rows.append((value, n, narrow))
        out.append((name, rows))
    return out


def _ref(ref: str) -> str:
    ref = ref.strip()
    if not ref or len(ref) > MAX_REF_CHARS or (ref.isdigit() and len(ref) > 12):
        raise HTTPException(404, f"no document {ref[:MAX_REF_CHARS]!r} in the archive")
    return ref


def document(archive: Any, ref: str) -> Any:
    """The DocumentDetail `show` prints; 404 when there is none."""
    from storage.api import get_document

    doc = get_document(archive, _ref(ref))
    if doc is None:
        raise HTTPException(404, f"no document {ref!r} in the archive")
    return doc


def history(archive: Any, ref: str) -> dict[str, Any]:
    from storage.api import document_history

    found = document_history(archive, _ref(ref))
    if found is None:
        raise HTTPException(404, f"no document {ref!r} in the archive")
    return found


def diff(archive: Any, ref: str, query: Mapping[str, str]) -> dict[str, Any]:
    """The `diff --json` dict between ?a= and ?b= (default: the latest change)."""
    from storage.api import NoSuchVersion, document_diff

    old, new = version_pair(query)
    try:
        found = document_diff(archive, _ref(ref), old, new)
    except NoSuchVersion as exc:
        raise BadParam(str(exc)) from None
    if found is None:
        raise HTTPException(404, f"no document {ref!r} in the archive")
    return found


NEW_FILTERS = {"region": "region", "agency": "agency", "topic": "topic", "type": "doc_type", "status": "status",
               "published_since": "since", "published_until": "until", "source": "source"}


def arrivals(archive: Any, query: Mapping[str, str]) -> tuple[Any, list[dict[str, Any]], dict[str, Any]]:
    """What arrived: ?since=7d|DATE&limit=N and the search filters (published since:
    published_since), as (since, the export rows, the query as `new --atom` names it: its feed id)."""
    from storage.api import Filters, parse_since
    from storage.api import new as arrived

    typed = {field: text_param(query, name) for name, field in NEW_FILTERS.items()}
    feed_query = {"arrived_since": text_param(query, "since") or "7d",
                  "limit": int_param(query, "limit", 100, 1, MAX_NEW), **typed}
    with _query_errors():
        since = parse_since(feed_query["arrived_since"])
        rows = arrived(archive, since, Filters.parse(**typed), limit=feed_query["limit"])
    return since, rows, feed_query


def new(archive: Any, query: Mapping[str, str]) -> dict[str, Any]:
    """The `new --json` dict."""
    from crawler.cli.archive import new_summary

    since, rows, _ = arrivals(archive, query)
    return new_summary(since, rows)


def new_feed(archive: Any, query: Mapping[str, str]) -> bytes:
    """The Atom feed `new --atom` writes for the same query, with the same stable id."""
    from storage.api import atom_feed, feed_id

    since, rows, feed_query = arrivals(archive, query)
    return atom_feed(rows, title=f"policy-archive: new since {since.date().isoformat()}",
                     feed_id=feed_id("new", feed_query))


def watch_feed(archive: Any, name: str) -> bytes:
    """The Atom feed `watch feed NAME` writes (the same ids)."""
    from crawler.watch.feed import watch_feed as feed_of
    from storage.api import WatchError

    try:
        return feed_of(archive, name)
    except WatchError:
        raise HTTPException(404, f"no watch {name[:MAX_REF_CHARS]!r}") from None


def coverage(archive: Any) -> dict[str, Any]:
    """The `sources coverage --json` grid, with each cell's health from the archive."""
    from crawler.cli.coverage import coverage_grid
    from spiders.registry import load_registry
    from storage.api import source_health

    registry = load_registry(None)
    health = {sid: h.to_dict() for sid, h in source_health(archive, list(registry)).items()}
    return coverage_grid(list(registry.values()), health)


def stats(archive: Any) -> dict[str, Any]:
    from storage.api import archive_stats

    return archive_stats(archive)


def monthly(archive: Any) -> dict[str, Any]:
    """Notices per month by topic, the last 24 months the archive has."""
    from storage.api import monthly_topics

    return monthly_topics(archive, months=24)


def sources(archive: Any) -> list[dict[str, Any]]:
    """The `sources --json` rows for the built-in registry (and the sample sites')."""
    from crawler.cli.sources import source_rows
    from spiders.registry import load_registry

    return source_rows(load_registry(None), archive)


def runs(archive: Any, query: Mapping[str, str]) -> list[dict[str, Any]]:
    from storage.api import list_runs

    found = list_runs(archive, source_id=text_param(query, "source") or None,
                      limit=int_param(query, "limit", 20, 1, MAX_RUNS))
    return [r.to_dict() for r in found]


def run(archive: Any, run_id: int) -> dict[str, Any]:
    from storage.api import get_run

    found = get_run(archive, run_id) if run_id < 2**31 else None
    if found is None:
        raise HTTPException(404, f"no crawl run {run_id}")
    return found.to_dict()


MAX_TOP = 200


def neighbourhood(archive: Any, ref: str) -> dict[str, Any]:
    """The document's citations two steps out, bounded (storage.api.MAX_NODES); 404 when none."""
    from storage.api import citation_neighbourhood

    found = citation_neighbourhood(archive, _ref(ref))
    if found is None:
        raise HTTPException(404, f"no document {ref!r} in the archive")
    return found


def top_cited(archive: Any, query: Mapping[str, str]) -> list[dict[str, Any]]:
    """The documents most cited within the archive, ?limit=N (default 50)."""
    from storage.api import most_cited

    return most_cited(archive, limit=int_param(query, "limit", 50, 1, MAX_TOP))
