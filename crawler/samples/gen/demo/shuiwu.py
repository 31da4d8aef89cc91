"""税屋-style policy aggregator (DedeCMS look): UTF-8 bytes, no charset in the header.

Listing list_1.html, list_2.html with a 下一页 link; articles article/NNNNN.html, two of them
split over NNNNN_2.html with the "本文章更多内容：1-2-下一页>>" pager. One article is UTF-8
behind a lying gb2312 <meta> (a page re-saved without fixing its head). Inside the article
container sit an ad line and the 版权声明 block, as on the real site.
"""
from __future__ import annotations

from datetime import date

from ..markup import ParaStyle, esc, rel
from ..notice import Line, Notice, restyle_year_brackets
from ..tree import Tree
from .common import expected_page, paged, site_tree

SITE = "shuiwu"
PER_PAGE = 4

# newest first: notice, article id, posting date (时间), channel, meta charset
ARTICLES = [
    ("liaoning_outpatient_settlement_2022", 196015, date(2022, 5, 10), "地方法规", "utf-8"),
    ("baoshan_medical_insurance_2020", 171809, date(2020, 9, 7), "地方法规", "utf-8"),
    ("tax_iit_annual_settlement_2019", 150322, date(2019, 12, 31), "财税法规", "utf-8"),
    ("eldercare_tax_relief_2019", 139904, date(2019, 6, 28), "财税法规", "gb2312"),
    ("zc_eldercare_services_2019", 131207, date(2019, 4, 17), "综合法规", "utf-8"),
    ("shenyang_health_services_2015", 80531, date(2015, 7, 12), "地方法规", "utf-8"),
]

# Articles shown in the site's newer page template (the later state): other ads, another
# footer, the same article text.
NEW_TEMPLATE: frozenset[int] = frozenset()

_STYLE = ParaStyle(
    p=lambda t: f"<p>{t}</p>",
    sign=lambda t: f'<p align="right">{t}</p>',
    head=lambda t: f'<p align="center"><strong>{t}</strong></p>',
)

_COPYRIGHT = """<div class="copyright"><p><strong>版权声明：</strong></p>
<p>出于传递更多信息之目的，本网除原创、整理之外所转载的内容，其相关阐述及结论并不代表本网观点、立场，政策法规来源以官方发布为准，政策法规引用及实务操作执行所产生的法律风险与本网无关！所有转载内容均注明来源和作者，如对转载、署名等有异议的媒体或个人可与本网(sfd2008@qq.com)联系，我们将在核实后及时进行相应处理。</p></div>"""

_NAV = ["首页", "财税法规", "地方法规", "政策解读", "实务操作", "税收筹划", "财税问答", "会计实务", "税屋学堂", "电子书"]


def shown_number(notice: Notice) -> str:
    """税屋 writes the year in half-width square brackets."""
    return restyle_year_brackets(notice.doc_number, "[", "]") if notice.doc_number else ""


def shown_title(notice: Notice) -> str:
    number = shown_number(notice)
    return f"{number} {notice.title}" if number else notice.title


def _head(here: str, title: str, charset: str, keywords: str = "", description: str = "") -> str:
    meta = ('<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />' if charset == "gb2312"
            else '<meta charset="utf-8" />')
    home = rel(here, "shuiwu/index.html")
    lst = rel(here, "shuiwu/list_1.html")
    nav = "".join(f'<li><a href="{home if k == 0 else lst}">{name}</a></li>' for k, name in enumerate(_NAV))
    return f"""<!DOCTYPE html>
<html>
<head>
{meta}
<title>{esc(title)}_税屋——第一时间传递财税政策法规！</title>
<meta name="keywords" content="{esc(keywords)}" />
<meta name="description" content="{esc(description)}" />
<link href="{rel(here, 'shuiwu/templets/style/dedecms.css')}" rel="stylesheet" media="screen" type="text/css" />
</head>
<body class="articleview">
<div class="topbar"><div class="w960">欢迎来到税屋！<a href="http://www.shuiwu.com/member/login.php" rel="nofollow">登录</a> | <a href="http://www.shuiwu.com/member/index_do.php?fmdo=user&amp;dopost=regnew" rel="nofollow">注册</a> | <a href="http://m.shuiwu.com/">手机版</a></div></div>
<div class="header"><div class="w960"><a href="{home}" class="logo"><img src="{rel(here, 'shuiwu/templets/images/logo.gif')}" alt="税屋" /></a>
<form class="search" name="formsearch" action="{rel(here, 'shuiwu/plus/search.php')}"><input type="hidden" name="kwtype" value="0" /><input name="q" type="text" class="search-keyword" value="在这里搜索..." /><button type="submit" class="search-submit">搜索</button></form></div></div>
<div class="nav"><ul class="w960">{nav}</ul></div>
"""


