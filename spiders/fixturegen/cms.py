"""Fixture dialects of provincial and city CMS families: Hanweb JCMS, gkmlpt, TRS t-date
listings, Shanghai's date/hex pages, Liaoning's web-idx pages, 博达 VSB site search."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode, urlsplit

from spiders.fixturegen.common import FOOT, NAV, Built, page
from spiders.fixturegen.govsites import START
from spiders.fixturegen.notices import Notice, body_html, make_notices

_CHINA = timezone(timedelta(hours=8))


def _origin(url: str) -> str:
    p = urlsplit(url)
    return f"{p.scheme}://{p.netloc}"


def _meta_table(n: Notice, labels=("索引号", "发布机构", "发文日期", "文号")) -> str:
    idx, org, day, num = labels
    return ('<table class="xxgk_table" width="100%">\n'
            f"<tr><th>{idx}：</th><td>{n.index_number}</td><th>主题分类：</th><td>卫生健康</td></tr>\n"
            f"<tr><th>{org}：</th><td>{n.agency}</td><th>{day}：</th><td>{n.iso}</td></tr>\n"
            f"<tr><th>{num}：</th><td>{n.doc_number}</td><th>有效性：</th><td>有效</td></tr>\n"
            f'<tr><th>名称：</th><td colspan="3">{n.title}</td></tr>\n</table>')


def _article(n: Notice, container: str, footer_agency: str, code: str, meta: str = "") -> str:
    tag, _, rest = container.partition(".")
    attr = f'id="{container[1:]}"' if container.startswith("#") else f'class="{rest}"'
    tag = "div" if container.startswith(("#", ".")) else tag
    body = (f'{NAV}\n<div class="main">\n{meta}\n<div class="article-title"><h1>{n.title}</h1></div>\n'
            f'<div class="article-info"><span>发布日期：{n.iso}</span><span>来源：{n.agency}</span></div>\n'
            f'<{tag} {attr}>\n<p style="text-align:center">{n.doc_number}</p>\n{body_html(n)}\n'
            f'<p style="text-align:right">{n.agency}</p>\n<p style="text-align:right">{n.date.year}年{n.date.month}月{n.date.day}日</p>\n'
            f"</{tag}>\n</div>\n" + FOOT.format(agency=footer_agency, code=code))
    return page(n.title, body)


def _js_json(value) -> str:
    """JSON as gkmlpt embeds it in a script: markup escaped as \\u003C / \\u003E."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003C").replace(">", "\\u003E")


