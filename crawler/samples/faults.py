"""The fault site of the sample server (``samples serve --faults``): one listing whose
notices each meet one way a real site fails.

With faults off the same URLs answer like a healthy site, so a crawl against the
healthy server afterwards shows that nothing the faults cost was lost for good.
Served under ``/faults/``; its registry entry is ``FAULT_SOURCE`` (``{base}`` filled in).

=================  ==============================================  ==================
page               with faults                                     healthy
=================  ==============================================  ==================
n/5xx.html         HTTP 503                                        the notice
n/slow.html        answers after the crawl's timeout               at once
n/reset.html       connection reset (TCP RST), no answer             the notice
n/truncated.html   body shorter than its Content-Length            the notice
n/charset.html     GBK bytes under a header saying utf-8           GBK, no header charset
loop/a.html        a.html -> b.html -> a.html …                    the notice
index_N.html       endless pagination (every page has a next)      three pages
n/huge.html        50 MB generated on the fly (never stored)       the notice
private/n.html     disallowed by robots.txt (a skip, both ways)
n/control.html     control bytes in the heading (both ways)
=================  ==============================================  ==================
"""
from __future__ import annotations

import socket
import struct
import time
from typing import Any

FAULT_SOURCE = """
[[source]]
id = "faults"
name = "故障样例站"
kind = "gov"
family = "gov_portal"
region = "测试市"
base_url = "{base}/faults/"
start_urls = ["{base}/faults/index.html"]
list_links = "ul.list a"
next_page = "a.next"
max_pages = 8
enabled = true
notes = "the sample server's fault site (crawler/samples/faults.py)"
"""

ROBOTS_RULES = "Disallow: /faults/private/\n"
SLOW_SECONDS = 30  # past any crawl timeout we use; the handler gives up when the client does
HUGE_BYTES = 50 * 1024 * 1024
_PAGES = ("5xx", "slow", "reset", "truncated", "charset", "control", "huge")
_LISTING = [f"/faults/n/{p}.html" for p in _PAGES] + ["/faults/loop/a.html", "/faults/private/n.html"]
_TOPICS = {"5xx": "居家养老服务", "slow": "医养结合", "reset": "长期护理保险", "truncated": "老年人健康管理",
           "charset": "家庭医生签约", "control": "社区卫生服务", "huge": "养老机构安全", "loop": "失能老人照护",
           "private": "医疗保障基金"}
_PER_PAGE = 3


def notice(name: str, heading_extra: str = "") -> str:
    topic = _TOPICS[name]
    n = list(_TOPICS).index(name) + 1
    paras = "".join(
        f"<p>第{i}条 为做好{topic}工作，各区县卫生健康部门要在{2020 + n}年{i + 1}月底前落实{topic}第{n * 10 + i}项任务，"
        f"保障老年人健康和养老服务需求，所需经费{n * 17 + i}万元由财政安排。</p>"
        for i in range(6)
    )
    return (
        f"<html><head><meta charset='utf-8'><title>关于做好{topic}工作的通知</title></head><body><div id='zoom'>"
        f"<h1>关于做好{heading_extra}{topic}工作的通知</h1><p>测故发〔2024〕{n}号</p><p>各区县卫生健康局：</p>"
        f"{paras}<p>测试市卫生健康委员会</p><p>2024年6月{n}日</p></div></body></html>"
    )


def _listing(page: int, endless: bool) -> bytes:
    items = _LISTING[page * _PER_PAGE:(page + 1) * _PER_PAGE] if page * _PER_PAGE < len(_LISTING) else []
    if endless and not items:
        items = _LISTING[:_PER_PAGE]  # a broken pager repeats itself forever
    links = "".join(f"<li><a href='{u}'>通知</a><span>2024-06-01</span></li>" for u in items)
    more = endless or (page + 1) * _PER_PAGE < len(_LISTING)
    nxt = f"<a class='next' href='/faults/index_{page + 1}.html'>下一页</a>" if more else ""
    return f"<html><head><meta charset='utf-8'></head><body><ul class='list'>{links}</ul>{nxt}</body></html>".encode()


def answer(handler: Any, path: str, faults: bool) -> None:
    """Write the whole answer for a /faults/ path (some faults need the raw socket)."""
    if path in ("/faults/", "/faults/index.html") or path.startswith("/faults/index_"):
        page = 0 if path in ("/faults/", "/faults/index.html") else int(path.rsplit("_", 1)[1].split(".")[0])
        if not faults and page * _PER_PAGE >= len(_LISTING):
            return _send(handler, 404, b"not found")
        return _send(handler, 200, _listing(page, faults))
    if path.startswith("/faults/loop/"):
        if faults:
            target = "/faults/loop/b.html" if path.endswith("a.html") else "/faults/loop/a.html"
            return _send(handler, 302, b"", {"Location": target})
        return _send(handler, 200, notice("loop").encode())
    if path == "/faults/private/n.html":
        return _send(handler, 200, notice("private").encode())
    name = path.removeprefix("/faults/n/").removesuffix(".html")
    if name not in _PAGES:
        return _send(handler, 404, b"not found")
    body = notice(name, "\x0c\x0b\x08\x1b" if name == "control" else "").encode()
    if name == "charset":
        body = notice(name).replace("charset='utf-8'", "").encode("gbk")
        return _send(handler, 200, body, {"Content-Type": "text/html; charset=utf-8"} if faults else None)
    if not faults or name == "control":
        return _send(handler, 200, body)
    if name == "5xx":
        return _send(handler, 503, b"<html><body>503 Service Unavailable</body></html>")
    if name == "slow":
        deadline = time.monotonic() + SLOW_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.5)
            if _client_gone(handler):
                return
        return _send(handler, 200, body)
    if name == "reset":
        # SO_LINGER 0: close() sends a TCP RST instead of a clean FIN, before any answer
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.connection.close()
        handler.close_connection = True
        return
    if name == "truncated":
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(body) + 5000))
        handler.end_headers()
        handler.wfile.write(body)
        handler.wfile.flush()
        handler.close_connection = True
        return
    if name == "huge":
        _send_huge(handler, body)


def _send(handler: Any, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
    handler.send_response(status)
    for k, v in ({"Content-Type": "text/html; charset=utf-8"} | (headers or {})).items():
        handler.send_header(k, v)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    if handler.command != "HEAD" and body:
        handler.wfile.write(body)


def _send_huge(handler: Any, head: bytes) -> None:
    """50 MB with no Content-Length, made as it is sent: the client must cut it short."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Connection", "close")
    handler.end_headers()
    handler.close_connection = True
    chunk = b"<p>" + "养老健康".encode() * 4000 + b"</p>\n"
    sent = 0
    try:
        handler.wfile.write(head[: head.rfind(b"</div>")])
        while sent < HUGE_BYTES:
            handler.wfile.write(chunk)
            sent += len(chunk)
    except OSError:
        pass  # the client gave up, as it should


def _client_gone(handler: Any) -> bool:
    sock = handler.connection
    try:
        sock.setblocking(False)
        try:
            data = sock.recv(1, socket.MSG_PEEK)
            return data == b""
        except BlockingIOError:
            return False
        finally:
            sock.setblocking(True)
    except OSError:
        return True
