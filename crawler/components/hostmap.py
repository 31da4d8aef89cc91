"""Serve a real site's URLs from a loopback server: the fixture and sample-site mode.

``POLICY_HOST_MAP`` maps an origin (``https://www.nhc.gov.cn``) to a loopback prefix
(``http://127.0.0.1:8123/www.nhc.gov.cn``). A request to a mapped origin is sent to the
prefix instead, and its response comes back under the original URL, so spiders, the
pipeline and the archive only ever see the real site's URLs: a fixture test exercises the
same registry entry as a live crawl, and the archive's identity does not depend on the
port a test server happened to get.

The middleware sits before the loopback guard (priority 40 < 50): a mapped request is
rewritten before the guard looks at it, an unmapped real URL is still refused.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from crawler.components.loopback import is_loopback_url

META_ORIGINAL = "hostmap_original"
META_REWRITTEN = "hostmap_rewritten"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _tail(url: str) -> str:
    """Path, query and fragment of a URL: everything after its origin."""
    parts = urlsplit(url)
    return url[len(f"{parts.scheme}://{parts.netloc}"):] or "/"


class HostMap:
    """Origin → loopback prefix, both ways. Pure: no Scrapy."""

    def __init__(self, mapping: Mapping[str, str]) -> None:
        self.forward: dict[str, str] = {}
        for origin, prefix in mapping.items():
            prefix = prefix.rstrip("/")
            if not is_loopback_url(prefix):
                raise ValueError(f"POLICY_HOST_MAP: {prefix} is not a loopback address")
            self.forward[_origin(origin)] = prefix

    def __bool__(self) -> bool:
        return bool(self.forward)

    def to_loopback(self, url: str) -> str | None:
        prefix = self.forward.get(_origin(url))
        return prefix + _tail(url) if prefix else None

    def to_original(self, loopback_url: str, scheme_hint: str | None = None) -> str | None:
        """The real URL a loopback URL stands for (the longest matching prefix wins;
        where two origins share a prefix, the one with ``scheme_hint`` does)."""
        best: tuple[int, bool, str] | None = None
        for origin, prefix in self.forward.items():
            if loopback_url == prefix or loopback_url.startswith(prefix + "/") or loopback_url.startswith(prefix + "?"):
                rank = (len(prefix), origin.startswith(f"{scheme_hint}://") if scheme_hint else False, origin)
                if best is None or rank[:2] > best[:2]:
                    best = rank
        if best is None:
            return None
        prefix = self.forward[best[2]]
        return best[2] + (loopback_url[len(prefix):] or "/")

    @classmethod
    def from_setting(cls, value: Any) -> "HostMap":
        if not value:
            return cls({})
        if isinstance(value, str):
            value = json.loads(value)
        return cls(dict(value))


class HostMapMiddleware:
    """Downloader middleware applying POLICY_HOST_MAP (see the module docstring)."""

    def __init__(self, host_map: HostMap) -> None:
        self.host_map = host_map

    @classmethod
    def from_crawler(cls, crawler: Any) -> "HostMapMiddleware":
        return cls(HostMap.from_setting(crawler.settings.get("POLICY_HOST_MAP")))

    def process_request(self, request: Any, spider: Any = None) -> Any:
        if not self.host_map:
            return None
        target = self.host_map.to_loopback(request.url)
        if target is None:
            return None
        meta = {**request.meta, META_ORIGINAL: request.url, META_REWRITTEN: target}
        # allow_offsite: the loopback URL is not in any spider's allowed domains.
        return request.replace(url=target, meta={**meta, "allow_offsite": True})

    def process_response(self, request: Any, response: Any, spider: Any = None) -> Any:
        if not self.host_map:
            return response
        original = request.meta.get(META_ORIGINAL)
        if original and response.url == request.meta.get(META_REWRITTEN):
            real = original
        else:
            hint = urlsplit(original).scheme if original else None
            real = self.host_map.to_original(response.url, hint)
        if real is None:
            return response
        headers = response.headers.copy()
        location = headers.get(b"Location")
        if location:
            mapped = self.host_map.to_original(location.decode("latin-1"), urlsplit(real).scheme)
            if mapped:
                headers[b"Location"] = mapped.encode("latin-1")
        return response.replace(url=real, headers=headers)
