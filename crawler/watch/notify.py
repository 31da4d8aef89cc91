"""The one step a crawl ends with: match every watch, then deliver what the outbox owes.

``notify_after_crawl`` is called once where a crawl ends in the parent process
(crawler/run/crawl_process.py ``run_crawl``: the CLI's crawl and demo, a distributed
round), and where each source's crawl ends in the scheduler's crawl service
(crawler/run/crawl_service.py ``_crawl_ended``, one at a time). Its trouble is reported, never raised: a crawl that archived its
pages has succeeded whatever the notification targets do, and what could not be sent
stays in the outbox for the next run.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from crawler.watch.deliver import DeliveryReport, deliver_pending
from storage.api import MatchReport, match_watches, open_archive


@dataclass
class NotifyReport:
    matched: MatchReport = field(default_factory=MatchReport)
    delivery: DeliveryReport = field(default_factory=DeliveryReport)
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"new": self.matched.new, "revised": self.matched.revised, **self.delivery.to_dict(),
                "error": self.error}


def notify(db_url: str | None, now: datetime | None = None) -> NotifyReport:
    """Match and deliver now (raises what the archive raises)."""
    archive = open_archive(db_url, create=False)
    try:
        matched = match_watches(archive)
        return NotifyReport(matched=matched, delivery=deliver_pending(archive, now))
    finally:
        archive.dispose()


def notify_after_crawl(db_url: str | None) -> NotifyReport:
    """``notify`` for the end of a crawl: every failure is one line on stderr, not an error."""
    try:
        report = notify(db_url)
    except Exception as exc:  # the crawl's result stands; the outbox keeps what is owed
        from storage.db import error_line

        report = NotifyReport(error=f"{type(exc).__name__}: {error_line(exc)}")
        print(f"watches: notifications failed: {report.error}", file=sys.stderr)
        return report
    if report.matched.total or report.delivery.sent:
        print(f"watches: {sum(report.matched.new.values())} new and {sum(report.matched.revised.values())} revised "
              f"notices matched; {report.delivery.sent} messages sent", file=sys.stderr)
    for line in report.delivery.errors:
        print(f"watches: delivery failed, will retry: {line}", file=sys.stderr)
    return report
