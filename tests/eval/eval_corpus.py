"""The labeled pages of the evaluation: the seeds and real pages of corpus/labels.toml,
and the sample-site pages of crawler/samples/expected.toml, read in place. The real pages
and their gold bodies are third-party data, read from outside the repository
(tests/third_party.py); the labels are ours and always here."""
from __future__ import annotations

import hashlib
import html
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

EVAL_DIR = Path(__file__).resolve().parent
CORPUS_DIR = EVAL_DIR / "corpus"
SAMPLE_DIR = EVAL_DIR.parents[1] / "crawler" / "samples"
if str(EVAL_DIR.parents[1]) not in sys.path:
    sys.path.insert(0, str(EVAL_DIR.parents[1]))

from tests import third_party  # noqa: E402
SAMPLE_BASE = "http://127.0.0.1:8765"

GROUPS = ("seeds", "sample_sites", "real")
# the real pages are scored in two splits, by site; the seeds and sample sites (pages we
# wrote) are a regression group, never part of the score
SPLITS = ("dev", "test", "regression")
META_FIELDS = ("title", "doc_number", "agency", "signed_date", "published_date", "index_number")

_MARKUP = {"> ": "", "# ": ""}
_PAGE_BREAK = "<<<page>>>"


@dataclass
class LabeledPage:
    id: str
    group: str
    family: str
    files: list[Path]  # the page, then its continuation pages
    url: str | None
    want: dict  # META_FIELDS; doc_number None = the page has no own number
    gold: str
    optional: list[str] = field(default_factory=list)
    junk_extra: list[str] = field(default_factory=list)
    declared_encoding: str | None = None
    sha256: str | None = None
    site: str | None = None  # the host a real page was published on
    cms: str | None = None  # its CMS family
    split: str = "regression"  # dev | test for real pages
    present: bool = True  # False: a real page whose bytes or gold are not in the data directory

    def bodies(self) -> list[bytes]:
        return [path.read_bytes() for path in self.files]


def load_labels(path: Path = CORPUS_DIR / "labels.toml") -> dict:
    return tomllib.loads(path.read_text("utf-8"))


def notice_text(path: Path) -> str:
    """A sample-site notice's clean text: its lines without the markup of its format."""
    body = path.read_text("utf-8").split("+++\n", 2)[2]
    lines = []
    for line in body.splitlines():
        line = line.rstrip()
        if not line or line == _PAGE_BREAK:
            continue
        for mark in _MARKUP:
            if line.startswith(mark):
                line = line[len(mark) :]
        lines.append(line)
    return "\n".join(lines)


def _want(entry: dict) -> dict:
    want = {name: entry.get(name) for name in META_FIELDS}
    # "" in the labels (or a missing key in expected.toml) = no own 文号
    want["doc_number"] = want["doc_number"] or None
    return want


def split_of_site(site: str, seen_before: bool) -> str:
    """The rule the recorded split follows (labels.toml, [split]): a site read while
    the rules were written is dev; any other by the first byte of its sha256."""
    if seen_before:
        return "dev"
    return "test" if hashlib.sha256(site.encode("utf-8")).digest()[0] < 0x80 else "dev"


def _labeled_entries(labels: dict) -> list[LabeledPage]:
    splits = labels.get("split", {})
    pages = []
    for entry in labels["page"]:
        if "sample_path" in entry:
            files = [SAMPLE_DIR / "www" / entry["sample_path"].lstrip("/")]
        else:
            files = [third_party.eval_corpus_path(entry["file"])]
        gold_file = (third_party.eval_corpus_path if entry["group"] == "real" else CORPUS_DIR.joinpath)(entry["gold"])
        present = gold_file.is_file() and all(path.is_file() for path in files)
        pages.append(
            LabeledPage(
                id=entry["id"],
                group=entry["group"],
                family=entry["family"],
                files=files,
                url=entry.get("url") or None,
                want=_want(entry),
                gold=gold_file.read_text("utf-8") if present else "",
                optional=list(entry.get("optional", [])),
                junk_extra=list(entry.get("junk", [])),
                sha256=entry.get("sha256"),
                site=entry.get("site"),
                cms=entry.get("cms"),
                split=splits.get(entry.get("site", ""), "unsplit") if entry["group"] == "real" else "regression",
                present=present,
            )
        )
    return pages


