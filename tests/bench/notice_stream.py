"""A stream of generated notice pages as the pipeline hands them to ingest (PageRecords).

What an archive fills with: fresh notices on government sites (most with a 文号 like
苏卫发〔2021〕12号, some without), aggregator copies of earlier notices (the site's header
and footer, re-wrapped lines, with or without the 文号), revisions of earlier notices at
the same URL, unchanged re-fetches, and off-topic pages. The text comes from the search
benchmark's vocabulary and sentence frames (tests/bench/search_corpus.py), 2–10 KB of
UTF-8 per body; no real notice is copied. Deterministic for a seed.
"""
from __future__ import annotations

import random
import textwrap
import zlib
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone

from crawler.extract.model import Extraction
from crawler.items import CapturedPart, PageRecord
from tests.bench.search_corpus import AGENCIES, DOC_TYPES, TITLE_FRAMES, Generator

GOV_SITES = [
    ("gov-js", "江苏省", "苏卫发"), ("gov-zj", "浙江省", "浙民发"), ("gov-gd", "广东省", "粤医保发"),
    ("gov-bj", "北京市", "京政办发"), ("gov-sh", "上海市", "沪卫规"), ("gov-sc", "四川省", "川卫发"),
    ("gov-sd", "山东省", "鲁政办字"), ("gov-nhc", "全国", "国卫老龄发"), ("gov-nhsa", "全国", "医保发"),
    ("gov-mca", "全国", "民发"),
]
# A few sites carry most notices (a national library, a big province), as in a real crawl.
SITE_WEIGHTS = [10, 4, 3, 2, 2, 1, 1, 1, 1, 1]
AGGREGATORS = ["agg-policy", "agg-law"]
NATIONAL_CODES = ["国发", "国办发", "国办函", "国卫办医发", "人社部发"]
T0 = datetime(2024, 1, 1, 8, 0, tzinfo=timezone.utc)
AGG_HEADER = "来源：{site}  发布时间：{day}  点击数：{n}\n"
AGG_FOOTER = "\n【打印本页】【关闭窗口】\n"


@dataclass
class Notice:
    """One generated notice as its government site shows it (the latest text)."""

    site: str
    region: str
    url: str
    title: str
    doc_number: str | None
    agency: str
    published: date
    text: str
    cited: list[str] = field(default_factory=list)
    revision: int = 0


def registry_sources() -> list:
    """Registry entries for the stream's sites (regions matter to metadata)."""
    from spiders.registry import Source

    out = [Source(id=s, name=s, kind="gov", family="generic", region=r, start_urls=(f"http://{s}.example/",))
           for s, r, _ in GOV_SITES]
    out += [Source(id=a, name=a, kind="aggregator", family="generic", start_urls=(f"http://{a}.example/",))
            for a in AGGREGATORS]
    return out


