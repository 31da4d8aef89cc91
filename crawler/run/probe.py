"""Try sources end to end on their bundled fixtures: the first listing, the notice links
and next-page link it yields, and what extraction makes of its first notice
(``policy-archive sources test``).

It is a check (crawler/run/check.py): the sources' real spiders run through Scrapy in a crawl
child, against the fixtures served on a loopback server, each real origin mapped to it
(POLICY_HOST_MAP, crawler/components/hostmap.py), so the registry entry and its family are exercised
exactly as a crawl uses them, and nothing is written to an archive. A fixture has no
guard: guarded sources are fetched plainly.
"""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from spiders.registry import BUILTIN_REGISTRY, Source

FIXTURES = BUILTIN_REGISTRY.parent / "fixtures"


@dataclass
class ProbeResult:
    source: str
    ok: bool = False
    listing_url: str | None = None
    listing_status: int | None = None
    notices: list[str] = field(default_factory=list)
    next_page: str | None = None
    detail_url: str | None = None
    title: str | None = None
    doc_number: str | None = None
    published_date: str | None = None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "notice_count": len(self.notices)}


def probe_sources(sources: list[Source], registry_path: str | os.PathLike | None = None,
                  root: Path = FIXTURES, timeout: float = 10.0) -> list[ProbeResult]:
    """Check these sources on their fixtures, all at once; a result per source, in order."""
    from crawler.run.check import run_check
    from crawler.run.crawl_process import LOOPBACK_SETTINGS
    from crawler.samples.server import SampleServer

    with SampleServer(root) as server:
        found = run_check(sources, registry_path=registry_path, timeout=timeout, plain_fetch=True,
                          settings={**LOOPBACK_SETTINGS, "POLICY_HOST_MAP": host_map(server.base_url, root)})
    results = []
    for source in sources:
        f = found[source.id]
        r = ProbeResult(source=source.id, listing_url=f.listing_url, listing_status=f.listing_status,
                        notices=f.notices, next_page=f.next_page, detail_url=f.detail_url, title=f.title,
                        doc_number=f.doc_number_raw or f.doc_number, published_date=f.published_date)
        r.ok = bool(r.title)
        said = f.errors[0][1] if f.errors else None
        if not r.notices:
            r.error = said or "no notice links found"
        elif not r.ok:
            r.error = said or "the first notice gave no page"
        results.append(r)
    return results


def fixture_hosts(root: Path = FIXTURES) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.is_dir() and "." in p.name)


def host_map(base_url: str, root: Path = FIXTURES) -> dict[str, str]:
    """POLICY_HOST_MAP serving every fixture site (http and https) from one loopback server."""
    return {f"{scheme}://{host}": f"{base_url}/{host}" for host in fixture_hosts(root) for scheme in ("http", "https")}
