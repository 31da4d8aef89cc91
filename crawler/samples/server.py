"""A loopback web server for the bundled sample sites (tests and ``policy-archive demo``).

The sample sites live under ``crawler/samples/www/<site>/``; the URL path is the file
path, so ``/baoshan/xxgk/index.html`` serves ``www/baoshan/xxgk/index.html``.

Serving rules (a crawler must meet the real sites' quirks here, so nothing is "fixed"):

* Files are sent as **raw bytes**, never decoded or re-encoded: a GBK page stays GBK.
* The ``Content-Type`` charset comes from ``www/<site>/_site.toml``::

      charset_header = false      # "text/html" with no charset at all (default)
      charset_header = "utf-8"    # "text/html; charset=utf-8"

* Every 200 carries ``ETag`` (quoted sha1 of the bytes) and ``Last-Modified`` (the file's
  mtime). ``If-None-Match`` (which wins when present) and ``If-Modified-Since`` are
  answered with 304 and no body.
* ``/robots.txt`` allows everything unless ``www/robots.txt`` exists.
* **Query strings** name a different file, the way a static copy of an API is stored:
  the query pairs are decoded, sorted, written ``k=v`` and joined with ``&``, and put
  after ``__`` in the file name. A path without a suffix gets ``.json`` (served as HTML when
  it holds markup); a path with one keeps it after the query. So::

      /zhengce/api/search?p=1&n=10        -> zhengce/api/search__n=10&p=1.json
      /col/col123/index.html?uid=9&page=2 -> col/col123/index__page=2&uid=9.html

  When no such file exists but the plain path does, the plain file is served (real
  servers ignore a cache-busting ``?t=…``).
* **Anti-bot family**: when ``X`` is requested and only ``X.412`` exists (or ``X`` itself
  ends in ``.412``), the answer is HTTP 412 with that file's bytes as body (a JavaScript
  cookie challenge, as nhc.gov.cn sends to plain clients).
* **Guarded family** (``guard = "js-cookie"`` in ``_site.toml``): every path of the site
  answers HTTP 412 with a page whose script computes a cookie and reloads, unless the
  request carries that cookie: only a client that runs JavaScript gets through.
* **POST** with a JSON body (a site-search API) is served from the file named by the
  body: ``post_file_name`` puts ``__post=<12 hex of sha1 of the canonical body>`` after
  the path, the way a query does; without such a file the plain path is served.
* A directory path serves its ``index.html``. Names starting with ``_`` or ``.`` (site
  settings) are never served; anything missing is 404.

* **States**: ``state="later"`` serves the sites as they look some days on: the files of
  ``www-later/`` (made by ``python -m crawler.samples.gen demo``) are laid over ``www/``.
* **Stable host names**: the sample sites' URLs are ``SAMPLE_ORIGIN`` + path whatever port
  the server got; ``host_map()`` is the ``POLICY_HOST_MAP`` that sends them to this server
  (crawler/components/hostmap.py), so an archive filled from two runs on two ports sees one set of URLs.

``hits`` counts requests by request target (path plus ``?query`` when there is one) and
``log`` keeps every request (method, target, status, request headers) for assertions.
Run ``policy-archive samples serve`` to browse the samples by hand.
"""
from __future__ import annotations

import email.utils
import hashlib
import os
import threading
import tomllib
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from crawler.samples.files import js_cookie_guard, not_modified, post_file_name, query_file_name

__all__ = ["SAMPLE_ORIGIN", "STATES", "SampleServer", "RequestRecord", "sample_root", "sample_registry_path",
           "query_file_name", "post_file_name"]

# The sample sites' own origin: what the archive records, wherever the server listens.
SAMPLE_ORIGIN = "http://sites.sample.test"
STATES = ("initial", "later")

_SAMPLES_ENV = "POLICY_ARCHIVE_SAMPLES"
_REPO_SAMPLES = Path(__file__).resolve().parent

_CONTENT_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".shtml": "text/html",
    ".jsp": "text/html",
    ".jhtml": "text/html",
    ".json": "application/json",
    ".xml": "text/xml",
    ".txt": "text/plain",
    ".js": "application/javascript",
    ".css": "text/css",
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".wps": "application/kswps",
    ".ofd": "application/ofd",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".gif": "image/gif",
}
# Only textual types get the site's charset; a charset on a PDF would be a lie of our own.
_TEXT_TYPES = {"text/html", "application/json", "text/xml", "text/plain", "application/javascript", "text/css"}