def hanweb(src, cfg) -> Built:
    """/col/colNNN/index.html: records as CDATA in <script type="text/xml"><datastore>; later
    records through dataproxy.jsp (plain ids), or none where the pager's ids are encrypted (nhsa)."""
    b = Built()
    listing = src.start_urls[0]
    b.site(listing)
    origin, col = _origin(listing), cfg["col"]
    count = 5 if cfg.get("unitid") else 4
    notices = make_notices(src.id, cfg["agency"], cfg["region"], cfg["prefix"], count,
                           lambda i, day: f"{origin}/art/{day.year}/{day.month}/{day.day}/art_{col}_{11234567 - 97 * i}.html",
                           START)
    for n in notices:
        b.put(n.url, _article(n, "#zoom", cfg["agency"], cfg["code"], _meta_table(n)))

    def record(n: Notice) -> str:
        href = n.url.removeprefix(origin)
        if cfg.get("unitid"):
            return (f'<record><![CDATA[<li class="clearfix"><a href="{href}" title="{n.title}" target="_blank">{n.title}</a>'
                    f'<span class="time">{n.iso}</span></li>]]></record>')
        return (f'<record><![CDATA[<li><a href="{href}" title="{n.title}" target="_blank">{n.title}</a>'
                f'<span>{n.doc_number}</span><span>{n.iso}</span></li>]]></record>')

    first = notices[:3] if cfg.get("unitid") else notices
    if cfg.get("unitid"):
        ids = f"webid={cfg['webid']}&path=/&columnid={col}&unitid={cfg['unitid']}"
        nextgroup = f'<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&{ids}&permissiontype=0"></a>'
        script = (f"<script>$(function(){{ $('#{cfg['unitid']}').jpage({{ dataStore: dataStore, perPage: 3, "
                  f"totalRecord: {count}, groupSize: 1, proxyUrl: '/module/web/jpage/dataproxy.jsp' }}); }});</script>")
        div = cfg["unitid"]
    else:
        # nhsa's pager: the ids are encrypted, nothing to page through with
        nextgroup = ('<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=Hq3Lb9Ve&path=/&columnid=XPn2Vd&unitid='
                     'Cg7Kq1Ww&webname=&permissiontype=0"></a>')
        script = "<script>$(function(){ $('#cms_datastore').jpage({ perPage: 15, groupSize: 3 }); });</script>"
        div = "cms_datastore"
    store = (f'<div id="{div}"><script type="text/xml"><datastore><nextgroup><![CDATA[{nextgroup}]]></nextgroup>\n'
             f'<recordset>\n' + "\n".join(record(n) for n in first) + "\n</recordset></datastore></script></div>")
    body = (f'{NAV}\n<div class="bt-position">当前位置：<a href="/">首页</a> &gt; {cfg["column"]}</div>\n'
            f'<div class="default_pgContainer">\n{store}\n</div>\n{script}\n'
            + FOOT.format(agency=cfg["agency"], code=cfg["code"]))
    b.put(listing, page(cfg["column"], body, head='<script src="/module/web/jpage/jpage.js"></script>\n'))
    if not cfg.get("unitid"):
        b.expect(listing, notices, None, [], notices[0])
        return b
    query = urlencode({"startrecord": 4, "endrecord": 6, "perpage": 3, "columnid": col, "unitid": cfg["unitid"],
                       "webid": cfg["webid"]})
    proxy = f"{origin}/module/web/jpage/dataproxy.jsp?{query}"
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<datastore>\n<nextgroup><![CDATA[]]></nextgroup>\n<recordset>\n'
           + "\n".join(record(n) for n in notices[3:]) + "\n</recordset>\n</datastore>\n")
    b.put(proxy, xml)
    b.expect(listing, first, proxy, notices[3:], first[0])
    return b


def gkmlpt(src, cfg) -> Built:
    """/gkmlpt/index (window._CONFIG: SID, TREE), /gkmlpt/api/all/{cat}?page={n}&sid={sid} JSON,
    detail pages whose body is _CONFIG.DETAIL.content."""
    b = Built()
    index = src.start_urls[0]
    b.site(index)
    base = index.rsplit("/gkmlpt/", 1)[0]
    sid, cat = cfg["sid"], cfg["cat"]
    tree = [
        {"id": cat - 1, "name": "政策文件", "parent": 0, "jump_url": "", "post_count": 3,
         "children": [{"id": cat, "name": "规范性文件", "parent": cat - 1, "jump_url": "", "post_count": 3, "children": []}]},
        {"id": cat + 40, "name": "机构职能", "parent": 0, "jump_url": f"{base}/gkmlpt/index#{cat + 40}", "children": []},
    ]
    config = (f"window._CONFIG = {{\n  SID: '{sid}',\n  SITE_NAME: '{cfg['agency']}',\n  BASE: '{base}/gkmlpt/',\n"
              f"  TREE: {json.dumps(tree, ensure_ascii=False)},\n  SERVICE_AREA_ID: {sid}\n}};")
    b.put(index, page(f"{cfg['agency']}政府信息公开", f'{NAV}\n<div id="app"></div>\n<script>{config}</script>\n'
                      '<script src="https://www.gd.gov.cn/gkmlpt/static/js/app.js"></script>'))
    notices = make_notices(src.id, cfg["agency"], cfg["region"], cfg["prefix"], 3,
                           lambda i, day: "", START)
    for i, n in enumerate(notices):
        post = 4412345 - 211 * i
        n.url = f"{base}/gkmlpt/content/{post // 1000000}/{post // 1000}/post_{post}.html"
        content = f'<p style="text-align:center">{n.doc_number}</p>{body_html(n)}<p style="text-align:right">{n.agency}</p>'
        detail = {"id": post, "title": n.title, "document_number": n.doc_number, "identifier": n.index_number,
                  "publisher": n.agency, "content": content}
        shell = (f'{NAV}\n<div id="app"><div class="content-title">{n.title}</div></div>\n'
                 f"<script>window._CONFIG = {{\n  SID: '{sid}',\n  DETAIL: {_js_json(detail)}\n}};</script>\n"
                 + FOOT.format(agency=cfg["agency"], code=cfg["code"]))
        b.put(n.url, page(f"{n.title} - {cfg['agency']}", shell))
    stamp = lambda n: int(datetime(n.date.year, n.date.month, n.date.day, 10, 30, tzinfo=_CHINA).timestamp())  # noqa: E731
    pages = [notices[:2], notices[2:]]
    urls = []
    for p, chunk in enumerate(pages, start=1):
        articles = [{"id": int(n.url.rsplit("_", 1)[1].split(".")[0]), "title": n.title, "url": n.url,
                     "document_number": n.doc_number, "identifier": n.index_number, "publisher": n.agency,
                     "date": stamp(n) - 86400 * 3, "display_publish_time": stamp(n), "classify_main": cat,
                     "created_at": f"{n.iso} 10:30:00", "attachment": []} for n in chunk]
        doc = {"classify": {"id": cat, "name": "规范性文件", "post_count": 3}, "articles": articles}
        url = f"{base}/gkmlpt/api/all/{cat}?page={p}&sid={sid}"
        b.put(url, json.dumps(doc, ensure_ascii=False))
        urls.append(url)
    b.expect(urls[0], pages[0], urls[1], pages[1], pages[0][0])
    return b


