"""Name what went wrong with a fetch, so a run's record says why each URL failed.

The kinds are listed here once; spiders, ``sources check``, storage, the CLI and health
reports import them (tests/test_vocab.py fails on a kind spelled out anywhere else).
Anti-bot answers (412 with a JS cookie challenge, 403, 521 from a WAF) are their own
kind: retrying does not help, and the user must see them apart from plain outages.
"""
from __future__ import annotations

# A guarded source (registry ``browser = true``) where scrapy-playwright or Chromium is missing.
NEEDS_BROWSER = "needs_browser"

# Kinds the extraction side names too: an attachment or page refused by a size cap or a
# memory ceiling, one that overran its deadline, one that could not be read.
TOO_LARGE = "too_large"
TIMEOUT = "timeout"
PARSE = "parse"

# What can go wrong with one URL.
FAILURE_KINDS = (
    "dns",
    "connection_refused",
    TIMEOUT,  # a fetch, an attachment's reading or a page's extraction overran its time
    "reset",
    "truncated",
    "http_4xx",
    "http_5xx",
    "anti_bot",
    "redirect_loop",
    TOO_LARGE,
    PARSE,  # extraction or a spider callback raised
    "ingest",  # the archive refused the page
    "offsite",  # a request to a host the crawl may not reach (LOOPBACK_ONLY)
    "fetch",  # anything else the downloader raised
    "process",  # the crawler process ended without closing its run
    "robots",
    NEEDS_BROWSER,  # a guarded source and no browser here: nothing was fetched
)
# An attachment's extraction state, as the archive shows it: its text was read (OK), it
# held none (NO_TEXT: a kind no reader turns into text, or a file that gave nothing), or
# the failure kind that kept its text. The archive keeps only the error line, written by
# failure_note: the kind is its prefix (PARSE errors are written bare).
OK = "ok"
NO_TEXT = "no_text"
NO_TEXT_NOTE = "no text could be read from this"


def failure_note(kind: str, why: str) -> str:
    """The one line an attachment's error is kept as: ``kind: why`` (PARSE: ``why`` alone)."""
    return why if kind == PARSE else f"{kind}: {why}"


def attachment_state(text: str | None, error: str | None) -> str:
    """OK, NO_TEXT or a failure kind, from an attachment's stored text and error line."""
    if text:
        return OK
    if not error or error.startswith(NO_TEXT_NOTE):
        return NO_TEXT
    kind, sep, _ = error.partition(": ")
    return kind if sep and kind in FAILURE_KINDS else PARSE


# Kinds that are skips by rule, not errors: counted apart, never make a run partial.
SKIP_KINDS = ("robots",)

ANTI_BOT_STATUSES = {412, 403, 521, 567}


def classify_failure(exc: BaseException) -> tuple[str, str]:
    """(kind, one-line message) for a failed request's exception."""
    name = type(exc).__name__
    response = getattr(exc, "response", None)
    if response is not None and hasattr(response, "status"):
        status = int(response.status)
        if status in ANTI_BOT_STATUSES:
            return "anti_bot", f"HTTP {status} (anti-bot challenge or WAF) at {response.url}"
        if 500 <= status < 600:
            return "http_5xx", f"HTTP {status} at {response.url}"
        return "http_4xx", f"HTTP {status} at {response.url}"
    # First line only: a browser's (playwright's) errors go on with a multi-line call log.
    text = (str(exc) or name).strip().splitlines()[0]
    # net::ERR_NAME_NOT_RESOLVED and the like read as words
    chain = " ".join(f"{type(e).__name__} {e}" for e in _causes(exc)).lower().replace("_", " ")
    if "robots.txt" in chain:
        return "robots", f"forbidden by robots.txt: {text}"
    if "max redirections" in chain or "redirect loop" in chain:
        return "redirect_loop", f"redirect loop: {text}"
    if "cannotresolvehost" in chain or "dnslookup" in chain or "dns lookup" in chain or "no address associated" in chain \
            or "name not resolved" in chain:
        return "dns", text if text.lower().startswith("dns lookup failed") else f"DNS lookup failed: {text}"
    if "refused" in chain:
        return "connection_refused", f"connection refused: {text}"
    if "timeout" in chain or "timed out" in chain:
        return "timeout", f"timed out: {text}"
    if "larger than download max size" in chain or name == "DownloadCancelledError":
        # Scrapy cancels a download past DOWNLOAD_MAXSIZE without saying why
        return "too_large", f"download cancelled past DOWNLOAD_MAXSIZE: {text}"
    if "dataloss" in chain or "data loss" in chain:
        return "truncated", f"response body cut short: {text}"
    if "connectionlost" in chain or "connection was closed" in chain or "reset" in chain or "connectiondone" in chain:
        return "reset", f"connection reset or lost: {text}"
    if "offsite" in chain or "loopback" in chain:
        return "offsite", text
    return "fetch", f"{name}: {text}"


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception, what caused it, and the reasons a Twisted ResponseFailed carries."""
    seen: list[BaseException] = []
    todo = [exc]
    while todo and len(seen) < 20:
        e = todo.pop()
        if e is None or any(e is s for s in seen):
            continue
        seen.append(e)
        todo.extend(x for x in (e.__cause__, e.__context__) if x is not None)
        for reason in getattr(e, "reasons", None) or []:
            value = getattr(reason, "value", reason)
            if isinstance(value, BaseException):
                todo.append(value)
    return seen
