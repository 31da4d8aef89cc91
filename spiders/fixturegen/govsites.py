"""Fixture dialects of national sites: gov.cn's search API and feed, nhc.gov.cn,
mca.gov.cn, natcm.gov.cn, cncaprc.gov.cn."""
from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta
from urllib.parse import quote

from spiders.fixturegen.common import FOOT, NAV, Built, page
from spiders.fixturegen.notices import Notice, body_html, make_notices

START = date(2026, 11, 20)


def _hex(n: Notice) -> str:
    return hashlib.md5(n.title.encode() + n.doc_number.encode()).hexdigest()


def govcn_detail(b: Built, n: Notice) -> None:
    """A /zhengce/content/ page: the 索引号 / 发文机关 / 发文字号 table, then #UCAP-CONTENT."""
    signed = n.date - timedelta(days=3)
    table = (
        '<table class="bd1" cellpadding="0" cellspacing="1" width="100%">\n'
        f'<tr><td class="b1"><b>索&emsp;引&emsp;号：</b></td><td>{n.index_number}</td>'
        '<td class="b1"><b>主题分类：</b></td><td>卫生、体育\\卫生</td></tr>\n'
        f'<tr><td class="b1"><b>发文机关：</b></td><td>{n.agency}</td>'
        f'<td class="b1"><b>成文日期：</b></td><td>{signed.year}年{signed.month:02d}月{signed.day:02d}日</td></tr>\n'
        f'<tr><td class="b1"><b>标&emsp;&emsp;题：</b></td><td colspan="3">{n.title}</td></tr>\n'
        f'<tr><td class="b1"><b>发文字号：</b></td><td>{n.doc_number}</td>'
        f'<td class="b1"><b>发布日期：</b></td><td>{n.date.year}年{n.date.month:02d}月{n.date.day:02d}日</td></tr>\n'
        "</table>"
    )
    body = (f'{NAV}\n<div class="BreadcrumbNav"><a href="/">首页</a> &gt; <a href="/zhengce/">政策</a></div>\n'
            f'<div class="policyLibraryOverview_header">{table}</div>\n<div class="pages_content" id="UCAP-CONTENT">\n'
            f'<p style="text-align:center">{n.doc_number}</p>\n{body_html(n)}\n<p style="text-align:right">{n.agency}</p>\n'
            f'<p style="text-align:right">{signed.year}年{signed.month}月{signed.day}日</p>\n</div>\n'
            + FOOT.format(agency="国务院办公厅", code="bm01000001"))
    b.put(n.url, page(f"{n.title}_国务院文件_中国政府网", body))


def govcn_api(src, cfg) -> Built:
    """sousuo.www.gov.cn/search-gov/data: items at searchVO.listVO, pages at searchVO.totalpage."""
    b = Built()
    api = src.api
    b.site(api.page_url), b.site("https://www.gov.cn/")
    per_query = [5] + [1] * (len(api.queries) - 1)
    seen, walk = 0, []
    for qi, (query, count) in enumerate(zip(api.queries, per_query)):
        def url_for(i, day, qi=qi):
            return f"https://www.gov.cn/zhengce/{cfg['path']}/{day:%Y%m}/content_{7010000 + 1000 * qi + i}.htm"
        notices = make_notices(f"{src.id}-{query}", cfg["agency"], "全国", cfg["prefix"], count, url_for,
                               START - timedelta(days=30 * qi))
        for n in notices:
            govcn_detail(b, n)
        pages = [notices[:3], notices[3:]] if count > 3 else [notices]
        for p, chunk in enumerate(pages, start=api.first_page):
            items = [{
                "title": n.title.replace(query, f"<em>{query}</em>"), "url": n.url, "pcode": n.doc_number,
                "puborg": n.agency, "pubtimeStr": f"{n.date:%Y.%m.%d}", "ptime": 0, "childtype": "卫生、体育\\卫生",
                "summary": n.paragraphs[0][:60], "index": n.index_number,
            } for n in chunk]
            doc = {"code": 200, "msg": "操作成功", "searchVO": {
                "listVO": items, "totalpage": len(pages), "totalCount": count, "pageNo": p}}
            url = api.page_url.replace("{page}", str(p)).replace("{q}", quote(query))
            b.put(url, json.dumps(doc, ensure_ascii=False))
            walk.append((url, chunk))
        seen += count
    (first_url, page1), (second_url, page2) = walk[0], walk[1]
    others = [n for _, chunk in walk[2:] for n in chunk]
    b.expect(first_url, page1, second_url, page2, page1[0], others)
    return b