def trs_tdate(src, cfg) -> Built:
    """TRS listings: anchors to ./YYYYMM/tYYYYMMDD_N.html with a title attribute, pager by
    createPageHTML(total, current, "index", "html") (page 2 is index_1.html)."""
    b = Built()
    listing = src.start_urls[0]
    b.site(listing)
    directory = listing.rsplit("/", 1)[0]
    notices = make_notices(src.id, cfg["agency"], cfg["region"], cfg["prefix"], 5,
                           lambda i, day: f"{directory}/{day:%Y%m}/t{day:%Y%m%d}_{cfg['seq'] - 53 * i}.html", START)
    for n in notices:
        b.put(n.url, _article(n, cfg["container"], cfg["agency"], cfg["code"], _meta_table(n, cfg.get("labels", (
            "索引号", "发布机构", "发文日期", "文号")))))
    pages = [notices[:3], notices[3:]]
    tag = cfg.get("list_class", "list")
    for p, chunk in enumerate(pages):
        rows = "\n".join(f'<li><a href="./{n.url.removeprefix(directory + "/")}" target="_blank" title="{n.title}">'
                         f'{n.title[:20]}{"…" if len(n.title) > 20 else ""}</a><span>{n.iso}</span></li>' for n in chunk)
        body = (f'{NAV}\n<div class="position">您当前的位置：<a href="/">首页</a> &gt; {cfg["column"]}</div>\n'
                f'<div class="main"><ul class="{tag}">\n{rows}\n</ul>\n<div class="page">'
                f'<script type="text/javascript">createPageHTML(2, {p}, "index", "html");</script></div></div>\n'
                + FOOT.format(agency=cfg["agency"], code=cfg["code"]))
        b.put(listing if p == 0 else f"{directory}/index_1.html", page(cfg["column"], body))
    b.expect(listing, pages[0], f"{directory}/index_1.html", pages[1], pages[0][0])
    return b


def sh_hex(src, cfg) -> Built:
    """Shanghai departments: /<col>/YYYYMMDD/<32 hex>.html rows on the column's index.html."""
    b = Built()
    listing = src.start_urls[0]
    b.site(listing)
    origin = _origin(listing)
    notices = make_notices(src.id, cfg["agency"], "上海市", cfg["prefix"], 4, lambda i, day: "", START)
    rows = []
    for n in notices:
        n.url = f"{origin}/{cfg['col']}/{n.date:%Y%m%d}/{hashlib.md5(n.doc_number.encode()).hexdigest()}.html"
        b.put(n.url, _article(n, "#ivs_content", cfg["agency"], cfg["code"], _meta_table(n)))
        rows.append(f'<li><a href="{n.url.removeprefix(origin)}" title="{n.title}" target="_blank">{n.title}</a>'
                    f'<span class="time">{n.iso}</span></li>')
    b.put(listing, page(cfg["column"], f'{NAV}\n<ul class="uli14 nowrapli list-date">\n' + "\n".join(rows) + "\n</ul>\n"
                        + FOOT.format(agency=cfg["agency"], code=cfg["code"])))
    b.expect(listing, notices, None, [], notices[0])
    return b


