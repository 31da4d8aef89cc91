"""国务院政策文件库: a national policy library with a JSON search API, gov.cn style.

The listing is ``/zhengce/api/search?p=<page>&n=5`` (pages count from 0), stored as
``zhengce/api/search__n=5&p=<page>.json``; item URLs are root-relative. Detail pages come
in gov.cn's two layouts: 国务院文件 (table.bd1 with 索引号…, body in .pages_content) and
部门文件 (a 标题/发文机关/发文字号/来源… table, body in #UCAP-CONTENT .TRS_UEDITOR).
"""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

from ..markup import ParaStyle, cn_date, cn_date_padded, esc, rel
from ..notice import Notice
from ..tree import Tree
from .common import expected_page, paged, site_tree

SITE = "zhengce"
PER_PAGE = 5
BEIJING = timezone(timedelta(hours=8))

# newest first: notice, path, layout (gwy | bm), publish time, last-modified
PAGES = [
    ("zc_healthy_aging_plan_2022", "zhengce/zhengceku/2022-03/01/content_5676342.htm", "bm", "16:05:12", "2022-03-01 16:05:12"),
    ("zc_nhsa_announcement_2021", "zhengce/zhengceku/2021-04/12/content_5599034.htm", "bm", "10:41:07", "2021-04-12 10:41:07"),
    ("zc_medical_fund_regulation_2021", "zhengce/content/2021-02/19/content_5587668.htm", "gwy", "17:00:00", "2021-02-19 17:03:21"),
    ("zc_ltc_insurance_pilot_2020", "zhengce/zhengceku/2020-11/05/content_5557630.htm", "bm", "15:22:40", "2020-11-05 15:22:40"),
    ("zc_medical_elder_integration_2019", "zhengce/zhengceku/2019-10/26/content_5445271.htm", "bm", "09:18:05", "2019-10-28 10:12:40"),
    ("zc_eldercare_services_2019", "zhengce/content/2019-04/16/content_5383270.htm", "gwy", "17:00:00", "2019-04-16 17:05:33"),
    ("zc_medical_elder_guideline_2015", "zhengce/content/2015-11/20/content_10328.htm", "gwy", "18:00:00", "2015-11-20 18:00:00"),
    ("zc_health_service_industry_2013", "zhengce/content/2013-10/14/content_4435.htm", "gwy", "16:00:00", "2013-10-14 16:00:00"),
]

_STYLE = ParaStyle(
    p=lambda t: f'<p style="text-indent: 2em; font-family: 宋体;">{t}</p>',
    sign=lambda t: f'<p style="text-align: right; font-family: 宋体;">{t}</p>',
    head=lambda t: f'<p style="text-align: center;"><strong>{t}</strong></p>',
)


def _doc_type(title: str) -> str:
    for kind in ("条例", "公告", "指导意见", "意见", "通知", "规划", "办法"):
        if title.endswith(kind) or kind in title[-8:]:
            return "意见" if kind == "指导意见" else kind
    return "其他"