_ROBOTS_ALLOW_ALL = b"User-agent: *\nAllow: /\n"
_CHALLENGE_BODY = (
    b"<html><head><meta charset=\"utf-8\"></head><body>"
    b"<script>var _0x=\"412\";document.cookie=\"__jsl_clearance=\"+Date.now()+\";path=/\";"
    b"location.reload();</script></body></html>"
)


def _samples_dir() -> Path:
    """The sample_sites directory; the env var may name it or its ``www`` child."""
    override = os.environ.get(_SAMPLES_ENV)
    if override:
        path = Path(override).expanduser()
        return path.parent if path.name == "www" and not (path / "www").is_dir() else path
    return _REPO_SAMPLES


def sample_root() -> Path:
    """Where the bundled sites live (``crawler/samples/www``), or ``$POLICY_ARCHIVE_SAMPLES``."""
    root = _samples_dir() / "www"
    if not root.is_dir():
        raise FileNotFoundError(
            f"sample sites not found at {root}: run from a source checkout or set {_SAMPLES_ENV} "
            "to the sample_sites directory"
        )
    return root


def sample_registry_path() -> Path:
    """The registry of the sample sources (``crawler/samples/sources.toml``)."""
    path = _samples_dir() / "sources.toml"
    if not path.is_file():
        raise FileNotFoundError(
            f"sample source registry not found at {path}: run from a source checkout or set "
            f"{_SAMPLES_ENV} to the sample_sites directory"
        )
    return path


@dataclass(frozen=True)
class RequestRecord:
    method: str
    target: str
    status: int
    headers: dict[str, str]


