"""保山市人民政府 信息公开: a TRS-style open-information site, UTF-8, charset in the header.

Listing pages index.html, index_1.html, index_2.html with the TRS pager script
(createPageHTML) and a plain 下一页 link; detail pages carry the 索引号/发布机构/公开目录/
发布日期/文号/浏览量 table with labels padded differently from page to page.
"""
from __future__ import annotations

from pathlib import Path

from ..markup import ParaStyle, esc, rel
from ..notice import Notice
from ..tree import Tree
from .common import expected_page, paged, site_tree

SITE = "baoshan"
LIST_DIR = "baoshan/xxgk"
PER_PAGE = 3
# the attachment files the pages link to (made by tests/extract/fixtures/attachments/
# make_fixtures.py); a link whose file is not here answers 404, as real sites' often do
ATTACHMENTS = Path(__file__).resolve().parents[2] / "attachments" / SITE

# newest first, as the listing shows them: notice, path, body container, label style, attachments, time
PAGES = [
    ("baoshan_aging_plan_2022", "202203/t20220308_338712.html", "zoom", "ideo",
     [("P020220308573810215361.pdf", "保山市“十四五”老龄事业发展和养老服务体系规划.pdf")], "10:32"),
    ("baoshan_ltc_insurance_2021", "202107/t20210715_315620.html", "trs", "colon",
     [("P020210715608214377521.docx", "保山市长期护理保险制度试点实施细则.docx")], "15:26"),
    ("baoshan_chronic_disease_2021", "202103/t20210318_309455.html", "trs", "nbsp",
     [("P020210318412290638417.docx", "保山市慢性病综合防控示范区建设工作方案.docx")], "09:15"),
    ("baoshan_elderly_month_2020", "202009/t20200928_297731.html", "trs", "nbsp", [], "17:40"),
    ("baoshan_medical_insurance_2020", "202009/t20200903_295102.html", "zoom", "colon", [], "11:08"),
    ("baoshan_public_transport_2019", "201910/t20191016_280317.html", "trs", "ideo",
     [("P020191016519036724408.pdf", "保山市城市公共交通优先发展实施方案.pdf")], "15:21"),
    ("baoshan_eldercare_service_2019", "201908/t20190826_276604.html", "zoom", "colon", [], "08:57"),
    ("baoshan_family_doctor_2019", "201906/t20190614_271188.html", "zoom", "nbsp",
     [("P020190614380925531672.docx", "保山市推进家庭医生签约服务高质量发展实施方案.docx")], "16:44"),
    ("baoshan_big_health_2018", "201812/t20181224_254003.html", "trs", "plain",
     [("P020181224396587712345.pdf", "保山市大健康产业发展工作实施方案.pdf")], "16:05"),
]

_LABELS = {
    # seed 002 shows the labels bare; other pages pad them with &nbsp; or U+3000
    "plain": ("索引号", "发布机构", "公开目录", "发布日期", "文号", "浏览量"),
    "colon": ("索引号：", "发布机构：", "公开目录：", "发布日期：", "文号：", "浏览量："),
    "nbsp": ("索&nbsp;引&nbsp;号：", "发布机构：", "公开目录：", "发布日期：", "文&nbsp;&nbsp;号：", "浏&nbsp;览&nbsp;量："),
    "ideo": ("索\u3000引\u3000号：", "发布机构：", "公开目录：", "发布日期：", "文\u3000\u3000号：", "浏\u3000览\u3000量："),
}

_TRS_STYLE = ParaStyle(
    p=lambda t: f'<p style="text-indent: 2em; line-height: 2em; font-family: 仿宋_GB2312; font-size: 16pt;">{t}</p>',
    sign=lambda t: f'<p style="text-align: right; line-height: 2em; font-family: 仿宋_GB2312; font-size: 16pt;">{t}</p>',
    head=lambda t: f'<p style="text-align: center; line-height: 2em;"><strong><span style="font-family: 方正小标宋简体; font-size: 22pt;">{t}</span></strong></p>',
)
_ZOOM_STYLE = ParaStyle(
    p=lambda t: f'<p align="justify">{t}</p>',
    sign=lambda t: f'<p align="right">{t}</p>',
    head=lambda t: f'<p align="center"><b>{t}</b></p>',
)
_TRS_CSS = (
    "<style type=\"text/css\">.TRS_Editor P{margin-top:0px;margin-bottom:12px;line-height:1.8;"
    "font-family:宋体;font-size:12pt;}.TRS_Editor DIV{margin-top:0px;margin-bottom:12px;}</style>"
)

