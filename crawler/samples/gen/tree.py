"""The tree builder, the ground-truth format and the checker every generated site shares.

A build is a ``Tree``: relative path -> the bytes a site serves (pages already encoded in
their site's charset, GBK included), plus the ground-truth records of its pages. ``write``
puts a tree on disk, ``check`` compares a fresh tree with the committed one, and
``ground_truth`` writes the expected.toml of the demo sites and of the fixtures alike.
"""
from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import tomli_w

from crawler.samples.server import post_file_name, query_file_name


@dataclass
class Tree:
    """Files (path -> bytes) and the ground-truth records of the pages among them."""

    files: dict[str, bytes] = field(default_factory=dict)
    records: list[dict] = field(default_factory=list)

    def add(self, path: str, body: str | bytes, encoding: str = "utf-8") -> None:
        data = body if isinstance(body, bytes) else body.encode(encoding)
        if self.files.get(path, data) != data:
            raise ValueError(f"{path} written twice, with other bytes")
        self.files[path] = data

    def add_url(self, url: str, body: str | bytes, encoding: str = "utf-8", post: Any = None) -> None:
        """Store the answer to a GET of ``url`` (or a POST of JSON ``post`` to it) under
        the file name the sample server looks up for that request: ``<host>/<path>``."""
        parts = urlsplit(url)
        path = parts.path.lstrip("/")
        if not path or path.endswith("/"):
            path += "index.html"
        elif "." not in path.rsplit("/", 1)[-1] and not parts.query and post is None:
            path += "/index.html"  # an extensionless page (/gkmlpt/index): served as a directory
        # the file system folds `count//0115005` (a real pager's path) to one slash, as the server finds it
        rel = re.sub("/{2,}", "/", f"{parts.netloc}/{path}")
        if post is not None:
            rel = post_file_name(rel, json.dumps(post, ensure_ascii=False, sort_keys=True).encode("utf-8"))
        elif parts.query:
            rel = query_file_name(rel, parts.query)
        self.add(rel, body, encoding)

    def site(self, where: str, charset: str | bool = "utf-8", note: str = "", guard: str = "") -> None:
        """The serving rules of a site (its ``_site.toml``); ``where`` is its folder or a URL on it.
        ``charset``: the Content-Type charset the server sends, False for none."""
        rules: dict[str, Any] = {"charset_header": charset, **({"guard": guard} if guard else {})}
        text = (f"# {note}\n" if note else "") + tomli_w.dumps(rules)
        self.add(f"{urlsplit(where).netloc or where}/_site.toml", text)

    def update(self, other: Tree, prefix: str = "") -> None:
        for path, data in other.files.items():
            self.add(prefix + path, data)
        self.records.extend(other.records)


# --- ground truth ---------------------------------------------------------------------
def _present(record: dict) -> dict:
    # TOML has no null: a field the page does not carry is left out
    return {key: value for key, value in record.items() if value is not None}


def ground_truth(header: str, tables: list[tuple[str, dict]]) -> str:
    """An expected.toml: the header comment, then each table (``[[page]]``, ``[notice.x]``…)."""
    doc: dict[str, Any] = {}
    for name, record in tables:
        if name.startswith("[["):
            doc.setdefault(name.strip("[]"), []).append(_present(record))
        else:
            top, key = name.strip("[]").split(".", 1)
            doc.setdefault(top, {})[key] = _present(record)
    return header + "\n" + tomli_w.dumps(doc)


# --- on disk ----------------------------------------------------------------------------
def _scope(root: Path, owned: tuple[str, ...] | None) -> list[Path]:
    return [root] if owned is None else [root / name for name in owned]


def read(root: Path, owned: tuple[str, ...] | None = None) -> dict[str, bytes]:
    """The files of a tree on disk; ``owned``: the paths under root a build owns (None: all)."""
    out = {}
    for top in _scope(root, owned):
        found = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        out.update({p.relative_to(root).as_posix(): p.read_bytes() for p in found})
    return out


def write(root: Path, files: dict[str, bytes], owned: tuple[str, ...] | None = None,
          mtime: int | None = None) -> None:
    """Replace what the build owns under root with ``files``; ``mtime`` fixes every file's
    time (Last-Modified), so that a rebuild looks unchanged to a re-crawl."""
    for top in _scope(root, owned):
        if top.is_dir():
            shutil.rmtree(top)
        elif top.exists():
            top.unlink()
    for path, data in sorted(files.items()):
        file = root / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(data)
        if mtime is not None:
            os.utime(file, (mtime, mtime))


def check(root: Path, files: dict[str, bytes], owned: tuple[str, ...] | None = None) -> list[str]:
    """The paths where the tree on disk differs from a fresh build (missing, extra or other bytes)."""
    current = read(root, owned)
    return sorted(p for p in files.keys() | current.keys() if files.get(p) != current.get(p))
