"""A request's query string read into bounded values; a bad one is one line (HTTP 400)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

MAX_QUERY_CHARS = 200  # a query longer than any 文号 and title together is not a search
MAX_PARAM_CHARS = 200  # an agency list (a facet link carries it whole) runs to the column's 200
MAX_PAGE_SIZE = 100
MAX_PAGE = 1000
DEFAULT_PAGE_SIZE = 20

# URL name → Filters field: the CLI's flags, spelled for a URL.
FILTER_PARAMS = {
    "region": "region", "agency": "agency", "topic": "topic", "type": "doc_type", "status": "status",
    "since": "since", "until": "until", "signed_since": "signed_since", "signed_until": "signed_until",
    "source": "source", "doc_number": "doc_number",
}


class BadParam(ValueError):
    """A query-string value out of bounds: the message is the 400's one line."""


def text_param(query: Mapping[str, str], name: str, limit: int = MAX_PARAM_CHARS) -> str:
    value = query.get(name, "")
    if len(value) > limit:
        raise BadParam(f"{name}: at most {limit} characters, not {len(value)}")
    return value.strip()


def int_param(query: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = query.get(name, "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit():
        raise BadParam(f"{name}: a whole number from {low} to {high}, not {raw[:20]!r}")
    value = int(raw)
    if not low <= value <= high:
        raise BadParam(f"{name}: a whole number from {low} to {high}, not {value}")
    return value


def choice_param(query: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str:
    value = query.get(name, "").strip() or choices[0]
    if value not in choices:
        raise BadParam(f"{name}: one of {', '.join(choices)}, not {value[:20]!r}")
    return value


@dataclass
class SearchParams:
    q: str
    sort: str
    page: int
    limit: int
    filters: dict[str, str] = field(default_factory=dict)  # URL name → value, as given

    def storage_filters(self) -> Any:
        """storage's Filters; QueryError (one line) for a bad date or topic."""
        from storage.api import Filters

        return Filters.parse(**{FILTER_PARAMS[k]: v for k, v in self.filters.items()})

    def url_params(self, **override: Any) -> dict[str, Any]:
        """This search as a query string's pairs (empty ones left out), with ``override``."""
        pairs = {"q": self.q, **self.filters, "sort": self.sort, "limit": self.limit, "page": self.page, **override}
        defaults = {"sort": "relevance", "limit": DEFAULT_PAGE_SIZE, "page": 1}
        return {k: v for k, v in pairs.items() if v not in ("", None) and defaults.get(k) != v}


def search_params(query: Mapping[str, str]) -> SearchParams:
    return SearchParams(
        q=text_param(query, "q", MAX_QUERY_CHARS),
        sort=choice_param(query, "sort", ("relevance", "date")),
        page=int_param(query, "page", 1, 1, MAX_PAGE),
        limit=int_param(query, "limit", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE),
        filters={k: v for k in FILTER_PARAMS if (v := text_param(query, k))},
    )


def version_pair(query: Mapping[str, str]) -> tuple[int | None, int | None]:
    """?a=V1&b=V2, both or neither (the latest change)."""
    a, b = (int_param(query, name, 0, 1, 10_000) for name in ("a", "b"))
    if bool(a) != bool(b):
        raise BadParam("give both versions a and b, or neither for the latest change")
    return (a or None, b or None)