def ln_webidx(src, cfg) -> Built:
    """ln.gov.cn: /web/<section>/<YYYYMMDD…id>/index.shtml rows; the id's leading 8 digits are the date."""
    b = Built()
    listing = src.start_urls[0]
    b.site(listing)
    directory = listing.rsplit("/", 1)[0]
    notices = make_notices(src.id, cfg["agency"], "辽宁省", cfg["prefix"], 4,
                           lambda i, day: f"{directory}/{day:%Y%m%d}{95031 + 7 * i:07d}/index.shtml", START)
    rows = []
    for n in notices:
        b.put(n.url, _article(n, ".TRS_Editor", cfg["agency"], cfg["code"], _meta_table(n, ("索引号", "发文机关", "成文日期", "发文字号"))))
        rows.append(f'<li><a href="{n.url.removeprefix(directory)[1:]}" target="_blank" title="{n.title}">{n.title}</a>'
                    f'<span class="date">{n.iso}</span></li>')
    b.put(listing, page(cfg["column"], f'{NAV}\n<div class="zfwj-list"><ul>\n' + "\n".join(rows) + "\n</ul></div>\n"
                        + FOOT.format(agency=cfg["agency"], code=cfg["code"])))
    b.expect(listing, notices, None, [], notices[0])
    return b


def vsb_search(src, cfg) -> Built:
    """博达 VSB site search: POST JSON to queryPage, data.page.records[] {title, createDate, url}
    with the url lacking its scheme; detail /info/<tree>/<id>.htm, body #vsb_content."""
    from spiders.policy_api import put  # the same path setter the spider uses

    b = Built()
    api = src.api
    b.site(api.page_url)
    walk = []
    for qi, query in enumerate(api.queries):
        count = 3 if qi == 0 else 1
        notices = make_notices(f"{src.id}-{query}", cfg["agency"], "云南省保山市", cfg["prefix"], count,
                               lambda i, day, qi=qi: f"https://www.baoshan.gov.cn/info/{cfg['tree']}/{4861464 - 50 * qi - i}.htm",
                               START - timedelta(days=20 * qi))
        for n in notices:
            body = (f'{NAV}\n<form name="_newscontent_fromname"><div class="content-title"><h1>{n.title}</h1></div>\n'
                    f'<div class="content-info">发布时间：{n.iso}　来源：{n.agency}</div>\n'
                    f'<div id="vsb_content"><div class="v_news_content">\n<p style="text-align:center">{n.doc_number}</p>\n'
                    f'{body_html(n)}\n</div></div></form>\n' + FOOT.format(agency="保山市人民政府办公室", code="5305000012"))
            b.put(n.url, page(n.title, body))
        pages = [notices[:2], notices[2:]] if count > 2 else [notices]
        for p, chunk in enumerate(pages, start=api.first_page):
            payload = json.loads(json.dumps(api.body))
            put(payload, api.page_field, p)
            put(payload, api.query_field, query)
            records = [{"title": n.title.replace(query, f'<span style="color:red">{query}</span>'),
                        "createDate": f"{n.iso} 09:30:00", "url": n.url.removeprefix("https://"), "owner": "1888986967"}
                       for n in chunk]
            doc = {"code": 200, "msg": "success", "data": {"page": {
                "current": p, "size": 10, "total": count, "totalPage": len(pages), "records": records}}}
            b.put(api.page_url, json.dumps(doc, ensure_ascii=False), post=payload)
            walk.append((p, chunk))
    b.expect(api.page_url, walk[0][1], f"{api.page_url}#page={api.first_page + 1}", walk[1][1], walk[0][1][0],
             [n for _, chunk in walk[2:] for n in chunk])
    return b