_HEAD_SCRIPT = """<script type="text/javascript">
var _hmt = _hmt || [];
(function() {
  var hm = document.createElement("script");
  hm.src = "https://hm.baidu.com/hm.js?5f1b0e2d8c3a4b6e9d7f0a1c2b3d4e5f";
  var s = document.getElementsByTagName("script")[0];
  s.parentNode.insertBefore(hm, s);
})();
</script>"""

_NAV = [
    ("首页", None), ("走进保山", "http://www.baoshan.gov.cn/zjbs/"), ("政务公开", "xxgk"),
    ("政务服务", "https://zwfw.yn.gov.cn/portal/#/home?region=530500"), ("互动交流", "http://www.baoshan.gov.cn/hdjl/"),
    ("专题专栏", "http://www.baoshan.gov.cn/ztzl/"), ("数据发布", "http://www.baoshan.gov.cn/sjfb/"),
]
_CATALOG = ["机构职能", "政策文件", "市政府文件", "市政府办公室文件", "部门文件", "规划计划",
            "财政资金", "人事信息", "重点领域信息公开", "建议提案办理", "政府信息公开年报"]


def _top(here: str, title: str, meta: str = "") -> str:
    home = rel(here, "baoshan/index.html")
    nav = []
    for name, target in _NAV:
        href = home if target is None else (rel(here, f"{LIST_DIR}/index.html") if target == "xxgk" else target)
        nav.append(f'<li><a href="{href}">{name}</a></li>')
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta http-equiv="X-UA-Compatible" content="IE=edge,chrome=1" />
<title>{esc(title)}</title>
{meta}<link href="{rel(here, 'baoshan/images/xxgk.css')}" rel="stylesheet" type="text/css" />
<script type="text/javascript" src="{rel(here, 'baoshan/images/jquery-1.8.3.min.js')}"></script>
{_HEAD_SCRIPT}
</head>
<body>
<div class="topbar"><div class="w1200">
<span class="welcome">欢迎访问保山市人民政府门户网站！</span>
<span class="date">今天是：<script type="text/javascript">var d=new Date();document.write(d.getFullYear()+"年"+(d.getMonth()+1)+"月"+d.getDate()+"日");</script></span>
<span class="tools"><a href="javascript:void(0);" id="wza">无障碍</a> | <a href="javascript:void(0);" id="zhmode">长者模式</a> | <a href="javascript:void(0);" id="jtft">繁体</a> | <a href="http://www.baoshan.gov.cn/wap/">手机版</a></span>
</div></div>
<div class="header"><div class="w1200">
<a class="logo" href="{home}"><img src="{rel(here, 'baoshan/images/logo.png')}" alt="保山市人民政府" /></a>
<form class="search" action="http://www.baoshan.gov.cn/was5/web/search" method="get" target="_blank">
<input type="hidden" name="channelid" value="234567" /><input type="text" name="searchword" placeholder="请输入关键字" /><input type="submit" value="搜索" />
</form>
</div></div>
<div class="nav"><ul class="w1200">{''.join(nav)}</ul></div>
"""


def _footer(here: str) -> str:
    return f"""<div class="footer">
