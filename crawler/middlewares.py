"""Downloader middlewares."""
from __future__ import annotations

from scrapy.exceptions import IgnoreRequest

from crawler.loopback import is_loopback_url


class LoopbackGuardMiddleware:
    """With LOOPBACK_ONLY on (tests, demo), a request to any other host is refused
    before it leaves: the offline modes must never touch a real site."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    @classmethod
    def from_crawler(cls, crawler):  # noqa: ANN001, ANN206
        return cls(crawler.settings.getbool("LOOPBACK_ONLY"))

    def process_request(self, request, spider=None):  # noqa: ANN001, ANN201
        if self.enabled and not is_loopback_url(request.url):
            raise IgnoreRequest(f"blocked: {request.url} is not a loopback address (LOOPBACK_ONLY)")
        return None