def _sample_entries(claimed: set[str]) -> list[LabeledPage]:
    expected = tomllib.loads((SAMPLE_DIR / "expected.toml").read_text("utf-8"))
    pages = []
    for entry in expected["page"]:
        if entry["path"] in claimed:
            continue  # a seed page: scored once, under its own labels
        optional = [entry["title"], entry.get("shown_title", ""), entry.get("doc_number_raw", "")]
        pages.append(
            LabeledPage(
                id="sample:" + entry["path"],
                group="sample_sites",
                family=entry["site"],
                files=[SAMPLE_DIR / "www" / part.lstrip("/") for part in entry["parts"]],
                url=SAMPLE_BASE + entry["path"],
                want=_want(entry),
                gold=notice_text(SAMPLE_DIR / "notices" / f"{entry['notice']}.txt"),
                optional=[line for line in optional if line],
                declared_encoding=entry.get("header_charset") or None,
            )
        )
    return pages


def load_corpus(labels: dict | None = None, *, absent: bool = False) -> list[LabeledPage]:
    """Every labeled page, seeds first, then the sample sites, then the real pages.
    Real pages whose data is not present are left out, unless ``absent``: then they come
    with ``present=False`` and no gold, for checks of the labels alone."""
    labels = labels if labels is not None else load_labels()
    own = [page for page in _labeled_entries(labels) if page.present or absent]
    claimed = {
        "/" + str(p.files[0].relative_to(SAMPLE_DIR / "www")) for p in own if SAMPLE_DIR / "www" in p.files[0].parents
    }
    pages = own + _sample_entries(claimed)
    return sorted(pages, key=lambda p: (GROUPS.index(p.group), p.id))


def absent_real_pages(labels: dict | None = None) -> list[str]:
    """The ids of the real pages whose bytes or gold are not in the data directory."""
    return [page.id for page in load_corpus(labels, absent=True) if not page.present]


def junk_lists(labels: dict, page: LabeledPage) -> tuple[list[str], list[str]]:
    """The shared junk markers, and this page's own (its site's and its labels')."""
    return list(labels.get("shared_junk", [])), [*labels.get("site_junk", {}).get(page.family, []), *page.junk_extra]


_SCRIPT = re.compile(r"(?is)<(script|style|noscript)\b.*?</\1\s*>")
_TAG = re.compile(r"(?s)<[^>]*>")
_COMMENT = re.compile(r"(?s)<!--.*?-->")


_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_-]+)""")


def plain_decode(body: bytes) -> str:
    """The page as text, by its declared charset when that reads strictly, else UTF-8,
    else GB18030. Not our decoder on purpose: the corpus checks must not depend on the
    code they grade (a garbling decoder would garble the gold check with it)."""
    m = _CHARSET.search(body[:4096])
    declared = m.group(1).decode("ascii").lower() if m else "utf-8"
    if declared in ("gb2312", "gbk", "x-gbk"):
        declared = "gb18030"
    for encoding in (declared, "utf-8", "gb18030"):
        try:
            return body.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return body.decode("utf-8", "replace")


def visible_text(body: bytes) -> str:
    """What a reader sees of a page, roughly: no scripts, styles, comments or tags.
    Plain regular expressions on purpose: a parser that gives up on broken markup
    would hide chrome that a reader still sees."""
    text = plain_decode(body)
    text = _COMMENT.sub(" ", _SCRIPT.sub(" ", text))
    return html.unescape(_TAG.sub("\n", text))