class NoticeStream:
    def __init__(self, seed: int = 2024) -> None:
        self.rng = random.Random(seed)
        self.words = Generator(seed=seed)
        self.notices: list[Notice] = []
        self.serials: dict[tuple[str, int], int] = {}
        self.clock = T0
        self.count = 0

    # --- the pieces of a page -------------------------------------------------------

    def _tick(self) -> datetime:
        self.clock += timedelta(seconds=37)
        return self.clock

    def _body(self, chars: int) -> str:
        rng = self.rng
        main, *others = rng.sample(range(len(self.words.themes)), rng.randint(1, 3))
        pools = [self.words.by_theme[main]] * 3 + [self.words.by_theme[o] for o in others]
        sentences = [self.words.sentences[rng.choice(rng.choice(pools))] for _ in range(max(8, chars // 38))]
        return "\n".join("".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4))

    def _number(self, code: str, year: int) -> str:
        key = (code, year)
        self.serials[key] = self.serials.get(key, 0) + 1
        return f"{code}〔{year}〕{self.serials[key]}号"

    @staticmethod
    def _html(title: str, text: str, chrome: str) -> bytes:
        paras = "".join(f"<p>{line}</p>" for line in text.split("\n"))
        return (f"<html><head><meta charset=utf-8><title>{title}</title></head><body>"
                f"<div class=nav>{chrome}</div><h1>{title}</h1><div id=zoom>{paras}</div>"
                f"<div class=foot>版权所有 {chrome}</div></body></html>").encode("utf-8")

    def _record(self, source_id: str, kind: str, url: str, title: str, text: str, *,
                doc_number: str | None, agency: str | None, region: str | None, published: date,
                cited: list[str], topics: list[str], chrome: str) -> PageRecord:
        at = self._tick()
        body = self._html(title, text, chrome)
        part = CapturedPart(url=url, final_url=url, status=200, body=body, fetched_at=at, encoding="utf-8",
                            etag=f'"{zlib.crc32(body):08x}"',
                            last_modified=at.strftime("%a, %d %b %Y %H:%M:%S GMT"), content_type="text/html")
        ex = Extraction(title=title, text=text, doc_number=doc_number, doc_number_raw=doc_number, agency=agency,
                        region=region, published_date=published, signed_date=published,
                        doc_type=self.rng.choice(DOC_TYPES), topics=topics, cited_doc_numbers=cited,
                        encoding="utf-8")
        return PageRecord(source_id, kind, [part], ex)

    def _gov_record(self, n: Notice) -> PageRecord:
        return self._record(n.site, "gov", n.url, n.title, n.text, doc_number=n.doc_number, agency=n.agency,
                            region=None if n.region == "全国" else n.region, published=n.published,
                            cited=n.cited, topics=["health", "eldercare"], chrome=f"{n.site} 首页 政务公开")

    # --- pages ----------------------------------------------------------------------

    def fresh(self) -> PageRecord:
        """A new notice on a government site."""
        rng = self.rng
        self.count += 1
        site, region, code = rng.choices(GOV_SITES, SITE_WEIGHTS)[0]
        published = date(2015, 1, 1) + timedelta(days=rng.randint(0, 10 * 365))
        theme = rng.choice(self.words.themes)
        title = rng.choice(TITLE_FRAMES).format(a=rng.choice(theme), b=rng.choice(theme), t=rng.choice(DOC_TYPES),
                                                r="" if region == "全国" else region)
        cited = [n.doc_number for n in rng.sample(self.notices, min(len(self.notices), rng.randint(0, 2)))
                 if n.doc_number and rng.random() < 0.5]
        if rng.random() < 0.4:  # a national document the archive does not have (yet)
            cited.append(f"{rng.choice(NATIONAL_CODES)}〔{rng.randint(2005, 2020)}〕{rng.randint(1, 120)}号")
        # UTF-8 Chinese is 3 bytes a character: 700–3,300 characters are 2–10 KB.
        text = self._body(int(min(3300, max(700, rng.lognormvariate(7.3, 0.45)))))
        if cited:
            text = f"根据《有关文件》（{cited[0]}）精神，结合实际，现就有关事项通知如下。\n" + text
        notice = Notice(
            site=site, region=region, title=title, published=published, text=text, cited=cited,
            url=f"http://{site}.example/zwgk/{published:%Y%m}/t{published:%Y%m%d}_{self.count}.html",
            doc_number=self._number(code, published.year) if rng.random() < 0.85 else None,
            agency=rng.choice(AGENCIES),
        )
        self.notices.append(notice)
        return self._gov_record(notice)

    def copy(self, notice: Notice | None = None) -> PageRecord:
        """An aggregator's copy of an earlier notice: its chrome, re-wrapped, maybe without the 文号."""
        rng = self.rng
        n = notice or rng.choice(self.notices)
        agg = rng.choice(AGGREGATORS)
        flat = n.text.replace("\n", "").replace("，", ",").replace("。", ".")
        body = "\n".join("\u3000\u3000" + line for line in textwrap.wrap(flat, rng.randint(28, 40)))
        text = AGG_HEADER.format(site=n.site, day=n.published, n=rng.randint(10, 9999)) + body + AGG_FOOTER
        self.count += 1
        return self._record(agg, "aggregator", f"http://{agg}.example/a/{self.count}.html", n.title, text,
                            doc_number=n.doc_number if rng.random() < 0.6 else None, agency=n.agency,
                            region=None, published=n.published, cited=n.cited, topics=["health"],
                            chrome=f"{agg} 政策法规库")

    def revision(self) -> PageRecord:
        """An earlier notice revised at its own URL: a few sentences rewritten."""
        rng = self.rng
        n = rng.choice(self.notices)
        lines = n.text.split("\n")
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(lines))
            lines[i] = self._body(120).replace("\n", "")
        n.text, n.revision = "\n".join(lines), n.revision + 1
        return self._gov_record(n)

    def refetch(self) -> PageRecord:
        """An earlier notice fetched again, unchanged (a site without validators)."""
        return self._gov_record(self.rng.choice(self.notices))

    def offtopic(self) -> PageRecord:
        rng = self.rng
        site = rng.choice(GOV_SITES)[0]
        self.count += 1
        record = self._record(site, "gov", f"http://{site}.example/xwdt/{self.count}.html", "工作动态",
                              self._body(800), doc_number=None, agency=None, region=None,
                              published=date(2024, 1, 1), cited=[], topics=[], chrome="新闻")
        return replace(record, extraction=replace(record.extraction, topics=[]))

    def known(self) -> Notice:
        """An archived notice (for a not-modified re-check)."""
        return self.rng.choice(self.notices)

    def mixed(self) -> tuple[str, PageRecord]:
        """The next page of a crawl that fills an archive: mostly new notices."""
        if not self.notices:
            return "fresh", self.fresh()
        r = self.rng.random()
        if r < 0.72:
            return "fresh", self.fresh()
        if r < 0.84:
            return "copy", self.copy()
        if r < 0.90:
            return "revision", self.revision()
        if r < 0.95:
            return "refetch", self.refetch()
        return "offtopic", self.offtopic()
