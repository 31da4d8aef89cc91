"""Browser fetch for guarded sites (registry ``browser = true``).

Some publishers (nhc.gov.cn) answer every plain HTTP client with 412 and a JavaScript
cookie challenge; only a browser that runs the script gets the page. Those sources'
requests go through scrapy-playwright driving the system's Chromium (playwright cannot
download its own browsers here: Debian's ``chromium`` package is launched by path). Every
other request of the same crawl still goes through Scrapy's own HTTP handler: the
playwright handler only takes requests whose meta says ``playwright``.

Without scrapy-playwright or a Chromium executable such a source is not crawled at all
and its run says ``blocked: needs a browser (install …)`` (error kind ``needs_browser``):
a 412 page archived as if it were the notice would be worse than nothing.
"""
from __future__ import annotations

import asyncio
import importlib.util
import os
import shutil
import time
from collections.abc import Iterable
from typing import Any

from crawler.components.loopback import is_loopback_url
from crawler.vocab.failures import ANTI_BOT_STATUSES

INSTALL_HINT = "pip install 'policy-archive[browser]' and apt-get install chromium"
CHROMIUM_ENV = "POLICY_ARCHIVE_CHROMIUM"
_CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Headless, and quiet: no update checks, sync or other calls home from a crawler's browser.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
# Pictures, video and fonts are never the notice: a guarded page loads faster without them.
_SKIPPED_RESOURCES = {"image", "media", "font"}
# How long a page may take to pass its challenge and reload itself.
CHALLENGE_SECONDS = 15.0


def chromium_path() -> str | None:
    """The Chromium executable: $POLICY_ARCHIVE_CHROMIUM, else the first on PATH."""
    override = os.environ.get(CHROMIUM_ENV)
    if override:
        return override if os.access(override, os.X_OK) else None
    for name in _CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def browser_problem() -> str | None:
    """Why guarded sources cannot be fetched here, or None when they can."""
    if importlib.util.find_spec("scrapy_playwright") is None:
        return "scrapy-playwright is not installed"
    if chromium_path() is None:
        return f"no Chromium executable (looked for {', '.join(_CHROMIUM_NAMES)}; or set {CHROMIUM_ENV})"
    return None


def needs_browser_message(problem: str) -> str:
    """The one line a blocked guarded source reports."""
    return f"blocked: needs a browser (install: {INSTALL_HINT}): {problem}"


def crawl_settings(sources: Iterable[Any], loopback_only: bool, timeout_s: float = 30) -> dict[str, Any]:
    """Settings for a crawl of these sources: the playwright handler when one of them is
    guarded and the browser is here; otherwise only what tells spiders it is missing."""
    if not any(getattr(s, "browser", False) for s in sources):
        return {}
    problem = browser_problem()
    if problem:
        return {"POLICY_BROWSER": False, "POLICY_BROWSER_PROBLEM": problem}
    handler = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
    return {
        "POLICY_BROWSER": True,
        "DOWNLOAD_HANDLERS": {"http": handler, "https": handler},
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": {
            "executable_path": chromium_path(),
            "headless": True,
            "args": list(CHROMIUM_FLAGS),
        },
        "PLAYWRIGHT_MAX_CONTEXTS": 1,
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": 2,
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": int(timeout_s * 1000),
        "PLAYWRIGHT_PROCESS_REQUEST_HEADERS": "crawler.components.browser.browser_headers",
        "PLAYWRIGHT_ABORT_REQUEST": (
            "crawler.components.browser.abort_unless_loopback" if loopback_only else "crawler.components.browser.abort_assets"
        ),
    }


def request_meta() -> dict[str, Any]:
    """Meta of one request fetched through the browser (a fresh visit record each)."""
    from scrapy_playwright.page import PageMethod

    visit = BrowserVisit()
    return {
        "playwright": True,
        "playwright_page_init_callback": visit.attach,
        "playwright_page_methods": [PageMethod(visit.settle)],
        "browser_visit": visit,
    }


class BrowserVisit:
    """What one page did in the browser: the status of each document the main frame
    loaded, and its load events. A challenge page answers 412, sets its cookie with
    JavaScript and reloads itself; the visit waits for the document after it."""

    def __init__(self) -> None:
        self.events: list[int | str] = []

    async def attach(self, page: Any, request: Any) -> None:
        def on_response(response: Any) -> None:
            if response.request.is_navigation_request() and response.frame == page.main_frame:
                self.events.append(int(response.status))

        page.on("response", on_response)
        page.on("load", lambda *_: self.events.append("load"))

    @property
    def final_status(self) -> int | None:
        statuses = [e for e in self.events if isinstance(e, int)]
        return statuses[-1] if statuses else None

    def passed(self) -> bool:
        """A document that is not an anti-bot answer has arrived and finished loading."""
        for i, event in enumerate(self.events):
            if isinstance(event, int) and event not in ANTI_BOT_STATUSES and "load" in self.events[i + 1:]:
                return True
        return False

    async def settle(self, page: Any) -> None:
        deadline = time.monotonic() + CHALLENGE_SECONDS
        while not self.passed() and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        await page.wait_for_load_state("load")


class BrowserStatusMiddleware:
    """scrapy-playwright reports the status of the first document a page loaded, the 412
    of the challenge; the response is the document the browser ended on, so report its
    status instead. Inert for every response that did not come from the browser."""

    def process_response(self, request: Any, response: Any, spider: Any = None) -> Any:
        visit = request.meta.get("browser_visit")
        if visit is None or "playwright" not in (response.flags or []):
            return response
        status = visit.final_status
        if status is not None and status != response.status:
            return response.replace(status=status)
        return response


async def browser_headers(*, browser_type_name: str, playwright_request: Any, scrapy_request_data: dict) -> dict:
    """The browser's own headers (its cookies above all: the challenge's cookie lives
    there), plus our contact address and the source's Referer from the Scrapy request."""
    headers = await playwright_request.all_headers()
    ours = scrapy_request_data["headers"].to_unicode_dict()
    for name in ("from", "referer"):
        value = ours.get(name) or ours.get(name.title())
        if value and playwright_request.is_navigation_request():
            headers[name] = value
    return headers


def abort_assets(request: Any) -> bool:
    return request.resource_type in _SKIPPED_RESOURCES


def abort_unless_loopback(request: Any) -> bool:
    """Offline modes: the browser may not reach past loopback either (LOOPBACK_ONLY)."""
    return abort_assets(request) or not is_loopback_url(request.url)
