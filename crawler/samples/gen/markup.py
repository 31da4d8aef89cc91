"""What the page templates of every generated site share: escaping, links, paragraph styles,
Chinese dates and the bare page around a body."""
from __future__ import annotations

import html
import posixpath
from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterable

from .notice import Line


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def rel(from_path: str, to_path: str) -> str:
    """A relative link from one page to another, both given as paths under www/."""
    return posixpath.relpath(to_path, posixpath.dirname(from_path) or ".")


@dataclass(frozen=True)
class ParaStyle:
    """How a site writes the three kinds of lines; each takes the escaped text."""

    p: Callable[[str], str]
    sign: Callable[[str], str]
    head: Callable[[str], str]

    def render(self, lines: Iterable[Line], indent: str = "") -> str:
        out = []
        for line in lines:
            text = esc(line.text)
            if line.kind == "p":
                out.append(self.p(indent + text))
            else:
                out.append(getattr(self, line.kind)(text))
        return "\n".join(out)


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def cn_date_padded(d: date) -> str:
    return f"{d.year}年{d.month:02d}月{d.day:02d}日"


def page(title: str, body: str, charset: str = "utf-8", head: str = "") -> str:
    return (f'<!DOCTYPE html>\n<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset={charset}">\n'
            f"<title>{title}</title>\n{head}</head>\n<body>\n{body}\n</body>\n</html>\n")