<div class="footer_links"><a href="http://www.baoshan.gov.cn/wzdt/">网站地图</a> | <a href="http://www.baoshan.gov.cn/lxwm/">联系我们</a> | <a href="http://www.baoshan.gov.cn/syzn/">使用帮助</a> | <a href="http://www.baoshan.gov.cn/yssm/">隐私声明</a></div>
<p>主办单位：保山市人民政府办公室　　承办：保山市人民政府信息中心</p>
<p>地址：云南省保山市隆阳区正阳北路6号　　邮编：678000　　联系电话：0875-2120123</p>
<p><a href="https://beian.miit.gov.cn/" target="_blank">滇ICP备05003221号-1</a>　　<img src="{rel(here, 'baoshan/images/ga.png')}" alt="" /><a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=53050202000103" target="_blank">滇公网安备 53050202000103号</a>　　网站标识码：5305000001</p>
<p class="icons"><a href="https://bszs.conac.cn/sitename?method=show&amp;id=0B5B4E6F1A2C3D4E" target="_blank"><img src="{rel(here, 'baoshan/images/dzjg.png')}" alt="党政机关" /></a>
<script id="_jiucuo_" sitecode="5305000001" src="https://zfwzgl.www.gov.cn/exposure/jiucuo.js"></script></p>
</div>
</body>
</html>
"""


def _catalog(here: str) -> str:
    index = rel(here, f"{LIST_DIR}/index.html")
    items = "".join(f'<li><a href="{index}">{name}</a></li>' for name in _CATALOG)
    return f"""<div class="xxgk_left">
<div class="xxgk_nav_title">政府信息公开</div>
<ul class="xxgk_nav"><li><a href="{index}">政府信息公开指南</a></li><li><a href="{index}">政府信息公开制度</a></li><li class="on"><a href="{index}">法定主动公开内容</a></li><li><a href="http://www.baoshan.gov.cn/xxgkndbg/">政府信息公开年报</a></li></ul>
<div class="xxgk_tree_title">公开目录</div>
<ul class="xxgk_tree">{items}</ul>
</div>
"""


def _table(notice: Notice, style: str, published: str) -> str:
    labels = _LABELS[style]
    doc = esc(notice.doc_number)
    return f"""<table class="xxgk_table" width="100%" border="0" cellspacing="1" cellpadding="0">
<tbody>
<tr><td class="td_lable">{labels[0]}</td><td class="td_content">{esc(notice.index_number)}</td><td class="td_lable">{labels[1]}</td><td class="td_content">{esc(notice.publisher or notice.agency)}</td></tr>
<tr><td class="td_lable">{labels[2]}</td><td class="td_content">{esc(notice.category)}</td><td class="td_lable">{labels[3]}</td><td class="td_content">{published}</td></tr>
<tr><td class="td_lable">{labels[4]}</td><td class="td_content">{doc}</td><td class="td_lable">{labels[5]}</td><td class="td_content"><span id="pv"></span></td></tr>
</tbody>
</table>
"""


def _detail(notices: dict[str, Notice], i: int) -> tuple[dict[str, bytes], dict]:
    nid, sub, container, labels, attachments, hhmm = PAGES[i]
    notice = notices[nid]
    here = f"{LIST_DIR}/{sub}"
    published = notice.published.isoformat()
    meta = (
        f'<meta name="SiteName" content="保山市人民政府" />\n<meta name="SiteDomain" content="www.baoshan.gov.cn" />\n'
        f'<meta name="SiteIDCode" content="5305000001" />\n<meta name="ColumnName" content="{esc(notice.category)}" />\n'
        f'<meta name="ColumnType" content="信息公开" />\n<meta name="ArticleTitle" content="{esc(notice.title)}" />\n'
        f'<meta name="PubDate" content="{published} {hhmm}" />\n<meta name="ContentSource" content="{esc(notice.publisher or notice.agency)}" />\n'
        f'<meta name="Keywords" content="{esc(notice.category)},保山" />\n<meta name="Description" content="{esc(notice.summary(60))}" />\n'
    )
    if container == "trs":
        body = f'<div class="TRS_Editor">{_TRS_CSS}\n{_TRS_STYLE.render(notice.lines)}\n</div>'
    else:
        body = f'<div id="zoom" class="view_content">\n{_ZOOM_STYLE.render(notice.lines, indent=chr(0x3000) * 2)}\n</div>'
    attach = ""
    if attachments:
        links = "".join(
            f'<p><a href="./{name}" target="_blank" oldsrc="W0{sub[8:16]}{k}.{name.rsplit(".", 1)[1]}">{k + 1}.{esc(label)}</a></p>'
            for k, (name, label) in enumerate(attachments)
        )
        attach = f'<div class="attachment"><span class="attach_title">附件：</span>\n{links}\n</div>\n'
    prev_link = "没有了"
    next_link = "没有了"
    if i > 0:
        pn = notices[PAGES[i - 1][0]]
        prev_link = f'<a href="{rel(here, LIST_DIR + "/" + PAGES[i - 1][1])}">{esc(pn.title)}</a>'
    if i + 1 < len(PAGES):
        nn = notices[PAGES[i + 1][0]]
        next_link = f'<a href="{rel(here, LIST_DIR + "/" + PAGES[i + 1][1])}">{esc(nn.title)}</a>'
    related = []
    for k in (2, 5):
        j = (i + k) % len(PAGES)
        related.append(f'<li><a href="{rel(here, LIST_DIR + "/" + PAGES[j][1])}" target="_blank">{esc(notices[PAGES[j][0]].title)}</a></li>')
    related.append('<li><a href="http://www.yn.gov.cn/" target="_blank">云南省人民政府</a></li>')
    related.append('<li><a href="http://www.gov.cn/" target="_blank">中国政府网</a></li>')
    page = (
        _top(here, f"{notice.title}_保山市人民政府", meta)
        + f"""<div class="main w1200">
