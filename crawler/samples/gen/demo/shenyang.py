"""沈阳市人民政府 政务公开: an older table-layout government site served as GBK bytes.

The HTTP header carries no charset; the page declares gb2312 in a <meta>, but one page
holds 珺 (and one 镕), which GBK has and GB2312 lacks: a gb2312 decoder fails on it, a
gb18030 decoder does not. Listing pages index.html and index_1.html.
"""
from __future__ import annotations

from ..markup import ParaStyle, cn_date_padded, esc, rel
from ..notice import Notice
from ..tree import Tree
from .common import expected_page, paged, site_tree

SITE = "shenyang"
LIST_DIR = "shenyang/zwgk"
PER_PAGE = 4

# newest first: notice, path under zwgk/, body container, 文号 label
PAGES = [
    ("shenyang_medical_elder_institutions_2021", "zcwj/bmwj/202106/t20210622_1803154.html", "zoom", "发文字号："),
    ("shenyang_eldercare_epidemic_2020", "zcwj/szfbgtwj/202002/t20200209_1675320.html", "zoom", "发文字号："),
    ("shenyang_home_community_eldercare_2019", "zcwj/bmwj/201905/t20190524_1402116.html", "union", "发文字号："),
    ("shenyang_parking_fees_2019", "zcwj/szfwj/201903/t20190314_1390578.html", "union", "发文字号："),
    ("shenyang_medical_service_2018", "zcwj/szfbgtwj/201806/t20180626_1254790.html", "zoom", "文\u3000\u3000号："),
    ("shenyang_medical_union_2017", "zcwj/szfbgtwj/201709/t20170904_1132251.html", "union", "发文字号："),
    ("shenyang_health_services_2015", "zcwj/szfwj/201507/t20150715_854312.html", "union", "发文字号："),
]

_THEME = {"health": "卫生、体育\\卫生", "eldercare": "民政、扶贫、救灾\\老龄工作", "offtopic": "城乡建设、环境保护\\交通"}

_STYLE = ParaStyle(
    p=lambda t: f"<p>{t}</p>",
    sign=lambda t: f'<p style="text-align: right">{t}</p>',
    head=lambda t: f'<p style="text-align: center"><strong>{t}</strong></p>',
)


def _top(here: str, title: str, meta: str = "") -> str:
    home = rel(here, "shenyang/index.html")
    zwgk = rel(here, f"{LIST_DIR}/index.html")
    return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{esc(title)}</title>
{meta}<link href="{rel(here, 'shenyang/images/style.css')}" rel="stylesheet" type="text/css">
<script language="javascript" src="{rel(here, 'shenyang/images/common.js')}"></script>
</head>
<body topmargin="0" leftmargin="0">
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0" class="top">
<tr><td height="30" class="toptext">今天是：<script language="javascript">showDate();</script></td>
<td align="right"><a href="javascript:void(0)" onclick="this.style.behavior='url(#default#homepage)';this.setHomePage('http://www.shenyang.gov.cn');">设为首页</a> | <a href="javascript:window.external.AddFavorite('http://www.shenyang.gov.cn','沈阳市人民政府')">加入收藏</a> | <a href="http://www.shenyang.gov.cn/english/">English</a></td></tr>
<tr><td colspan="2"><a href="{home}"><img src="{rel(here, 'shenyang/images/banner.jpg')}" width="1000" height="150" border="0" alt="沈阳市人民政府"></a></td></tr>
</table>
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0" class="menu">
<tr><td><a href="{home}">首　页</a></td><td><a href="{zwgk}">政务公开</a></td><td><a href="http://www.shenyang.gov.cn/zwfw/">政务服务</a></td><td><a href="http://www.shenyang.gov.cn/hdjl/">互动交流</a></td><td><a href="http://www.shenyang.gov.cn/zjsy/">走进沈阳</a></td><td><a href="http://www.shenyang.gov.cn/sjkf/">数据开放</a></td>
<td class="search"><form action="http://www.shenyang.gov.cn/search/" method="get" target="_blank"><input type="text" name="q" size="16" value="请输入关键字" onfocus="this.value=''"><input type="submit" value="搜索"></form></td></tr>
</table>
"""


def _footer() -> str:
    return """<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0" class="bottom">
<tr><td align="center" height="26"><a href="http://www.shenyang.gov.cn/wzdt/">网站地图</a> | <a href="http://www.shenyang.gov.cn/lxwm/">联系我们</a> | <a href="http://www.shenyang.gov.cn/wzsm/">网站声明</a></td></tr>
<tr><td align="center" class="bottomtext">主办：沈阳市人民政府办公厅　承办：沈阳市大数据管理局　版权所有&copy;沈阳市人民政府<br>
地址：沈阳市浑南区富民街1号　邮编：110167　<a href="https://beian.miit.gov.cn/" target="_blank">辽ICP备05005386号</a>　辽公网安备 21010202000031号　网站标识码：2101000003<br>
建议使用1024*768分辨率 IE8.0以上版本浏览器</td></tr>
</table>
</body>
</html>
"""


def _detail(notices: dict[str, Notice], i: int) -> tuple[dict[str, bytes], dict]:
    nid, sub, container, doc_label = PAGES[i]
    notice = notices[nid]
    here = f"{LIST_DIR}/{sub}"
    source = notice.agency.split(" ")[0]
    meta = (
        f'<meta name="ArticleTitle" content="{esc(notice.title)}">\n'
        f'<meta name="PubDate" content="{notice.published.isoformat()} 09:30">\n'
        f'<meta name="ContentSource" content="{esc(source)}">\n'
    )
    doc_cell = esc(notice.doc_number) if notice.doc_number else "无"
    table = f"""<table width="100%" border="1" cellspacing="0" cellpadding="4" bordercolor="#C9D6E8" class="xxgk_info">