def govcn_feed(src, cfg) -> Built:
    """gov.cn 最新政策: a top-level JSON array of {URL, TITLE, DOCRELPUBTIME}."""
    b = Built()
    b.site(src.api.page_url)
    notices = make_notices(src.id, cfg["agency"], "全国", cfg["prefix"], 4,
                           lambda i, day: f"https://www.gov.cn/zhengce/content/{day:%Y%m}/content_{7020000 + i}.htm", START)
    for n in notices:
        govcn_detail(b, n)
    feed = [{"URL": n.url, "TITLE": n.title, "DOCRELPUBTIME": n.iso, "SUB_TITLE": ""} for n in notices]
    b.put(src.api.page_url, json.dumps(feed, ensure_ascii=False))
    b.expect(src.api.page_url, notices, None, [], notices[0])
    return b


def nhc(src, cfg) -> Built:
    """nhc.gov.cn: ul.zxxx_list li a[title] + span.ml; list.shtml, list_2.shtml; body #xw_box."""
    b = Built()
    listing = src.start_urls[0]
    b.site(listing)
    base = listing.rsplit("/", 1)[0]
    notices = make_notices(src.id, cfg["agency"], "全国", cfg["prefix"], 5,
                           lambda i, day: "", START)
    for n in notices:
        n.url = f"https://www.nhc.gov.cn/{cfg['dept']}/c{cfg['col']}/{n.date:%Y%m}/{_hex(n)}.shtml"
        body = (f'{NAV}\n<div class="w1024 mb50"><div class="list">\n<div class="tit">{n.title}</div>\n'
                f'<div class="source"><span>发布时间：{n.iso}</span> <span>来源: {cfg["office"]}</span></div>\n'
                f'<div class="con" id="xw_box">\n<p style="text-align: center;">{n.doc_number}</p>\n{body_html(n)}\n'
                f'<p style="text-align: right;">{n.agency}</p>\n</div>\n<div class="fx fr">分享到：</div>\n</div></div>\n'
                + FOOT.format(agency=n.agency, code="bm24000006"))
        b.put(n.url, page(n.title, body))
    pages = [notices[:3], notices[3:]]
    for p, chunk in enumerate(pages, start=1):
        rows = "\n".join(f'<li><a href="{n.url.removeprefix("https://www.nhc.gov.cn")}" target="_blank" title="{n.title}">'
                         f'{n.title[:22]}</a><span class="ml">{n.iso}</span></li>' for n in chunk)
        body = (f'{NAV}\n<div class="index_title"><h3>{cfg["column"]}</h3></div>\n<div class="list">\n'
                f'<ul class="zxxx_list">\n{rows}\n</ul>\n<div class="pagediv" id="page_div"></div>\n'
                f"<script>createPageHTML('page_div',2, {p},'list','shtml',5);</script>\n</div>\n"
                + FOOT.format(agency=cfg["agency"], code="bm24000006"))
        b.put(listing if p == 1 else f"{base}/list_2.shtml", page(cfg["column"], body))
    b.expect(listing, pages[0], f"{base}/list_2.shtml", pages[1], pages[0][0])
    return b


def mca(src, cfg) -> Built:
    """mca.gov.cn 通知公告: a.artitlelist → ../../n152/n165/c<id>/content.html; body #zoom."""
    b = Built()
    listing = src.start_urls[0]
    b.site(listing)
    notices = make_notices(src.id, cfg["agency"], "全国", cfg["prefix"], 4,
                           lambda i, day: f"https://www.mca.gov.cn/n152/n165/c{1662004999980000 + 37 * i}/content.html", START)
    rows = []
    for n in notices:
        rel = "../../" + n.url.removeprefix("https://www.mca.gov.cn/")
        rows.append(f'<tr><td class="artitlelist_td"><a class="artitlelist" href="{rel}" target="_blank">{n.title}</a></td>'
                    f'<td class="artitlelist_date">{n.iso}</td></tr>')
        body = (f'{NAV}\n<div class="artitle"><h1 id="title">{n.title}</h1></div>\n<div class="pub">发布时间：{n.iso} 来源：{n.agency}</div>\n'
                f'<div id="zoom" class="TRS_Editor">\n<p style="text-align:center">{n.doc_number}</p>\n{body_html(n)}\n</div>\n'
                + FOOT.format(agency=n.agency, code="bm13000001"))
        b.put(n.url, page(n.title, body))
    table = "<table class=\"artitlelist_table\">\n" + "\n".join(rows) + "\n</table>"
    b.put(listing, page("通知公告_中华人民共和国民政部", f"{NAV}\n<div class=\"list_title\">通知公告</div>\n{table}\n"
                        + FOOT.format(agency=cfg["agency"], code="bm13000001")))
    b.expect(listing, notices, None, [], notices[0])
    return b


