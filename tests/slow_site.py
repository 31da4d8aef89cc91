"""A loopback site whose crawl never ends by itself: an endless listing (every page links
one new notice and the next page) whose pages are held ``hold`` seconds each.

For the scheduler's tests: a crawl of it outlasts any ``--interval`` and is still running
whenever the test stops it, however loaded the machine is (no time race decides what the
test sees). ``listed`` is set once the crawl has asked for its first listing page.
"""
from __future__ import annotations

import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

NOTICE = ("<html><head><meta charset='utf-8'><title>关于做好居家养老服务第{n}项工作的通知</title></head><body>"
          "<div id='zoom'><h1>关于做好居家养老服务第{n}项工作的通知</h1><p>慢测发〔2024〕{n}号</p>"
          "<p>各区县卫生健康局：为做好居家养老服务工作，请于2024年6月底前落实第{n}项任务，保障老年人健康和养老服务需求。</p>"
          "<p>测试市卫生健康委员会</p><p>2024年6月1日</p></div></body></html>")


class SlowSite:
    def __init__(self, hold: float = 0.5) -> None:
        self.hold = hold
        self.hits: Counter[str] = Counter()
        self.listed = threading.Event()
        self._closing = threading.Event()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                site.hits[self.path] += 1
                if self.path.startswith("/list/"):
                    site.listed.set()
                    # held, but let go at once when the site closes
                    site._closing.wait(site.hold)
                self._answer(*site.page(self.path))

            def _answer(self, status: int, body: str) -> None:
                data = body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def page(self, path: str) -> tuple[int, str]:
        if path == "/robots.txt":
            return 200, "User-agent: *\nAllow: /\n"
        if path.startswith("/list/"):
            n = int(path.removeprefix("/list/").removesuffix(".html"))
            return 200, (f"<html><body><ul class='list'><li><a href='/n/{n}.html'>通知{n}</a></li></ul>"
                         f"<a class='next' href='/list/{n + 1}.html'>下一页</a></body></html>")
        if path.startswith("/n/"):
            return 200, NOTICE.format(n=path.removeprefix("/n/").removesuffix(".html"))
        return 404, "not found"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def registry(self, directory: Path, max_pages: int = 1_000_000) -> Path:
        """A registry of this site alone (by default the walk is as long as the test wants)."""
        path = directory / "slow.toml"
        path.write_text(
            '[[source]]\nid = "slow"\nname = "慢站"\nkind = "gov"\nfamily = "gov_portal"\n'
            f'start_urls = ["{self.base_url}/list/0.html"]\nlist_links = "ul.list a"\nnext_page = "a.next"\n'
            f"max_pages = {max_pages}\n", encoding="utf-8")
        return path

    def __enter__(self) -> "SlowSite":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._closing.set()
        self._httpd.shutdown()
        self._httpd.server_close()
