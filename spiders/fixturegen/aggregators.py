"""Fixture dialects of aggregators: 税屋 (shui5.cn), 健康界 (cn-healthcare.com), 养老信息网 (yanglaocn.com)."""
from __future__ import annotations

import json
from urllib.parse import quote

from spiders.fixturegen.common import NAV, Built, page
from spiders.fixturegen.govsites import START
from spiders.fixturegen.notices import Notice, body_html, make_notices

# Tax notices a 税屋 listing carries beside the health ones: the title filter leaves them.
TAX_TITLES = ("国家税务总局关于优化纳税缴费服务配合做好个人所得税汇算清缴的公告",
              "财政部 税务总局关于增值税小规模纳税人减免增值税政策的公告")


def _republished(n: Notice, site: str) -> str:
    return (f'<p>{n.agency}</p><p style="text-align:center">{n.doc_number}</p>\n{body_html(n)}\n'
            f'<p style="text-align:right">{n.agency}</p><p>（来源：{n.agency}，{site}整理）</p>')


def shui5(src, cfg) -> Built:
    """div.left2c .xwt2 blocks (.xwt2_a > a, .xwt2_d .p3 date); detail .articleTitle,
    .articleResource (来源 / 作者 / date), body #tupain."""
    b = Built()
    listing = src.start_urls[0]
    b.site(listing)
    notices = make_notices(src.id, cfg["agency"], "全国", cfg["prefix"], 3,
                           lambda i, day: f"https://www.shui5.cn/article/{cfg['dir']}/{165432 - 17 * i}.html", START)
    blocks = []
    tax = [f"https://www.shui5.cn/article/{cfg['dir']}/{165440 + k}.html" for k in range(len(TAX_TITLES))]
    rows = [(tax[0], TAX_TITLES[0], notices[0].iso)] + [(n.url, n.title, n.iso) for n in notices[:2]] + \
           [(tax[1], TAX_TITLES[1], notices[1].iso), (notices[2].url, notices[2].title, notices[2].iso)]
    for url, title, day in rows:
        blocks.append(f'<div class="xwt2"><div class="xwt2_a"><a href="{url.removeprefix("https://www.shui5.cn")}" '
                      f'target="_blank">{title}</a></div><div class="xwt2_d"><p class="p1">地方财税法规</p>'
                      f'<p class="p3">{day}</p></div></div>')
    b.put(listing, page("地方财税法规_税屋", f'{NAV}\n<div class="left2"><div class="left2c">\n' + "\n".join(blocks)
                        + '\n</div></div></div>\n'))
    for n in notices:
        body = (f'{NAV}\n<div class="arcContent"><div class="articleTitle"><h1>{n.title}</h1></div>\n'
                f'<div class="articleResource">来源：{n.agency}　作者：{n.agency}　{n.date.year}年{n.date.month}月{n.date.day}日</div>\n'
                f'<div class="articleDes">摘要：{n.paragraphs[0][:50]}</div>\n<div id="tupain">\n{_republished(n, "税屋")}\n</div>\n'
                '<div class="xgyd">相关阅读：<a href="/article/Zhuanti/">税屋专题</a></div></div>\n')
        b.put(n.url, page(f"{n.title}_税屋——第一时间传递财税政策法规！", body))
    b.expect(listing, notices, None, [], notices[0], [])
    b.expected["filtered_out"] = tax
    return b


def cn_healthcare(src, cfg) -> Built:
    """/api/article/articlelist?data={"start":"N","size":…}: data.datalist[] {title, url, createdate}."""
    b = Built()
    api = src.api
    b.site(api.page_url)
    notices = make_notices(src.id, cfg["agency"], "全国", cfg["prefix"], 4,
                           lambda i, day: f"https://www.cn-healthcare.com/articlewm/{day:%Y%m%d}/content-{1712345 - 101 * i}.html",
                           START)
    pages = [notices[:2], notices[2:], []]
    urls = []
    for p, chunk in enumerate(pages, start=api.first_page):
        items = [{"title": n.title, "url": n.url.removeprefix("https://www.cn-healthcare.com"), "createdate": f"{n.iso} 08:12:00",
                  "content": n.paragraphs[0], "author": "健康界"} for n in chunk]
        url = api.page_url.replace("{page}", str(p))
        b.put(url, json.dumps({"status": 1, "data": {"datalist": items}}, ensure_ascii=False))
        urls.append(url)
    for n in notices:
        body = (f'{NAV}\n<div class="main_box"><h1 class="title">{n.title}</h1>\n<div class="msg">'
                f'<span class="time">{n.iso} 08:12:00</span><span class="source">来源：{n.agency}</span></div>\n'
                f'<div class="textbox" id="article_content">\n{_republished(n, "健康界")}\n</div></div>\n')
        b.put(n.url, page(f"{n.title}-健康界", body))
    b.expect(urls[0], pages[0], urls[1], pages[1], notices[0])
    return b


def yanglaocn(src, cfg) -> Built:
    """养老信息网: list_1.html, list_2.html …; articles /shtml/YYYYMMDD/<id>.html; UTF-8 bytes
    with no charset in the Content-Type header."""
    b = Built()
    listing = src.start_urls[0]
    b.site(listing, charset=False)
    directory = listing.rsplit("/", 1)[0]
    notices = make_notices(src.id, cfg["agency"], "全国", cfg["prefix"], 5,
                           lambda i, day: f"http://www.yanglaocn.com/shtml/{day:%Y%m%d}/{1712900000123456 - 8111 * i}.html",
                           START)
    pages = [notices[:3], notices[3:]]
    for p, chunk in enumerate(pages, start=1):
        rows = "\n".join(f'<li><span class="date">{n.iso}</span><a href="{n.url}" target="_blank">{n.title}</a></li>'
                         for n in chunk)
        pager = f'<div class="pages">共2页 当前第{p}页 ' + ('<a href="list_2.html">下一页</a>' if p == 1 else "") + "</div>"
        b.put(f"{directory}/list_{p}.html", page("养老行业新闻_养老信息网", f'{NAV}\n<div class="newslist"><ul>\n{rows}\n</ul>\n{pager}</div>\n'))
    for n in notices:
        body = (f'{NAV}\n<div class="news_content"><h1>{n.title}</h1>\n<div class="news_info">发布时间：{n.iso}　来源：{n.agency}</div>\n'
                f'<div class="news_text" id="news_text">\n{_republished(n, "养老信息网")}\n</div></div>\n')
        b.put(n.url, page(f"{n.title}_养老信息网", body))
    b.expect(listing, pages[0], f"{directory}/list_2.html", pages[1], notices[0])
    return b