def natcm(src, cfg) -> Built:
    """natcm.gov.cn /a/<cat>/: ul.lbbt li (link + date span); index_2.html; /<dept>/YYYY-MM-DD/<id>.html."""
    b = Built()
    listing = src.start_urls[0]
    b.site(listing)
    notices = make_notices(src.id, cfg["agency"], "全国", cfg["prefix"], 5,
                           lambda i, day: f"http://www.natcm.gov.cn/{cfg['dept']}/{day:%Y-%m-%d}/{33500 + 13 * i}.html", START)
    for n in notices:
        body = (f'{NAV}\n<div class="article"><div class="title"><h1>{n.title}</h1></div>\n'
                f'<div class="info">发布时间：{n.iso}　来源：{cfg["office"]}</div>\n<div class="content">\n'
                f'<p style="text-align:center">{n.doc_number}</p>\n{body_html(n)}\n</div></div>\n'
                + FOOT.format(agency=n.agency, code="bm62000002"))
        b.put(n.url, page(n.title, body))
    pages = [notices[:3], notices[3:]]
    for p, chunk in enumerate(pages, start=1):
        rows = "\n".join(f'<li><a href="{n.url}" target="_blank">{n.title}</a><span>{n.iso}</span></li>' for n in chunk)
        pager = ('<div class="fenye">共2页 <a href="index.html">首页</a> '
                 + ('<a href="index_2.html">下一页</a>' if p == 1 else '<a href="index.html">上一页</a>') + "</div>")
        body = f'{NAV}\n<div class="lbcon"><ul class="lbbt">\n{rows}\n</ul>\n{pager}</div>\n' + FOOT.format(
            agency=cfg["agency"], code="bm62000002")
        b.put(listing if p == 1 else listing + "index_2.html", page(cfg["column"], body))
    b.expect(listing, pages[0], listing + "index_2.html", pages[1], pages[0][0])
    return b


def cncaprc(src, cfg) -> Built:
    """cncaprc.gov.cn 政策法规 (jeecms): ul.channel-news-list li h3 a → /xxzcfg/<id>.jhtml; body div.content."""
    b = Built()
    listing = src.start_urls[0]
    b.site(listing)
    notices = make_notices(src.id, cfg["agency"], "全国", cfg["prefix"], 4,
                           lambda i, day: f"http://www.cncaprc.gov.cn/xxzcfg/{771509 - 41 * i}.jhtml", START)
    rows = []
    for n in notices:
        rows.append(f'<li><h3><a href="{n.url.removeprefix("http://www.cncaprc.gov.cn")}" target="_blank">{n.title}</a></h3>'
                    f'<p>{n.paragraphs[0][:40]}…</p><span>{n.iso}</span></li>')
        body = (f'{NAV}\n<div class="news-detail"><h2 class="title">{n.title}</h2>\n<div class="info">'
                f'<span>发布时间：{n.iso}</span><span>来源：{n.agency}</span></div>\n<div class="content">\n'
                f'<p style="text-align:center">{n.doc_number}</p>\n{body_html(n)}\n</div></div>\n'
                + FOOT.format(agency="中国老龄协会", code="bm73000001"))
        b.put(n.url, page(n.title, body))
    b.put(listing, page("政策法规-中国老龄协会", f'{NAV}\n<ul class="channel-news-list">\n' + "\n".join(rows) + "\n</ul>\n"
                        + FOOT.format(agency="中国老龄协会", code="bm73000001")))
    b.expect(listing, notices, None, [], notices[0])
    return b