<tr><td width="15%" class="lb">索 引 号：</td><td width="35%">{esc(notice.index_number)}</td><td width="15%" class="lb">主题分类：</td><td width="35%">{esc(_THEME[notice.topic])}</td></tr>
<tr><td class="lb">发文机关：</td><td>{esc(notice.agency)}</td><td class="lb">成文日期：</td><td>{cn_date_padded(notice.signed)}</td></tr>
<tr><td class="lb">标　　题：</td><td colspan="3">{esc(notice.title)}</td></tr>
<tr><td class="lb">{doc_label}</td><td>{doc_cell}</td><td class="lb">发布日期：</td><td>{cn_date_padded(notice.published)}</td></tr>
</table>
"""
    number = f'<p class="arti_wh" align="center">{esc(notice.doc_number)}</p>\n' if notice.doc_number else ""
    paras = _STYLE.render(notice.lines, indent="\u3000\u3000")
    if container == "union":
        body = f'<div class="TRS_Editor"><div class="Custom_UnionStyle">\n{paras}\n</div></div>'
    else:
        body = f'<div id="zoom">\n{paras}\n</div>'
    related = "".join(
        f'<tr><td>&middot; <a href="{rel(here, LIST_DIR + "/" + PAGES[j][1])}" target="_blank">{esc(notices[PAGES[j][0]].title)}</a></td></tr>'
        for j in ((i + 1) % len(PAGES), (i + 3) % len(PAGES))
    )
    html = (
        _top(here, notice.title, meta)
        + f"""<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0" class="main">
<tr><td class="location">您现在的位置：<a href="{rel(here, 'shenyang/index.html')}">首页</a> &gt;&gt; <a href="{rel(here, LIST_DIR + '/index.html')}">政务公开</a> &gt;&gt; <a href="{rel(here, LIST_DIR + '/index.html')}">政策文件</a></td></tr>
<tr><td>
{table}</td></tr>
<tr><td class="article">
<h2 class="arti_title" align="center">{esc(notice.title)}</h2>
{number}<p class="arti_metas" align="center">【发布时间：{notice.published.isoformat()}】　【来源：{esc(source)}】　【字号：<a href="javascript:fontZoom(16)">大</a> <a href="javascript:fontZoom(14)">中</a> <a href="javascript:fontZoom(12)">小</a>】</p>
{body}
<p class="arti_foot" align="right">【<a href="javascript:window.print()">打印本页</a>】　【<a href="javascript:window.close()">关闭窗口</a>】</p>
</td></tr>
<tr><td class="relate"><table width="100%" border="0" cellspacing="0" cellpadding="2"><tr><td class="relate_title">相关文档：</td></tr>{related}</table></td></tr>
</table>
"""
        + _footer()
    )
    record = expected_page(
        notice, here, site=SITE, encoding="gbk", declared_charset="gb2312", header_charset="",
        doc_number_raw=notice.doc_number or None, agency=notice.agency, signed=notice.signed,
        published=notice.published, index_number=notice.index_number,
    )
    return {here: html.encode("gbk")}, record


def _listing(notices: dict[str, Notice], page: int, count: int) -> tuple[str, bytes]:
    name = "index.html" if page == 0 else f"index_{page}.html"
    here = f"{LIST_DIR}/{name}"
    rows = "\n".join(
        f'<tr><td class="bt">&middot; <a href="./{sub}" target="_blank" title="{esc(notices[nid].title)}">{esc(notices[nid].title)}</a></td>'
        f'<td class="rq" width="90">[{notices[nid].published.isoformat()}]</td></tr>'
        for nid, sub, *_ in PAGES[page * PER_PAGE:(page + 1) * PER_PAGE]
    )
    prev = (f'<a href="{"index.html" if page == 1 else f"index_{page - 1}.html"}" title="上一页">上一页</a>'
            if page > 0 else "上一页")
    nxt = f'<a href="index_{page + 1}.html" title="下一页">下一页</a>' if page + 1 < count else "下一页"
    html = (
        _top(here, "政策文件-沈阳市人民政府")
        + f"""<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0" class="main">
<tr><td class="location">您现在的位置：<a href="../index.html">首页</a> &gt;&gt; <a href="index.html">政务公开</a> &gt;&gt; 政策文件</td></tr>
<tr><td>
<table width="100%" border="0" cellspacing="0" cellpadding="0" class="list">
{rows}
</table>
<div class="fy">共{len(PAGES)}条记录　共{count}页　当前第{page + 1}/{count}页　<a href="index.html" title="首页">首页</a> {prev} {nxt} <a href="index_{count - 1}.html" title="尾页">尾页</a></div>
</td></tr>
</table>
"""
        + _footer()
    )
    return here, html.encode("gbk")


def _home(notices: dict[str, Notice]) -> bytes:
    here = "shenyang/index.html"
    rows = "".join(
        f'<tr><td>&middot; <a href="zwgk/{sub}">{esc(notices[nid].title)}</a></td></tr>' for nid, sub, *_ in PAGES[:4]
    )
    html = (
        _top(here, "沈阳市人民政府")
        + f"""<table width="1000" border="0" align="center" class="main"><tr><td class="box_title"><a href="zwgk/index.html">政策文件</a></td></tr>{rows}</table>
"""
        + _footer()
    )
    return html.encode("gbk")


def build(notices: dict[str, Notice]) -> Tree:
    listings = paged(PAGES, PER_PAGE, lambda page, count: _listing(notices, page, count))
    return site_tree(SITE, False, "GBK pages, and the server says nothing about the charset",
                     [(f"{SITE}/index.html", _home(notices)), *listings], (_detail(notices, i) for i in range(len(PAGES))))