_FOOTER = """<div class="footer w960">
<p><a href="http://www.shuiwu.com/">税屋网</a> | <a href="http://www.shuiwu.com/about/">关于我们</a> | <a href="http://www.shuiwu.com/shengming/">网站声明</a> | <a href="http://www.shuiwu.com/lianxi/">联系我们</a> | <a href="http://www.shuiwu.com/jiucuo/">网站纠错</a></p>
<p>主办单位：杭州合呗信息技术有限公司</p>
<p>运行维护：《税屋》知识团队　　<a href="http://www.shuiwu.com/zhizhao/">电子营业执照</a></p>
<p>地址：杭州市滨江区浦沿街道南环路3738号722室</p>
<p><a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=33010802012426">浙公网安备33010802012426号</a> <a href="https://beian.miit.gov.cn/">浙ICP备2022015916号</a></p>
<ul class="qrcodes"><li>服务号</li><li>综合订阅号</li><li>建安地产号</li></ul>
</div>
</body>
</html>
"""


_FOOTER_NEW = """<div class="footer2024">
<div class="links w1200"><a href="http://www.shuiwu.com/">税屋网</a> · <a href="http://www.shuiwu.com/about/">关于税屋</a> · <a href="http://www.shuiwu.com/vip/">开通会员</a> · <a href="http://www.shuiwu.com/app/">下载APP</a></div>
<p>Copyright © 2015-2024 税屋网 版权所有　主办单位：杭州合呗信息技术有限公司</p>
<p><a href="https://beian.miit.gov.cn/">浙ICP备2022015916号-1</a>　<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=33010802012426">浙公网安备33010802012426号</a>　违法和不良信息举报：0571-86926999</p>
<div class="float-ad"><a href="http://xuetang.shuiwu.com/vip/"><img src="/shuiwu/uploads/ad/vip-float.png" alt="会员限时五折" /></a></div>
</div>
</body>
</html>
"""


def _ads(here: str, aid: int) -> tuple[str, str]:
    """(the banner above the article, the line at its end): the template's ads."""
    if aid in NEW_TEMPLATE:
        return (f'<div class="ad_banner2024"><a href="http://xuetang.shuiwu.com/vip/" target="_blank"><img src="{rel(here, "shuiwu/uploads/ad/vip1200x90.png")}" alt="税屋会员" /></a>'
                f'<a href="http://www.shuiwu.com/app/" target="_blank"><img src="{rel(here, "shuiwu/uploads/ad/app600x90.png")}" alt="下载税屋APP" /></a></div>',
                '<p class="arc_ad">【税屋学堂】2024年度汇算清缴实务直播课开讲，会员免费学，<a href="http://xuetang.shuiwu.com/vip/" target="_blank">立即开通&gt;&gt;</a></p>')
    return (f'<div class="ad_640"><a href="http://xuetang.shuiwu.com/" target="_blank"><img src="{rel(here, "shuiwu/uploads/ad/ad640x60.gif")}" alt="税屋学堂" /></a></div>',
            '<p class="arc_ad">【税屋学堂】个税汇算、社保入税实务课程火热报名中，<a href="http://xuetang.shuiwu.com/" target="_blank">立即报名&gt;&gt;</a></p>')


def _article_path(aid: int, part: int = 1) -> str:
    return f"shuiwu/article/{aid}.html" if part == 1 else f"shuiwu/article/{aid}_{part}.html"