class _SiteSettings:
    """Per-site settings from ``_site.toml``, read once per site."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._cache: dict[str, dict] = {}
        self._lock = threading.Lock()

    def charset(self, site: str) -> str | None:
        return self.table(site).get("charset_header", False) or None

    def table(self, site: str) -> dict:
        with self._lock:
            if site not in self._cache:
                path = self._root / site / "_site.toml"
                self._cache[site] = tomllib.loads(path.read_text("utf-8")) if path.is_file() else {}
            return self._cache[site]


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"
    protocol_version = "HTTP/1.1"
    server_version = "SampleServer/1.0"
    sys_version = ""

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        self._answer(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(send_body=False)

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        self._answer(send_body=True, post_body=self.rfile.read(length) if length else b"")

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        if self.server.owner.verbose:
            super().log_message(format, *args)

    def _answer(self, send_body: bool, post_body: bytes | None = None) -> None:
        owner = self.server.owner
        path = unquote(urlsplit(self.path).path)
        if path.startswith("/faults/") and owner.fault_site:
            from crawler.samples import faults as samplefaults

            owner.record(RequestRecord(self.command, self.path, 0, {k: v for k, v in self.headers.items()}))
            samplefaults.answer(self, path, owner.faults)
            return
        status, headers, body = owner.resolve(self.path, self.headers, post_body)
        owner.record(RequestRecord(self.command, self.path, status, {k: v for k, v in self.headers.items()}))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:  # a 304 has no body by definition; a length of 0 would be a lie
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body and body:
            self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # socketserver's default listen backlog is 5: a crawl opening 8–16 connections at once
    # overflows it, and each dropped SYN costs the client a 1 s retransmit.
    request_queue_size = 128

    def __init__(self, address, owner: "SampleServer") -> None:
        self.owner = owner
        super().__init__(address, _Handler)


class SampleServer:
    """Serve a directory of sample sites on loopback, in a daemon thread."""

    def __init__(self, root: Path | str | None = None, host: str = "127.0.0.1", port: int = 0, verbose: bool = False,
                 faults: bool = False, fault_site: bool | None = None, state: str = "initial"):
        self.root = Path(root) if root is not None else sample_root()
        if not self.root.is_dir():
            raise FileNotFoundError(f"sample root is not a directory: {self.root}")
        if state not in STATES:
            raise ValueError(f"state must be one of {', '.join(STATES)}, not {state!r}")
        self.state = state
        # Searched in order: the state's overlay first, then the sites as first built.
        self.roots = [self.root]
        if state != "initial":
            overlay = self.root.parent / f"{self.root.name}-{state}"
            if not overlay.is_dir():
                raise FileNotFoundError(f"no {state} state of the sample sites at {overlay} (run python -m crawler.samples.gen demo)")
            self.roots.insert(0, overlay)
        self.host = host
        self.port = port
        self.verbose = verbose
        # the fault site (crawler/samples/faults.py) under /faults/: ``faults`` turns its
        # faults on; with them off it answers like a healthy site
        self.faults = faults
        self.fault_site = faults if fault_site is None else fault_site
        self.hits: Counter[str] = Counter()
        self.log: list[RequestRecord] = []
        self._settings = _SiteSettings(self.root)
        self._lock = threading.Lock()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # lifecycle -------------------------------------------------------------------------
    def start(self) -> "SampleServer":
        if self._httpd is not None:
            return self
        self._httpd = _Server((self.host, self.port), self)
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="sample-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> "SampleServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("SampleServer is not started")
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + "/" + path.lstrip("/")

    def host_map(self) -> dict[str, str]:
        """POLICY_HOST_MAP sending ``SAMPLE_ORIGIN`` to this server."""
        return {SAMPLE_ORIGIN: self.base_url}

    # bookkeeping -----------------------------------------------------------------------
    def record(self, entry: RequestRecord) -> None:
        with self._lock:
            self.hits[entry.target] += 1
            self.log.append(entry)

    def reset_counts(self) -> None:
        with self._lock:
            self.hits.clear()
            self.log.clear()

    # routing ---------------------------------------------------------------------------
    def resolve(self, target: str, request_headers, post_body: bytes | None = None) -> tuple[int, dict[str, str], bytes]:
        """Status, headers and body for one request target (and POST body)."""
        parts = urlsplit(target)
        path = unquote(parts.path)
        if post_body is not None:
            rel = post_file_name(path.lstrip("/"), post_body)
            file = self._find("/" + rel, "")
            if file is not None:
                return self._serve(file, request_headers)
        if path == "/robots.txt":
            robots = self.root / "robots.txt"
            body = robots.read_bytes() if robots.is_file() else _ROBOTS_ALLOW_ALL
            if self.fault_site:
                from crawler.samples.faults import ROBOTS_RULES

                body = body.replace(b"User-agent: *\n", b"User-agent: *\n" + ROBOTS_RULES.encode(), 1)
            return 200, {"Content-Type": "text/plain"}, body
        site = PurePosixPath(path.lstrip("/")).parts[:1]
        if site and (guarded := js_cookie_guard(self._settings.table(site[0]), request_headers)):
            return guarded
        file = self._find(path, parts.query)
        if file is None:
            challenge = self._find(path + ".412", "") if not path.endswith(".412") else None
            if challenge is not None:
                return self._challenge(challenge)
            return 404, {"Content-Type": "text/html; charset=utf-8"}, b"<html><body><h1>404 Not Found</h1></body></html>"
        if file.name.endswith(".412"):
            return self._challenge(file)
        return self._serve(file, request_headers)

    def _find(self, path: str, query: str) -> Path | None:
        rel = path.lstrip("/")
        if not rel or any(part.startswith(("_", ".")) for part in PurePosixPath(rel).parts):
            return None
        candidates = [query_file_name(rel, query)] if query else []
        candidates.append(rel)
        for name in candidates:
            for root in self.roots:
                file = (root / name).resolve()
                if file.is_dir():
                    file = file / "index.html"
                if file.is_file() and file.is_relative_to(root.resolve()):
                    return file
        return None

    def _content_type(self, file: Path) -> str:
        ctype = _CONTENT_TYPES.get(file.suffix.lower(), "application/octet-stream")
        if ctype == "application/json" and file.read_bytes()[:1] == b"<":
            ctype = "text/html"  # an extensionless page with a query (col?id=…): stored as .json, it is a page
        resolved = file.resolve()
        root = next(r.resolve() for r in self.roots if resolved.is_relative_to(r.resolve()))
        site = resolved.relative_to(root).parts[0]
        charset = self._settings.charset(site) if ctype in _TEXT_TYPES else None
        return f"{ctype}; charset={charset}" if charset else ctype

    def _challenge(self, file: Path) -> tuple[int, dict[str, str], bytes]:
        body = file.read_bytes() or _CHALLENGE_BODY
        return 412, {"Content-Type": "text/html", "Set-Cookie": "__jsluid_h=0f3c9e; path=/; HttpOnly"}, body

    def _serve(self, file: Path, request_headers) -> tuple[int, dict[str, str], bytes]:
        body = file.read_bytes()
        mtime = int(file.stat().st_mtime)
        headers = {
            "Content-Type": self._content_type(file),
            "ETag": '"' + hashlib.sha1(body).hexdigest() + '"',
            "Last-Modified": email.utils.formatdate(mtime, usegmt=True),
        }
        if not_modified(request_headers, headers["ETag"], mtime):
            return 304, {k: v for k, v in headers.items() if k != "Content-Type"}, b""
        return 200, headers, body


# The guard's cookie: its value is what the challenge script computes (a client that does
# not run the script has only the expression).
