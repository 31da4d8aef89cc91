"""The listing frontier survives a crash: a crawl SIGKILLed after its first listing page
(a real child process) and then rerun incrementally archives every notice of the site,
both on a first crawl and after new notices pushed older ones down the listing."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from sqlalchemy import func, select

from storage.api import open_archive
from storage.frontier import listing_walks
from storage.models import CrawlRun, Document
from tests.conftest import ROOT

PER_PAGE = 2
TOPICS = ["居家养老服务", "医养结合机构", "长期护理保险", "老年人健康管理", "家庭医生签约", "社区卫生服务",
          "老年大学建设", "养老机构消防安全", "失能老人照护", "医疗保障基金"]


def notice(n: int) -> bytes:
    topic = TOPICS[n % len(TOPICS)]
    paras = "".join(
        f"<p>第{i}条 为推进{topic}工作（第{n}项），各区县卫生健康部门应当在{2000 + n}年{i + 1}月前完成第{n * 7 + i}批"
        f"{topic}试点任务，加强老年人健康服务和养老服务保障，落实经费{n * 13 + i}万元。</p>"
        for i in range(8)
    )
    return (
        f"<html><head><meta charset='utf-8'><title>关于推进{topic}工作的通知（{n}）</title></head><body>"
        f"<div id='zoom'><h1>关于推进{topic}工作的通知（{n}）</h1><p>测卫发〔2024〕{n}号</p>"
        f"<p>各区县卫生健康局：</p>{paras}<p>测试市卫生健康委员会</p><p>2024年5月{n % 28 + 1}日</p></div>"
        "</body></html>"
    ).encode("utf-8")


class Site:
    """A newest-first listing over ``self.notices``, PER_PAGE per page; page 1 can be held."""

    def __init__(self) -> None:
        self.notices: list[int] = []
        self.hold = threading.Event()
        self.hold.set()
        self.hits: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                site.hits.append(self.path)
                body = site.answer(self.path)
                if self.path == "/list/index_1.html":
                    site.hold.wait(60)
                self.send_response(200 if body is not None else 404)
                body = body or b"not found"
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def answer(self, path: str) -> bytes | None:
        if path == "/robots.txt":
            return b"User-agent: *\nAllow: /\n"
        if path.startswith("/n/"):
            return notice(int(path[3:].split(".")[0]))
        if path.startswith("/list/index"):
            page = 0 if path == "/list/index.html" else int(path.rsplit("_", 1)[1].split(".")[0])
            newest_first = sorted(self.notices, reverse=True)
            items = newest_first[page * PER_PAGE:(page + 1) * PER_PAGE]
            if not items:
                return None
            links = "".join(f"<li><a href='/n/{n}.html'>通知{n}</a><span>2024-05-01</span></li>" for n in items)
            more = len(newest_first) > (page + 1) * PER_PAGE
            nxt = f"<a class='next' href='/list/index_{page + 1}.html'>下一页</a>" if more else ""
            return f"<html><body><ul class='list'>{links}</ul>{nxt}</body></html>".encode()
        return None


def crawl(registry, db, **popen):
    return subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "crawl", "--registry", str(registry), "--db", db, "--json"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True, **popen,
    )


def documents(db: str) -> int:
    archive = open_archive(db)
    try:
        with archive.session() as s:
            return s.scalar(select(func.count()).select_from(Document))
    finally:
        archive.dispose()


def kill_after_first_listing_page(site: Site, registry, db: str, archived: int) -> None:
    """Start a crawl, let it archive listing page 0's notices, then SIGKILL it whole."""
    site.hold.clear()
    proc = crawl(registry, db)
    deadline = time.monotonic() + 90
    while not ("/list/index_1.html" in site.hits and documents(db) >= archived):
        assert time.monotonic() < deadline, "the crawl never reached listing page 1"
        assert proc.poll() is None
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    site.hold.set()


def test_a_killed_walk_resumes_and_loses_nothing(tmp_path):
    site = Site()
    registry = tmp_path / "sources.toml"
    registry.write_text(
        f'[[source]]\nid="walk"\nname="W"\nkind="gov"\nfamily="gov_portal"\n'
        f'start_urls=["{site.base}/list/index.html"]\nlist_links="ul.list a"\nnext_page="a.next"\n'
        f'detail_pattern="/n/\\\\d+\\\\.html$"\nmax_pages=10\n',
        encoding="utf-8",
    )
    db = f"sqlite:///{tmp_path / 'a.db'}"

    # 1. the first crawl ever dies after listing page 0: the rerun walks on to the end
    site.notices = list(range(1, 7))
    kill_after_first_listing_page(site, registry, db, archived=2)
    assert documents(db) == 2
    proc = crawl(registry, db)
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0, out
    assert documents(db) == 6
    archive = open_archive(db)
    (walk,) = listing_walks(archive, "walk").values()
    assert walk.state == "complete"
    with archive.session() as s:
        statuses = [r.status for r in s.scalars(select(CrawlRun).order_by(CrawlRun.id))]
    assert statuses == ["interrupted", "ok"]  # the killed run was closed at the next start
    archive.dispose()

    # 2. four new notices push the old ones two pages down; the crawl dies after page 0
    site.notices += [7, 8, 9, 10]
    kill_after_first_listing_page(site, registry, db, archived=8)
    site.hits.clear()
    proc = crawl(registry, db)
    summary = json.loads(proc.communicate(timeout=120)[0])
    assert proc.returncode == 0
    assert documents(db) == 10  # 7 and 8 sat on listing page 1, never read before the kill
    # the walk went as deep as the killed one had asked for, then stopped early again
    assert "/list/index_1.html" in site.hits and "/list/index_3.html" not in site.hits
    assert summary["new_documents"] == 2
    site.httpd.shutdown()


def test_a_walk_cut_at_max_pages_says_so_on_its_run(tmp_path):
    from crawler.run.crawl_process import run_crawl
    from spiders.registry import load_registry
    from storage.api import list_runs
    from tests.slow_site import SlowSite

    db = f"sqlite:///{tmp_path / 'a.db'}"
    with SlowSite(hold=0) as site:  # every listing page has a next one: a pagination trap
        registry = site.registry(tmp_path, max_pages=3)
        run_crawl(list(load_registry(registry).values()), db_url=db, registry_path=registry, progress=False)
    assert [p for p in site.hits if p.startswith("/list/")] == ["/list/0.html", "/list/1.html", "/list/2.html"]
    (run,) = list_runs(open_archive(db))
    (note,) = run.error_summary["notes"]
    assert note.startswith(f"listing {site.base_url}/list/0.html stopped at max_pages (3 pages)")