def _pager(aid: int, part: int, total: int) -> str:
    if total == 1:
        return ""
    links = []
    if part > 1:
        links.append(f'<a href="{aid}.html" class="prev">&lt;&lt;上一页</a>' if part == 2 else f'<a href="{aid}_{part - 1}.html">&lt;&lt;上一页</a>')
    for k in range(1, total + 1):
        name = f"{aid}.html" if k == 1 else f"{aid}_{k}.html"
        links.append(f"<a>{k}</a>" if k == part else f'<a href="{name}">{k}</a>')
    if part < total:
        links.append(f'<a href="{aid}_{part + 1}.html">下一页</a>&gt;&gt;')
    return f'<div class="dede_pages"><ul class="pagelist">本文章更多内容：{"-".join(links)}</ul></div>\n'


def _article(notices: dict[str, Notice], i: int, part: int) -> tuple[str, bytes]:
    nid, aid, posted, channel, charset = ARTICLES[i]
    notice = notices[nid]
    here = _article_path(aid, part)
    total = len(notice.pages)
    lines: list[Line] = notice.pages[part - 1]
    title = shown_title(notice)
    opening = ""
    if part == 1:
        number = shown_number(notice)
        opening = f'<p align="center"><strong>{esc(notice.title)}</strong></p>\n'
        if number:
            opening += f'<p align="center">{esc(number)}\u3000\u3000\u3000\u3000{posted.isoformat()}</p>\n'
    paras = _STYLE.render(lines, indent="\u3000\u3000")
    rank = "".join(
        f'<li><a href="{rel(here, _article_path(ARTICLES[j][1]))}" title="{esc(shown_title(notices[ARTICLES[j][0]]))}">{esc(shown_title(notices[ARTICLES[j][0]])[:24])}</a></li>'
        for j in range(len(ARTICLES)) if j != i
    )
    newer = f'<a href="{rel(here, _article_path(ARTICLES[i - 1][1]))}">{esc(shown_title(notices[ARTICLES[i - 1][0]]))}</a>' if i > 0 else "没有了"
    older = f'<a href="{rel(here, _article_path(ARTICLES[i + 1][1]))}">{esc(shown_title(notices[ARTICLES[i + 1][0]]))}</a>' if i + 1 < len(ARTICLES) else "没有了"
    banner, ad_line = _ads(here, aid)
    html = (
        _head(here, title, charset, keywords=f"{shown_number(notice)},{channel}".strip(","), description=notice.summary())
        + f"""<div class="w960 clear">
<div class="place"><strong>当前位置:</strong> <a href="{rel(here, 'shuiwu/index.html')}">首页</a> &gt; <a href="{rel(here, 'shuiwu/list_1.html')}">{channel}</a> &gt; </div>
<div class="pleft">
<div class="viewbox">
<div class="title"><h2>{esc(title)}</h2></div>
<div class="info"><small>来源:</small>税屋 <small>作者:</small>税屋 <small>人气:</small><script src="{rel(here, 'shuiwu/plus/count.php')}?view=yes&amp;aid={aid}&amp;mid=1" type="text/javascript" language="javascript"></script> <small>时间:</small>{posted.isoformat()}</div>
<div class="intro"><strong>摘要:</strong>{esc(notice.summary())}</div>
{banner}
<div class="content" id="contentText">
{opening}{paras}
{_pager(aid, part, total)}{ad_line}
{_COPYRIGHT}
</div>
<div class="handle"><div class="context"><ul><li>上一篇：{newer}</li><li>下一篇：{older}</li></ul></div>
<div class="actbox"><ul><li id="act-fav"><a href="{rel(here, 'shuiwu/plus/stow.php')}?aid={aid}" target="_blank">收藏</a></li><li id="act-err"><a href="{rel(here, 'shuiwu/plus/erraddsave.php')}?aid={aid}" target="_blank">挑错</a></li><li id="act-pus"><a href="{rel(here, 'shuiwu/plus/recommend.php')}?aid={aid}" target="_blank">推荐</a></li><li id="act-pnt"><a href="#" onclick="window.print();">打印</a></li></ul></div></div>
</div>
</div>
<div class="pright">
<div class="commend"><dl class="tbox"><dt><strong>排行</strong></dt><dd><ul class="d4">{rank}</ul></dd></dl></div>
<div class="ad_300"><a href="http://www.shuiwu.com/zt/" target="_blank"><img src="{rel(here, 'shuiwu/uploads/ad/ad300x250.gif')}" alt="" /></a></div>
</div>
</div>
"""
        + (_FOOTER_NEW if aid in NEW_TEMPLATE else _FOOTER)
    )
    return here, html.encode("utf-8")


