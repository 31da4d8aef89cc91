"""Downloader middlewares."""
from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest


def is_loopback_url(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


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
