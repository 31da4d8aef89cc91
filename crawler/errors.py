"""Name what went wrong with a fetch, so a run's summary says why a source failed.

Anti-bot answers (412 with a JS cookie challenge, 403, 521 from a WAF) are their own
kind: retrying does not help, and the user must see them apart from plain outages.
"""
from __future__ import annotations

ANTI_BOT_STATUSES = {412, 403, 521, 567}


def classify_failure(exc: BaseException) -> tuple[str, str]:
    """(kind, one-line message) for a failed request's exception."""
    name = type(exc).__name__
    response = getattr(exc, "response", None)
    if response is not None and hasattr(response, "status"):
        status = int(response.status)
        if status in ANTI_BOT_STATUSES:
            return "anti_bot", f"HTTP {status} (anti-bot challenge or WAF) at {response.url}"
        if status == 404:
            return "not_found", f"HTTP 404 at {response.url}"
        if 500 <= status < 600:
            return "http_5xx", f"HTTP {status} at {response.url}"
        return "http_error", f"HTTP {status} at {response.url}"
    # First line only: a browser's (playwright's) errors go on with a multi-line call log.
    text = (str(exc) or name).strip().splitlines()[0]
    lowered = f"{name} {text}".lower().replace("_", " ")  # net::ERR_NAME_NOT_RESOLVED and the like
    if ("dnslookup" in lowered or "dns lookup" in lowered or "no address associated" in lowered
            or "name not resolved" in lowered):
        return "dns", f"DNS lookup failed: {text}"
    if "refused" in lowered:
        return "connection_refused", f"connection refused: {text}"
    if "timeout" in lowered or "timed out" in lowered:
        return "timeout", f"timed out: {text}"
    if "offsite" in lowered or "loopback" in lowered:
        return "blocked", text
    if "connection" in lowered or "tcp" in lowered:
        return "connection", f"{name}: {text}"
    return "fetch", f"{name}: {text}"