def _listing(notices: dict[str, Notice], page: int, count: int) -> tuple[str, bytes]:
    here = f"shuiwu/list_{page + 1}.html"
    rows = []
    for nid, aid, posted, channel, _ in ARTICLES[page * PER_PAGE:(page + 1) * PER_PAGE]:
        notice = notices[nid]
        rows.append(
            f'<li><a href="article/{aid}.html" class="title">{esc(shown_title(notice))}</a>'
            f'<span class="info"><small>日期：</small>{posted.isoformat()} <small>点击：</small>{aid % 997} <small>栏目：</small>{channel}</span>'
            f'<p class="intro">{esc(notice.summary(60))}...</p></li>'
        )
    pages = ['<li><a href="list_1.html">首页</a></li>']
    if page > 0:
        pages.append(f'<li><a href="list_{page}.html">上一页</a></li>')
    for k in range(count):
        pages.append(f'<li class="thisclass">{k + 1}</li>' if k == page else f'<li><a href="list_{k + 1}.html">{k + 1}</a></li>')
    if page + 1 < count:
        pages.append(f'<li><a href="list_{page + 2}.html">下一页</a></li>')
    pages.append(f'<li><a href="list_{count}.html">末页</a></li>')
    pages.append(f'<li><span class="pageinfo">共 <strong>{count}</strong>页<strong>{len(ARTICLES)}</strong>条</span></li>')
    html = (
        _head(here, "最新法规", "utf-8")
        + f"""<div class="w960 clear">
<div class="place"><strong>当前位置:</strong> <a href="index.html">首页</a> &gt; 最新法规 &gt; </div>
<div class="pleft"><div class="listbox"><ul class="e2">
{chr(10).join(rows)}
</ul></div>
<div class="dede_pages"><ul class="pagelist">{''.join(pages)}</ul></div>
</div>
<div class="pright"><div class="commend"><dl class="tbox"><dt><strong>热门标签</strong></dt><dd><a href="http://www.shuiwu.com/tags/gs/">个税</a> <a href="http://www.shuiwu.com/tags/sb/">社保</a> <a href="http://www.shuiwu.com/tags/yl/">养老</a></dd></dl></div></div>
</div>
"""
        + (_FOOTER_NEW if aid in NEW_TEMPLATE else _FOOTER)
    )
    return here, html.encode("utf-8")


def _home(notices: dict[str, Notice]) -> bytes:
    here = "shuiwu/index.html"
    rows = "".join(
        f'<li><a href="article/{aid}.html">{esc(shown_title(notices[nid]))}</a></li>' for nid, aid, *_ in ARTICLES[:4]
    )
    html = (
        _head(here, "税屋", "utf-8")
        + f'<div class="w960 clear"><div class="listbox"><h3><a href="list_1.html">最新法规</a></h3><ul>{rows}</ul></div></div>\n'
        + _FOOTER
    )
    return html.encode("utf-8")


def _copy(notices: dict[str, Notice], i: int) -> tuple[dict[str, bytes], dict]:
    """An article's pages (one per page of the notice) and its ground truth."""
    nid, aid, posted, _, charset = ARTICLES[i]
    notice = notices[nid]
    files = dict(_article(notices, i, part) for part in range(1, len(notice.pages) + 1))
    parts = list(files)
    has_signature = any(line.kind == "sign" for line in notice.lines)
    return files, expected_page(
        notice, parts[0], site=SITE, encoding="utf-8", declared_charset=charset, header_charset="",
        doc_number_raw=shown_number(notice) or None,
        agency=notice.agency if has_signature else None,
        signed=notice.signed if has_signature else None,
        published=posted, parts=parts,
    )


def build(notices: dict[str, Notice]) -> Tree:
    listings = paged(ARTICLES, PER_PAGE, lambda page, count: _listing(notices, page, count))
    return site_tree(SITE, False, "aggregator: UTF-8 pages, no charset in the header",
                     [(f"{SITE}/index.html", _home(notices)), *listings], (_copy(notices, i) for i in range(len(ARTICLES))))
