"""A generated government open-information site for benchmarks: thousands of notices.

    python -m crawler.samples.gen bench OUT_DIR [--notices 2000]

``build_site(root, notices)`` writes ``root/www/benchgov/…`` (a TRS-style portal:
``xxgk/index.html``, ``index_1.html``, … twenty notices a page, newest first, the pager
written by ``createPageHTML`` plus a plain 下一页 link; detail pages
``xxgk/YYYYMM/tYYYYMMDD_N.html`` with the 信息公开 table, a title heading and the body in
``#zoom``) and ``root/sources.toml``, a registry with the one ``gov_portal`` source whose
URLs use ``{base}``. Serve ``root/www`` with crawler.samples.server.SampleServer: it sends
ETag and Last-Modified and answers conditional requests with 304.

The same ``(notices, seed)`` gives the same bytes and the same file times, so a second
build (or the re-crawl of one build) sees nothing changed. Notices are 2–10 KB of UTF-8,
mostly health and eldercare (so they are archived), one in ten off-topic; one in seven has
no 文号 (identity by text). Texts are composed from a phrase bank with per-notice places,
numbers and dates, so unrelated notices share phrases but are not near-duplicates.

Chrome (``chrome=``): ``"portal"`` (the default) wraps each page in what a real government
portal's page carries around its notice: the column menu, the 信息公开目录 tree, a related-
documents list, the site-group link lists and record numbers of the footer, inline scripts.
It is sized by the real whole government pages of tests/eval/corpus (median 32 KB; the
smallest 7.6 KB, jiangxi.gov.cn 19 KB, wuhan 21 KB, lishui 55 KB): detail pages here come
out at 20–27 KB. ``"minimal"`` is the bare template of earlier benchmarks (3–9 KB pages,
smaller than any real government page of the corpus), kept to compare with their figures.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import tomli_w

from ..markup import ParaStyle
from ..notice import Line, Notice
from ..tree import Tree, write
from . import chrome as portal_chrome

SITE = "benchgov"
SOURCE_ID = "benchgov"
PER_PAGE = 20
# Every file gets this mtime (Last-Modified), so rebuilds look unchanged to a re-crawl.
FILE_TIME = 1_700_000_000
CHROMES = ("portal", "minimal")
# The site's URL layout, for the registry and for the benchmark's Scrapy-alone spider.
DETAIL_PATTERN = r"/xxgk/\d{6}/t\d{8}_\d+\.html$"
LISTING_PATTERN = r"/xxgk/index(_\d+)?\.html$"
# How many other notices a portal detail page lists under 相关文件.
RELATED = 8

_COUNTIES = ["隆阳区", "施甸县", "龙陵县", "昌宁县", "腾冲市", "青山区", "河西区", "东城区", "南湖区", "北塘县",
             "西峰县", "临江市", "安宁区", "永平县", "清河县", "长乐区", "石门县", "桃源县", "新安区", "白水县"]
_AGENCIES = [
    ("云岭市人民政府", "云政发", "11530500MB1A07135X"),
    ("云岭市人民政府办公室", "云政办发", "015276435"),
    ("云岭市卫生健康委员会", "云卫健发", "01527643-5"),
    ("云岭市民政局", "云民发", "58735799-9"),
    ("云岭市医疗保障局", "云医保发", "11530500MB1A0713"),
    ("云岭市老龄工作委员会办公室", "云老龄办发", "58735800-1"),
]
_HEALTH_TITLES = [
    "关于印发{place}基本公共卫生服务项目实施方案的通知", "关于进一步推进医养结合发展的实施意见",
    "关于做好{year}年城乡居民基本医疗保险工作的通知", "关于开展长期护理保险制度试点工作的通知",
    "关于加快发展普惠养老服务的实施方案", "关于印发{place}老年健康服务体系建设方案的通知",
    "关于加强基层医疗卫生机构能力建设的意见", "关于建立经济困难高龄失能老年人补贴制度的通知",
    "关于推进家庭医生签约服务高质量发展的通知", "关于印发{place}养老服务设施专项规划的通知",
    "关于做好老年人居家适老化改造工作的通知", "关于完善医疗保障待遇清单制度的通知",
    "关于开展{year}年度养老机构服务质量提升行动的通知", "关于印发健康{place}行动实施方案的通知",
]
_OFFTOPIC_TITLES = [
    "关于印发{place}城市公共交通优先发展实施方案的通知", "关于做好{year}年春季农业生产工作的通知",
    "关于加强建设工程施工扬尘治理的通知", "关于印发{place}旅游产业发展规划的通知",
]
_HEALTH_SENTENCES = [
    "全面落实基本公共卫生服务项目，65岁及以上老年人健康管理率达到{pct}%以上",
    "推动医疗卫生机构与养老机构签约合作，{place}共建成医养结合机构{n}家",
    "完善居家社区机构相协调、医养康养相结合的养老服务体系",
    "城乡居民基本医疗保险财政补助标准提高到每人每年{money}元",
    "建立健全长期护理保险制度，重点解决重度失能人员基本护理保障需求",
    "加强老年医院、康复医院、护理院和安宁疗护机构建设，护理型床位占比达到{pct}%",
    "支持社区嵌入式养老服务设施建设，每个街道至少建成{n}所综合养老服务中心",
    "落实特困人员供养服务设施改造提升，{place}新增养老床位{money}张",
    "推进家庭医生签约服务，重点人群签约覆盖率不低于{pct}%",
    "加强慢性病综合防控，高血压、糖尿病患者规范管理率达到{pct}%以上",
    "发展银发经济，培育一批康养小镇和智慧健康养老示范基地",
    "医疗保障部门要按规定做好参保缴费、待遇支付和基金监管工作",
    "卫生健康部门要加强对养老机构内设医疗机构的业务指导和监督检查",
    "民政部门要会同有关部门建立养老服务综合监管制度，定期开展质量评估",
    "财政部门要将所需经费纳入年度预算，福利彩票公益金{pct}%以上用于支持发展养老服务",
    "各县（市、区）要结合实际制定具体实施办法，于{month}月底前报市卫生健康委备案",
    "鼓励社会力量举办护理型养老机构，对新建床位给予每张{money}元的一次性建设补助",
    "开展老年人能力综合评估，评估结果作为享受护理补贴和长期护理保险待遇的依据",
    "加快建设全民健康信息平台，实现电子健康档案和电子病历互联互通",
    "强化基层医疗卫生服务网络，乡镇卫生院和村卫生室标准化建设达标率达到{pct}%",
]
_OFFTOPIC_SENTENCES = [
    "优化公交线网布局，{place}新开通公交线路{n}条，公交站点500米覆盖率达到{pct}%",
    "做好春耕备耕物资储备，确保粮食播种面积稳定在{money}亩以上",
    "施工工地必须做到围挡、覆盖、路面硬化、冲洗、洒水和渣土运输车辆密闭六个百分之百",
    "加快推进旅游基础设施建设，打造{n}条精品旅游线路",
    "住房城乡建设部门要加强对施工现场的日常巡查，发现问题限期整改",
    "交通运输部门要会同公安部门做好公交专用道的设置和管理",
]
_HEADINGS = ["一、总体要求", "二、主要任务", "三、保障措施", "四、工作要求", "五、职责分工"]


_BODY = ParaStyle(
    p=lambda t: f'<p align="justify">{t}</p>',
    sign=lambda t: f'<p align="right">{t}</p>',
    head=lambda t: f"<p><b>{t}</b></p>",
)


def _path(no: int, published: date) -> str:
    return f"/{SITE}/xxgk/{published:%Y%m}/t{published:%Y%m%d}_{100000 + no}.html"


def _fill(rng: random.Random, template: str, place: str, year: int) -> str:
    return template.format(place=place, year=year, pct=rng.randint(50, 98), n=rng.randint(2, 60),
                           money=rng.randint(30, 9000), month=rng.randint(1, 12))


def make_notices(count: int, seed: int = 0) -> list[Notice]:
    """``count`` notices, newest first (the listing's order)."""
    rng = random.Random(seed)
    start = date(2016, 1, 4)
    notices = []
    for no in range(count):
        published = start + timedelta(days=no * 3650 // max(count, 1))
        agency, prefix, code = _AGENCIES[rng.randrange(len(_AGENCIES))]
        place = rng.choice(_COUNTIES)
        on_topic = rng.random() >= 0.1
        titles, sentences = (_HEALTH_TITLES, _HEALTH_SENTENCES) if on_topic else (_OFFTOPIC_TITLES, _OFFTOPIC_SENTENCES)
        title = agency + _fill(rng, rng.choice(titles), place, published.year)
        # Body sizes spread the pages over 2–10 KB.
        paragraphs = ["各县（市、区）人民政府，市直各委、办、局：",
                      f"为贯彻落实国家和省有关部署，结合{place}实际，现就有关事项通知如下。"]
        for k in range(rng.randint(0, 16)):
            if k % 3 == 0:
                paragraphs.append(_HEADINGS[(k // 3) % len(_HEADINGS)])
            picked = rng.sample(sentences, k=min(len(sentences), rng.randint(2, 4)))
            paragraphs.append("（" + "一二三四五六七八九十"[k % 10] + "）" +
                              "；".join(_fill(rng, s, rng.choice(_COUNTIES), published.year) for s in picked) + "。")
        signed = published - timedelta(days=rng.randint(1, 12))
        numbered = rng.random() >= 1 / 7
        doc_number = f"{prefix}〔{published.year}〕{no % 400 + 1}号" if numbered else ""
        lines = [Line("head" if text in _HEADINGS else "p", text) for text in paragraphs]
        notices.append(Notice(
            id=str(no), title=title, pages=[lines], agency=agency, doc_number=doc_number,
            topic="health" if on_topic else "offtopic", url=_path(no, published),
            index_number=f"{code}/{published.year}-{no:05d}", signed=signed, published=published,
        ))
    notices.reverse()
    return notices


_HEAD = """<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{title}_云岭市人民政府</title>
<meta name="SiteName" content="云岭市人民政府" />
<meta name="ColumnName" content="信息公开" />
{meta}<link href="/{site}/images/xxgk.css" rel="stylesheet" type="text/css" />
{extra}</head>
<body>
{top}<div class="header"><a class="logo" href="/{site}/index.html"><img src="/{site}/images/logo.png" alt="云岭市人民政府" /></a>
<form class="search" action="/{site}/search" method="get"><input type="text" name="q" /><input type="submit" value="搜索" /></form></div>
<div class="nav"><ul><li><a href="/{site}/index.html">首页</a></li><li><a href="/{site}/xxgk/index.html">政务公开</a></li><li><a href="/{site}/hdjl/">互动交流</a></li><li><a href="/{site}/zwfw/">政务服务</a></li></ul></div>
<div class="main">
<div class="position">当前位置：<a href="/{site}/index.html">首页</a> &gt; <a href="/{site}/xxgk/index.html">信息公开</a></div>
{side}"""
_FOOT = """</div>
{links}<div class="footer"><p>主办单位：云岭市人民政府办公室　　承办：云岭市人民政府信息中心</p>
<p>地址：云岭市正阳北路6号　　联系电话：0875-2120123　　<a href="https://beian.miit.gov.cn/">滇ICP备05003221号-1</a></p></div>
</body>
</html>
"""


def _head(title: str, meta: str, chrome: str) -> str:
    if chrome == "portal":
        return _HEAD.format(title=title, meta=meta, site=SITE, extra=portal_chrome.head_extra(SITE),
                            top=portal_chrome.header(SITE), side=portal_chrome.catalog(SITE))
    return _HEAD.format(title=title, meta=meta, site=SITE, extra="", top="", side="")


def _foot(chrome: str) -> str:
    return _FOOT.format(links=portal_chrome.footer(SITE) if chrome == "portal" else "")


def detail_html(n: Notice, newer: Notice | None, older: Notice | None, chrome: str = "portal",
                related: tuple[Notice, ...] = ()) -> str:
    meta = (f'<meta name="ArticleTitle" content="{n.title}" />\n'
            f'<meta name="PubDate" content="{n.published:%Y-%m-%d} 10:00" />\n')
    rows = (
        f'<tr><td class="td_lable">索\u3000引\u3000号：</td><td class="td_content">{n.index_number}</td>'
        f'<td class="td_lable">发文机关：</td><td class="td_content">{n.agency}</td></tr>\n'
        f'<tr><td class="td_lable">成文日期：</td><td class="td_content">{n.signed:%Y-%m-%d}</td>'
        f'<td class="td_lable">发布日期：</td><td class="td_content">{n.published:%Y-%m-%d}</td></tr>\n'
        f'<tr><td class="td_lable">文\u3000\u3000号：</td><td class="td_content">{n.doc_number}</td>'
        f'<td class="td_lable">主题分类：</td><td class="td_content">{"卫生、体育" if n.on_topic else "城乡建设"}</td></tr>\n'
    )
    body = _BODY.render(n.lines, indent="\u3000\u3000")
    sign = (f'<p align="right">{n.agency}</p>\n'
            f'<p align="right">{n.signed.year}年{n.signed.month}月{n.signed.day}日</p>')
    def link(other: Notice | None) -> str:
        return f'<a href="{other.url}">{other.title}</a>' if other else "没有了"
    return (
        _head(n.title, meta, chrome)
        + '<table class="xxgk_table" width="100%"><tbody>\n' + rows + "</tbody></table>\n"
        + f'<div class="detail"><h1 class="detail_title">{n.title}</h1>\n'
        + f'<div class="detail_info"><span>发布时间：{n.published:%Y-%m-%d} 10:00</span><span>来源：{n.agency}</span></div>\n'
        + '<div id="zoom" class="view_content">\n' + body + "\n" + sign + "\n</div>\n"
        + (portal_chrome.share_bar() if chrome == "portal" else "")
        + '<div class="share_bar"><a href="javascript:window.print();">【打印本页】</a><a href="javascript:window.close();">【关闭窗口】</a></div>\n'
        + f'<div class="prev_next"><p>上一篇：{link(newer)}</p><p>下一篇：{link(older)}</p></div>\n</div>\n'
        + (portal_chrome.related([(r.url, r.title) for r in related]) if chrome == "portal" else "")
        + _foot(chrome)
    )


def _page_name(page_no: int) -> str:
    return "index.html" if page_no == 0 else f"index_{page_no}.html"


def listing_html(page: list[Notice], page_no: int, pages: int, chrome: str = "portal") -> str:
    items = "\n".join(
        f'<li><a href="{n.url}" target="_blank" title="{n.title}">{n.title[:28]}{"..." if len(n.title) > 28 else ""}</a>'
        f'<span class="xxgk_doc">{n.doc_number}</span><span class="xxgk_date">{n.published:%Y-%m-%d}</span></li>'
        for n in page
    )
    nxt = (f'<a href="{_page_name(page_no + 1)}" class="next">下一页</a>' if page_no + 1 < pages
           else '<span class="disabled">下一页</span>')
    pager = (
        '<div class="page_nav">\n<script type="text/javascript">\n'
        f'createPageHTML({pages}, {page_no}, "index", "html");\n</script>\n'
        f'<span class="page_plain"><a href="index.html">首页</a> {nxt} <a href="{_page_name(pages - 1)}">尾页</a></span>\n'
        f'<span class="page_info">共{pages}页 当前第{page_no + 1}页</span>\n</div>\n'
    )
    return (_head("信息公开", "", chrome) + '<div class="xxgk_right">\n<ul class="xxgk_list">\n'
            + items + "\n</ul>\n" + pager + "</div>\n" + _foot(chrome))


def registry_text(pages: int) -> str:
    source = {
        "id": SOURCE_ID,
        "name": "云岭市人民政府 信息公开（生成的基准站点）",
        "kind": "gov",
        "family": "gov_portal",
        "region": "云岭市",
        "base_url": f"{{base}}/{SITE}/",
        "start_urls": [f"{{base}}/{SITE}/xxgk/index.html"],
        "list_links": "ul.xxgk_list li > a",
        "next_page": "div.page_nav a.next",
        "max_pages": pages + 1,
        "detail_pattern": DETAIL_PATTERN,
        "enabled": True,
        "notes": f"generated: {pages} listing pages of {PER_PAGE}, TRS createPageHTML pager plus a 下一页 link",
    }
    return ("# The generated benchmark site (crawler/samples/gen/bench); {base} = the server's address.\n"
            + tomli_w.dumps({"source": [source]}))


@dataclass(frozen=True)
class Site:
    root: Path  # serve root / "www"
    registry: Path
    notices: list[Notice]
    listing_pages: int
    chrome: str = "portal"

    @property
    def www(self) -> Path:
        return self.root / "www"

    def detail_files(self) -> list[Path]:
        return [self.www / n.url.lstrip("/") for n in self.notices]


def _related(items: list[Notice], i: int) -> tuple[Notice, ...]:
    """Notices of the same agency near this one, as a portal's 相关文件 list picks them."""
    near = [m for m in items[max(0, i - 40):i + 40] if m.agency == items[i].agency and m.id != items[i].id]
    return tuple(near[:RELATED])


def build_site(root: Path | str, notices: int = 2000, seed: int = 0, chrome: str = "portal") -> Site:
    if chrome not in CHROMES:
        raise ValueError(f"chrome must be one of {CHROMES}, not {chrome!r}")
    root = Path(root)
    items = make_notices(notices, seed)
    pages = (len(items) + PER_PAGE - 1) // PER_PAGE
    tree = Tree()
    tree.site(f"www/{SITE}", "utf-8")
    for page_no in range(pages):
        tree.add(f"www/{SITE}/xxgk/{_page_name(page_no)}",
                 listing_html(items[page_no * PER_PAGE:(page_no + 1) * PER_PAGE], page_no, pages, chrome))
    for i, n in enumerate(items):
        newer = items[i - 1] if i > 0 else None
        older = items[i + 1] if i + 1 < len(items) else None
        tree.add("www" + n.url, detail_html(n, newer, older, chrome, _related(items, i) if chrome == "portal" else ()))
    tree.add("sources.toml", registry_text(pages))
    write(root, tree.files, (f"www/{SITE}", "sources.toml"), mtime=FILE_TIME)
    return Site(root=root, registry=root / "sources.toml", notices=items, listing_pages=pages, chrome=chrome)
