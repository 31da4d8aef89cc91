"""What every fixture dialect shares: the output bundle and page scaffolding."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from crawler.samples.server import post_file_name, query_file_name
from spiders.fixturegen.notices import Notice


@dataclass
class Built:
    """The files of one source's fixture and its ground truth."""

    files: dict[str, bytes] = field(default_factory=dict)  # "<host>/<path>" -> raw bytes
    charsets: dict[str, Any] = field(default_factory=dict)  # host -> charset_header
    expected: dict[str, Any] = field(default_factory=dict)

    def put(self, url: str, body: str | bytes, encoding: str = "utf-8", post: Any = None) -> None:
        """Store the answer to a GET of ``url`` (or a POST of JSON ``post`` to it)."""
        parts = urlsplit(url)
        path = parts.path.lstrip("/")
        if not path or path.endswith("/"):
            path += "index.html"
        elif "." not in path.rsplit("/", 1)[-1] and not parts.query and post is None:
            path += "/index.html"  # an extensionless page (/gkmlpt/index): served as a directory
        rel = f"{parts.netloc}/{path}"
        if post is not None:
            rel = post_file_name(rel, json.dumps(post, ensure_ascii=False, sort_keys=True).encode("utf-8"))
        elif parts.query:
            rel = query_file_name(rel, parts.query)
        self.files[rel] = body if isinstance(body, bytes) else body.encode(encoding)

    def site(self, url: str, charset: Any = "utf-8") -> None:
        self.charsets[urlsplit(url).netloc] = charset

    def expect(self, listing: str, page1: list[Notice], next_page: str | None, page2: list[Notice],
               first: Notice, more: list[Notice] = ()) -> None:
        self.expected = {
            "listing": listing,
            "notices": [n.url for n in page1],
            "next_page": next_page or "",
            "page2_notices": [n.url for n in page2],
            "other_notices": [n.url for n in more],
            "first": {"url": first.url, "title": first.title, "doc_number": first.doc_number, "date": first.iso},
        }


def page(title: str, body: str, charset: str = "utf-8", head: str = "") -> str:
    return (f'<!DOCTYPE html>\n<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset={charset}">\n'
            f"<title>{title}</title>\n{head}</head>\n<body>\n{body}\n</body>\n</html>\n")


NAV = ('<div class="header"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/xxgk/">信息公开</a></li>'
       '<li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>')
FOOT = '<div class="footer"><p>主办单位：{agency}　网站标识码：{code}　ICP备案号：京ICP备05052830号</p></div>'
