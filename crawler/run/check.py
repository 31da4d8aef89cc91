"""A check: is each source alive? One listing page and one detail page per source,
fetched by the source's own family spider (so Hanweb records, gkmlpt configs, JSON APIs,
request headers and the browser path are all exercised as in a crawl), with short
timeouts, every source at once, nothing written to the archive. ``sources check`` runs it
live; ``sources test`` on a source's fixture (crawler/run/probe.py).

It is a crawl like any other (crawler/run/crawl_spec.py, a CrawlSpec with ``check``): the same
child process, spiders and run recorder, with two components of its own
(crawler/components/first_notice.py). The child writes one Finding per source; this module
starts it and reads them. Without network every source fails in a few seconds with its kind
(``dns``, ``timeout``, ``anti_bot``, ``needs_browser`` …).
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from crawler.components.first_notice import Finding
from crawler.vocab.failures import NEEDS_BROWSER
from spiders.registry import Source



@dataclass
class CheckResult:
    source: str
    family: str
    status: str = "no_answer"  # ok | empty | no_detail | blocked | <error kind>
    listing_url: str | None = None
    listing_reachable: bool = False
    links: int = 0
    detail_url: str | None = None
    title: str | None = None
    doc_number: str | None = None
    date: str | None = None
    message: str | None = None
    errors: list[list[str]] = field(default_factory=list)
    seconds: float | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _verdict(r: CheckResult) -> CheckResult:
    kinds = [k for k, _ in r.errors]
    if NEEDS_BROWSER in kinds:
        r.status, r.message = "blocked", r.errors[kinds.index(NEEDS_BROWSER)][1]
    elif r.listing_reachable and r.links and r.title:
        r.status, r.message = "ok", None
    elif r.listing_reachable and not r.links:
        r.status = "empty"
        r.message = "the listing answered but no notice link was found on it: the site may have changed its layout"
    elif r.listing_reachable:
        r.status = "no_detail"
        r.message = r.errors[0][1] if r.errors else "the first notice page gave nothing"
    elif r.errors:
        r.status, r.message = r.errors[0][0], r.errors[0][1]
    else:
        r.status, r.message = "no_answer", "no answer before the time limit"
    return r


def run_check(
    sources: list[Source],
    *,
    registry_path: str | os.PathLike | None = None,
    base: str | None = None,
    settings: dict[str, Any] | None = None,
    timeout: float = 10.0,
    plain_fetch: bool = False,
) -> dict[str, Finding]:
    """Check these sources, all at once, in a crawl child; a Finding per source."""
    from crawler.run.crawl_process import CrawlStopped, run_child
    from crawler.run.crawl_spec import CrawlSpec

    with tempfile.TemporaryDirectory(prefix="policy-archive-check-") as tmp:
        out = Path(tmp) / "out.json"
        spec = CrawlSpec(sources=[s.id for s in sources], registry=str(registry_path) if registry_path else None,
                         base=base, settings=settings or {}, check=True, out=str(out), request_timeout=timeout,
                         plain_fetch=plain_fetch)
        code, trouble = run_child(spec, timeout * 4 + 30, quiet=True)
        if code == "stopped":
            raise CrawlStopped("check stopped by a signal")
        found = json.loads(out.read_text("utf-8")) if out.is_file() else {}
    results = {}
    for s in sources:
        finding = Finding.from_dict(found[s.id]) if s.id in found else Finding(source=s.id, family=s.family)
        if s.id not in found and (code or "Traceback" in trouble):
            tail = trouble.strip().splitlines()[-1:]
            finding.errors.append(["process", f"the checker failed ({code}): {' '.join(tail)}"])
        results[s.id] = finding
    return results


def check_sources(sources: list[Source], *, timeout: float = 10.0, **options: Any) -> list[CheckResult]:
    """Check these sources live, all at once; one result per source, in their order."""
    found = run_check(sources, timeout=timeout, **options)
    results = []
    for s in sources:
        f = found[s.id]
        start = (s.start_urls or [None])[0] or (s.api.page_url if s.api else None)
        results.append(_verdict(CheckResult(
            source=s.id, family=s.family, listing_url=f.listing_url or start, listing_reachable=f.listing_reachable,
            links=len(f.notices), detail_url=f.detail_url, title=f.title, doc_number=f.doc_number, date=f.date,
            errors=f.errors, seconds=f.seconds)))
    return results
