"""How the sample server answers, as pure rules: which file a request names (query
strings and POST bodies become file names), when a conditional request is a 304, and
the JavaScript cookie guard of a guarded site. crawler/samples/server.py serves them."""
from __future__ import annotations

import email.utils
import hashlib
import json
from http.cookies import CookieError, SimpleCookie
from pathlib import PurePosixPath
from urllib.parse import parse_qsl


def query_file_name(path: str, query: str) -> str:
    """The file path a ``path?query`` request is stored under (see the module docstring)."""
    pairs = sorted(parse_qsl(query, keep_blank_values=True))
    suffix_q = "&".join(f"{k}={v}" for k, v in pairs)
    pure = PurePosixPath(path)
    ext = pure.suffix or ".json"
    return str(pure.with_name(f"{pure.stem if pure.suffix else pure.name}__{suffix_q}{ext}"))

def post_file_name(path: str, body: bytes) -> str:
    """The file path a POST of this JSON body to ``path`` is stored under."""
    try:
        canonical = json.dumps(json.loads(body or b"null"), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    except ValueError:
        canonical = body.decode("latin-1")
    digest = hashlib.sha1(canonical.encode("utf-8")).hexdigest()[:12]
    pure = PurePosixPath(path)
    ext = pure.suffix or ".json"
    return str(pure.with_name(f"{pure.stem if pure.suffix else pure.name}__post={digest}{ext}"))

GUARD_COOKIE = "pa_clearance"
GUARD_VALUE = format(7919 * 104729 + 2026, "x")
_GUARD_PAGE = (
    "<html><head><meta charset=\"utf-8\"><title>安全验证</title></head><body>"
    "<script>var _a=7919,_b=104729,_c=2026;"
    "document.cookie=\"" + GUARD_COOKIE + "=\"+(_a*_b+_c).toString(16)+\"; path=/\";"
    "location.reload();</script>"
    "<noscript>请开启JavaScript并刷新该页.</noscript></body></html>"
).encode("utf-8")

def js_cookie_guard(site_settings: dict, request_headers) -> tuple[int, dict[str, str], bytes] | None:
    """The 412 challenge of a ``guard = "js-cookie"`` site, or None when the request may pass."""
    if site_settings.get("guard") != "js-cookie":
        return None
    jar = SimpleCookie()
    try:
        jar.load(request_headers.get("Cookie") or "")
    except CookieError:
        pass
    if GUARD_COOKIE in jar and jar[GUARD_COOKIE].value == GUARD_VALUE:
        return None
    return 412, {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}, _GUARD_PAGE

def not_modified(request_headers, etag: str, mtime: int) -> bool:
    """RFC 9110 order: If-None-Match decides when present, else If-Modified-Since."""
    inm = request_headers.get("If-None-Match")
    if inm is not None:
        tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return "*" in tags or etag in tags
    ims = request_headers.get("If-Modified-Since")
    if ims:
        try:
            since = email.utils.parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
        return since is not None and mtime <= since.timestamp()
    return False