<div class="position">当前位置：<a href="{rel(here, 'baoshan/index.html')}">首页</a> &gt; <a href="{rel(here, LIST_DIR + '/index.html')}">信息公开</a> &gt; <a href="{rel(here, LIST_DIR + '/index.html')}">{esc(notice.category)}</a></div>
{_catalog(here)}<div class="xxgk_right">
{_table(notice, labels, published)}<div class="detail">
<h1 class="detail_title">{esc(notice.title)}</h1>
<div class="detail_info"><span>发布时间：{published} {hhmm}</span><span>来源：{esc(notice.publisher or notice.agency)}</span><span>浏览次数：<script type="text/javascript" src="http://www.baoshan.gov.cn/trs/count.js?docid={sub[-11:-5]}"></script></span><span class="font">字体：【<a href="javascript:doZoom(20)">大</a> <a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a>】</span></div>
<div class="detail_content">
{body}
</div>
{attach}<div class="share_bar"><span class="bdsharebuttonbox">分享到：<a href="#" class="bds_weixin" data-cmd="weixin" title="分享到微信">微信</a><a href="#" class="bds_tsina" data-cmd="tsina" title="分享到新浪微博">微博</a><a href="#" class="bds_qzone" data-cmd="qzone" title="分享到QQ空间">QQ空间</a></span>
<span class="print"><a href="javascript:window.print();">【打印本页】</a><a href="javascript:window.close();">【关闭窗口】</a></span></div>
<div class="prev_next"><p>上一篇：{prev_link}</p><p>下一篇：{next_link}</p></div>
<div class="related"><div class="related_title">相关链接</div><ul>{''.join(related)}</ul></div>
</div>
</div>
</div>
"""
        + _footer(here)
    )
    record = expected_page(
        notice, here, site=SITE, encoding="utf-8", declared_charset="utf-8", header_charset="utf-8",
        doc_number_raw=notice.doc_number or None, agency=notice.agency, signed=notice.signed,
        published=notice.published, index_number=notice.index_number,
    )
    files = {}
    if attachments:
        folder = here.rsplit("/", 1)[0]
        for name, _ in attachments:
            if (ATTACHMENTS / name).is_file():
                files[f"{folder}/{name}"] = (ATTACHMENTS / name).read_bytes()
        record["attachments"] = [f"/{folder}/{name}" for name, _ in attachments]
        missing = [f"/{folder}/{name}" for name, _ in attachments if f"{folder}/{name}" not in files]
        if missing:
            record["attachments_missing"] = missing
    if notice.extra.get("body_from_attachment"):
        record["body_from_attachment"] = True
        record["attachment_text_file"] = notice.extra["attachment_text"]
    return {here: page.encode("utf-8"), **files}, record


def _pager_script(page: int, count: int) -> str:
    return f"""<script type="text/javascript">