def _header(here: str, title: str, meta: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{esc(title)}</title>
{meta}<link rel="stylesheet" href="/images/2023/css/common.css">
<script src="/images/2023/js/jquery-1.12.4.min.js"></script>
</head>
<body>
<div class="header_top"><div class="w1100"><a href="http://www.gov.cn/" class="logo"><img src="/images/2023/img/logo.png" alt="中国政府网"></a>
<div class="header_tool"><a href="http://www.gov.cn/">简</a> | <a href="http://big5.www.gov.cn/">繁</a> | <a href="http://english.www.gov.cn/">EN</a> | <a href="https://user.www.gov.cn/sso/login">登录</a> | <a href="javascript:void(0);">无障碍</a></div>
<div class="search_box"><input type="text" placeholder="请输入搜索内容"><a href="http://sousuo.www.gov.cn/sousuo/search.shtml">搜索</a></div></div></div>
<div class="header_nav"><ul class="w1100"><li><a href="http://www.gov.cn/">首页</a></li><li><a href="http://www.gov.cn/guowuyuan/">国务院</a></li><li><a href="http://www.gov.cn/premier/">总理</a></li><li><a href="http://www.gov.cn/xinwen/">新闻</a></li><li class="on"><a href="{rel(here, 'zhengce/index.html')}">政策</a></li><li><a href="http://www.gov.cn/hudong/">互动</a></li><li><a href="http://www.gov.cn/fuwu/">服务</a></li><li><a href="http://www.gov.cn/shuju/">数据</a></li><li><a href="http://www.gov.cn/guoqing/">国情</a></li><li><a href="https://gjzwfw.www.gov.cn/">国家政务服务平台</a></li></ul></div>
"""


_FOOTER = """<div class="footer"><div class="w1100">
<div class="footer_links"><a href="http://www.gov.cn/guowuyuan/">国务院</a> | <a href="http://www.gov.cn/premier/">总理</a> | <a href="http://www.gov.cn/xinwen/">新闻</a> | <a href="http://www.gov.cn/zhengce/">政策</a> | <a href="http://www.gov.cn/hudong/">互动</a> | <a href="http://www.gov.cn/fuwu/">服务</a> | <a href="http://www.gov.cn/shuju/">数据</a> | <a href="http://www.gov.cn/guoqing/">国情</a></div>
<p><a href="http://www.gov.cn/lianxiwomen/">联系我们</a> | <a href="http://www.gov.cn/wzsm/">网站声明</a> | <a href="http://www.gov.cn/sitemap.htm">网站地图</a></p>
<p>版权所有：中国政府网　中文域名：中国政府网.政务</p>
<p>主办单位：国务院办公厅　运行维护单位：中国政府网运行中心</p>
<p><a href="https://beian.miit.gov.cn/" target="_blank">京ICP备05070218号</a>　<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=11010202000001" target="_blank">京公网安备11010202000001号</a>　网站识别码bm01000001</p>
<script id="_jiucuo_" sitecode="bm01000001" src="https://zfwzgl.www.gov.cn/exposure/jiucuo.js"></script>
</div></div>
</body>
</html>
"""


def _gwy_table(notice: Notice) -> str:
    return f"""<div class="policyLibraryOverview_header"><table class="bd1" border="0" cellspacing="1" cellpadding="0" width="100%">
<tbody>
<tr><td width="108"><b>索<i style="padding-left:10px"></i>引<i style="padding-left:10px"></i>号：</b></td><td width="346">{esc(notice.index_number)}</td><td width="108"><b>主题分类：</b></td><td>{esc(notice.category)}</td></tr>
<tr><td><b>发文机关：</b></td><td>{esc(notice.agency)}</td><td><b>成文日期：</b></td><td>{cn_date_padded(notice.signed)}</td></tr>
<tr><td><b>标<i style="padding-left:35px"></i>题：</b></td><td colspan="3">{esc(notice.title)}</td></tr>
<tr><td><b>发文字号：</b></td><td>{esc(notice.doc_number)}</td><td><b>发布日期：</b></td><td>{cn_date_padded(notice.published)}</td></tr>
</tbody>
</table></div>
"""


def _bm_table(notice: Notice) -> str:
    return f"""<div class="pctoubukuang1"><table width="100%" border="0" cellpadding="0" cellspacing="0" class="mxxgkbd">
<tbody>
<tr><td class="mxxgkbd_l">标<i style="padding-left:28px"></i>题：</td><td colspan="3">{esc(notice.title)}</td></tr>
<tr><td class="mxxgkbd_l">发文机关：</td><td>{esc(notice.agency)}</td><td class="mxxgkbd_l">发文字号：</td><td>{esc(notice.doc_number)}</td></tr>
<tr><td class="mxxgkbd_l">来<i style="padding-left:28px"></i>源：</td><td>{esc(notice.agency.split(" ")[0])}网站</td><td class="mxxgkbd_l">主题分类：</td><td>{esc(notice.category)}</td></tr>
<tr><td class="mxxgkbd_l">公文种类：</td><td>{_doc_type(notice.title)}</td><td class="mxxgkbd_l">成文日期：</td><td>{cn_date(notice.signed)}</td></tr>
<tr><td class="mxxgkbd_l">发布日期：</td><td colspan="3">{cn_date(notice.published)}</td></tr>
</tbody>
</table></div>
"""


def _detail(notices: dict[str, Notice], i: int) -> tuple[dict[str, bytes], dict]:
    nid, here, layout, hms, modified = PAGES[i]
    notice = notices[nid]
    manuscript = here.rsplit("_", 1)[1].split(".")[0]
    meta = (
        f'<meta name="keywords" content="{esc(notice.title[-12:])}">\n'
        f'<meta name="description" content="{esc(notice.summary(80))}">\n'
        f'<meta name="firstpublishedtime" content="{notice.published.isoformat()} {hms}">\n'
        f'<meta name="lastmodifiedtime" content="{modified}">\n'
        f'<meta name="manuscriptId" content="{manuscript}">\n'
        f'<meta name="catalog" content="{"国务院文件" if layout == "gwy" else "国务院部门文件"}">\n'
    )
    suffix = "国务院文件_中国政府网" if layout == "gwy" else "国务院部门文件_中国政府网"
    crumb = "国务院文件" if layout == "gwy" else "国务院部门文件"
    paras = _STYLE.render(notice.lines)
    if layout == "gwy":
        number = "" if notice.doc_number.startswith("国令") else f'<p style="text-align: center;">{esc(notice.doc_number)}</p>\n'
        table = _gwy_table(notice)
        body = f'<div class="pages_content" id="UCAP-CONTENT">\n{number}{paras}\n</div>'
    else:
        table = _bm_table(notice)
        body = f'<div id="UCAP-CONTENT" class="trs_editor_view TRS_UEDITOR trs_paper_default trs_web">\n{paras}\n</div>'
    related = "".join(
        f'<li><a href="{rel(here, PAGES[j][1])}" target="_blank">{esc(notices[PAGES[j][0]].title)}</a></li>'
        for j in ((i + 1) % len(PAGES), (i + 4) % len(PAGES))
    )
    html = (
        _header(here, f"{notice.title}_{suffix}", meta)
        + f"""<div class="w1100 main">
<div class="BreadcrumbNav"><a href="http://www.gov.cn/">首页</a> &gt; <a href="{rel(here, 'zhengce/index.html')}">政策</a> &gt; <a href="{rel(here, 'zhengce/index.html')}">国务院政策文件库</a> &gt; {crumb}</div>
{table}<div class="article oneColumn pub_border">
<h1 id="ti">{esc(notice.title)}</h1>
<div class="pages-date">{notice.published.isoformat()} {hms[:5]}　来源：{esc(notice.agency.split(" ")[0])}<span class="font">【字体：<a href="javascript:void(0)" class="bigger">大</a> <a href="javascript:void(0)" class="medium">中</a> <a href="javascript:void(0)" class="smaller">小</a>】</span><span class="print"><a href="javascript:window.print()">打印</a></span></div>
{body}
<div class="editor">【我要纠错】　责任编辑：{"王洁" if i % 2 else "张晓欢"}</div>
<div class="share"><span>扫一扫在手机打开当前页</span><img src="/images/2023/img/qrcode.png" alt=""></div>
</div>
<div class="related"><div class="related_title">相关稿件</div><ul>{related}</ul></div>
</div>
"""
        + _FOOTER
    )
    record = expected_page(
        notice, here, site=SITE, encoding="utf-8", declared_charset="utf-8", header_charset="utf-8",
        doc_number_raw=notice.doc_number or None, agency=notice.agency, signed=notice.signed,
        published=notice.published, index_number=notice.index_number if layout == "gwy" else None,
    )
    return {here: html.encode("utf-8")}, record


def _ptime(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=BEIJING).timestamp() * 1000)


def _api_page(notices: dict[str, Notice], page: int, count: int) -> tuple[str, bytes]:
    items = []
    for nid, here, layout, *_ in PAGES[page * PER_PAGE:(page + 1) * PER_PAGE]:
        notice = notices[nid]
        items.append({
            "title": notice.title,
            "url": "/" + here,
            "pcode": notice.doc_number,
            "puborg": notice.agency,
            "pubtimeStr": notice.published.strftime("%Y.%m.%d"),
            "ptime": _ptime(notice.published),
            "index": notice.index_number if layout == "gwy" else "",
            "childtype": notice.category,
            "summary": notice.summary(80),
        })
    doc = {
        "code": 200,
        "msg": "操作成功",
        "searchVO": {"totalpage": count, "totalCount": len(PAGES), "pageSize": PER_PAGE, "curPage": page, "listVO": items},
    }
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    return f"zhengce/api/search__n={PER_PAGE}&p={page}.json", text.encode("utf-8")


def _home(notices: dict[str, Notice]) -> bytes:
    here = "zhengce/index.html"
    rows = "".join(
        f'<li><a href="{rel(here, path)}">{esc(notices[nid].title)}</a><span>{notices[nid].published.isoformat()}</span></li>'
        for nid, path, *_ in PAGES[:5]
    )
    html = (
        _header(here, "国务院政策文件库_中国政府网", "")
        + f"""<div class="w1100 main"><h2>国务院政策文件库</h2>
<div class="search_result" id="result"><!-- 列表由 /zhengce/api/search 接口加载 --></div>
<noscript><ul class="list">{rows}</ul></noscript>
<script>$.getJSON("api/search?p=0&n={PER_PAGE}", function (d) {{ /* render d.searchVO.listVO */ }});</script>
</div>
"""
        + _FOOTER
    )
    return html.encode("utf-8")


def build(notices: dict[str, Notice]) -> Tree:
    listings = paged(PAGES, PER_PAGE, lambda page, count: _api_page(notices, page, count))
    return site_tree(SITE, "utf-8", "gov.cn style library: UTF-8, charset in the header (JSON too)",
                     [(f"{SITE}/index.html", _home(notices)), *listings], (_detail(notices, i) for i in range(len(PAGES))))