var currentPage = {page};//所在页从0开始
var prevPage = currentPage-1//上一页
var nextPage = currentPage+1//下一页
var countPage = {count}//共多少页
createPageHTML({count}, {page}, "index", "html");
</script>"""


def _listing(notices: dict[str, Notice], page: int, count: int) -> tuple[str, bytes]:
    name = "index.html" if page == 0 else f"index_{page}.html"
    here = f"{LIST_DIR}/{name}"
    rows = []
    for nid, sub, *_ in PAGES[page * PER_PAGE:(page + 1) * PER_PAGE]:
        notice = notices[nid]
        shown = notice.title if len(notice.title) <= 30 else notice.title[:29] + "..."
        rows.append(
            f'<li><span class="xxgk_index">{esc(notice.index_number)}</span><a href="./{sub}" target="_blank" title="{esc(notice.title)}">{esc(shown)}</a>'
            f'<span class="xxgk_doc">{esc(notice.doc_number)}</span><span class="xxgk_date">{notice.published.isoformat()}</span></li>'
        )
    plain = ['<a href="index.html">首页</a>']
    if page > 0:
        prev = "index.html" if page == 1 else f"index_{page - 1}.html"
        plain.append(f'<a href="{prev}" class="prev">上一页</a>')
    else:
        plain.append('<span class="disabled">上一页</span>')
    if page + 1 < count:
        plain.append(f'<a href="index_{page + 1}.html" class="next">下一页</a>')
    else:
        plain.append('<span class="disabled">下一页</span>')
    plain.append(f'<a href="index_{count - 1}.html">尾页</a>')
    html = (
        _top(here, "信息公开_保山市人民政府", '<meta name="ColumnName" content="市政府办公室文件" />\n<meta name="ColumnType" content="信息公开" />\n')
        + f"""<div class="main w1200">
<div class="position">当前位置：<a href="{rel(here, 'baoshan/index.html')}">首页</a> &gt; <a href="index.html">信息公开</a> &gt; <span>法定主动公开内容</span></div>
{_catalog(here)}<div class="xxgk_right">
<div class="xxgk_list_head"><span class="xxgk_index">索引号</span><span class="xxgk_title">标题</span><span class="xxgk_doc">文号</span><span class="xxgk_date">发布日期</span></div>
<ul class="xxgk_list">
{chr(10).join(rows)}
</ul>
<div class="page_nav">
{_pager_script(page, count)}
<span class="page_plain">{' '.join(plain)}</span>
<span class="page_info">共{count}页 当前第{page + 1}页</span>
</div>
</div>
</div>
"""
        + _footer(here)
    )
    return here, html.encode("utf-8")


def _home(notices: dict[str, Notice]) -> bytes:
    here = "baoshan/index.html"
    news = "".join(
        f'<li><a href="xxgk/{sub}" title="{esc(notices[nid].title)}">{esc(notices[nid].title)}</a><span>{notices[nid].published.isoformat()}</span></li>'
        for nid, sub, *_ in PAGES[:5]
    )
    html = (
        _top(here, "保山市人民政府")
        + f"""<div class="main w1200">
<div class="banner"><img src="images/banner.jpg" alt="" /></div>
<div class="home_box"><div class="home_box_title"><a href="xxgk/index.html">政府信息公开</a><a class="more" href="xxgk/index.html">更多&gt;&gt;</a></div>
<ul class="home_list">{news}</ul></div>
<div class="home_box"><div class="home_box_title">保山要闻</div>
<ul class="home_list"><li><a href="http://www.baoshan.gov.cn/bsyw/">市政府召开常务会议</a></li><li><a href="http://www.baoshan.gov.cn/bsyw/">全市重点项目建设推进会召开</a></li></ul></div>
</div>
"""
        + _footer(here)
    )
    return html.encode("utf-8")


def build(notices: dict[str, Notice]) -> Tree:
    listings = paged(PAGES, PER_PAGE, lambda page, count: _listing(notices, page, count))
    return site_tree(SITE, "utf-8", "TRS open-information site: UTF-8, charset in the header",
                     [(f"{SITE}/index.html", _home(notices)), *listings], (_detail(notices, i) for i in range(len(PAGES))))
