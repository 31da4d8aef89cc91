"""冰豆网-style document-sharing site: uploaded Word/PDF files shown as text, UTF-8.

Upload metadata (上传人/文档编号/上传时间/格式/页数/大小), page thumbnails, the
下载文档前请自行甄别… notices, 展开阅读全文, 相关资源/猜你喜欢/相关搜索 and a wrong
category breadcrumb. The copy of 沈政发〔2015〕31号 lacks its 文号 and has its lines broken
mid-sentence, as a PDF conversion leaves them.
"""
from __future__ import annotations

from datetime import date

from ..markup import esc, rel
from ..notice import Line, Notice
from ..tree import Tree
from .common import expected_page, site_tree

SITE = "bingdou"
WRAP = 36  # characters per line of the converted PDF

# newest upload first: notice, doc id, file name, shown title (None = file name), upload date,
# format, pages, size, uploader, breadcrumb, text variant, leading lines of the file
DOCS = [
    ("xxshan_health_eldercare_plan", 28257107, "实施方案XX山市推进健康养老产业转型发展实施方案.docx", None,
     date(2023, 7, 9), "DOCX", 7, "19.78KB", "b****8", ("小学教育", "数学"), None, ["实施方案XX山市推进健康养老产业转型发展实施方案"]),
    ("shenyang_health_services_2015", 20495571, "沈阳市人民政府关于印发沈阳市促进健康服务业发展三年行动计划的通知.doc", None,
     date(2021, 11, 2), "DOC", 12, "45.50KB", "s****n", ("高等教育", "管理学"), "pdf-linebreaks",
     ["沈阳市人民政府关于印发沈阳市促进健康服务业发展三年行动计划的通知"]),
    ("zc_ltc_insurance_pilot_2020", 9128816, "国家医保局 财政部关于扩大长期护理保险制度试点的指导意见.docx", None,
     date(2020, 11, 19), "DOCX", 6, "21.36KB", "b****g", ("法律文书", "调解书"), None,
     ["国家医保局 财政部关于扩大长期护理保险制度试点的指导意见", "医保发〔2020〕37号"]),
    ("guizhou_social_medical_draft", 11843029, "贵州省关于支持社会力量提供多层次多样化医疗服务的实施方案征求意见稿.docx",
     "多样化医疗服务的实施方案", date(2018, 3, 21), "DOCX", 9, "33.50KB", "q****0", ("工作范文", "其它"), None, []),
]


def _doc_path(doc_id: int) -> str:
    return f"bingdou/doc/{doc_id}.html"


def _wrapped(lines: list[Line]) -> list[str]:
    out = []
    for line in lines:
        text = line.text
        out.extend(text[k:k + WRAP] for k in range(0, len(text), WRAP))
    return out


def _head(here: str, title: str) -> str:
    home = rel(here, "bingdou/index.html")
    return f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{esc(title)} - 冰豆网</title>
<meta name="keywords" content="{esc(title)}" />
<link type="text/css" rel="stylesheet" href="{rel(here, 'bingdou/css/detail.css')}" />
</head>
<body>
<div class="top"><div class="w1200"><a href="{home}" class="logo"><img src="{rel(here, 'bingdou/images/logo.png')}" alt="冰豆网" /></a>
<ul class="topnav"><li><a href="{home}">首页</a></li><li><a href="https://www.bdocx.com/list/jiaoyu/">教育专区</a></li><li><a href="https://www.bdocx.com/list/gaodeng/">高等教育</a></li><li><a href="https://www.bdocx.com/list/fanwen/">实用范文</a></li><li><a href="https://www.bdocx.com/list/zhichang/">职场</a></li></ul>
<form class="search" action="https://www.bdocx.com/search.html"><input type="text" name="q" placeholder="搜索文档" /><input type="submit" value="搜索" /></form>
<span class="login"><a href="https://www.bdocx.com/user/login.html">登录</a> | <a href="https://www.bdocx.com/user/reg.html">注册</a></span></div></div>
"""


_FOOTER = """<div class="footer"><div class="w1200">
<p><a href="https://www.bdocx.com/about.html">关于我们</a> - <a href="https://www.bdocx.com/help.html">网站声明</a> - <a href="https://www.bdocx.com/sitemap.html">网站地图</a> - <a href="https://www.bdocx.com/sitemap.xml">资源地图</a> - <a href="https://www.bdocx.com/friend.html">友情链接</a> - <a href="https://www.bdocx.com/contact.html">网站客服</a> - <a href="https://www.bdocx.com/contact.html">联系我们</a></p>
<p>copyright@ 2008-2022 冰豆网网站版权所有</p>
<p>经营许可证编号：<a href="https://beian.miit.gov.cn/" target="_blank">鄂ICP备2022015515号-1</a></p>
</div></div>
</body>
</html>
"""


def _detail(notices: dict[str, Notice], i: int) -> tuple[dict[str, bytes], dict]:
    nid, doc_id, filename, shown, uploaded, fmt, npages, size, user, crumb, variant, leading = DOCS[i]
    notice = notices[nid]
    here = _doc_path(doc_id)
    stem = filename.rsplit(".", 1)[0]
    headline = shown or filename
    thumbs = "".join(
        f'<div class="page-img"><img src="{rel(here, "bingdou/images/loading.gif")}" data-src="https://img.bdocx.com/{doc_id}/{k}.png" alt="{esc(stem)}.{fmt.lower()}_第{k}页" />'
        f'<p class="page-num">第{k}页 / 共{npages}页</p></div>'
        for k in range(1, min(npages, 5) + 1)
    )
    if variant == "pdf-linebreaks":
        texts = leading + _wrapped(notice.lines)
    else:
        texts = leading + [line.text for line in notice.lines]
    body = "\n".join(f"<p>{esc(t)}</p>" for t in texts)
    others = "".join(
        f'<li><a href="{rel(here, _doc_path(DOCS[j][1]))}" title="{esc(DOCS[j][2])}">{esc(DOCS[j][2])}</a></li>'
        for j in range(len(DOCS)) if j != i
    )
    guess = "".join(
        f'<li><a href="https://www.bdocx.com/doc/{doc_id + k * 7919}.html">{t}</a></li>'
        for k, t in enumerate(["人教版小学数学三年级上册期末测试卷.docx", "最新幼儿园大班安全教育教案.doc", "2023年公务员考试行测真题及答案.docx", "初中英语语法大全.pdf"], 1)
    )
    html = (
        _head(here, headline)
        + f"""<div class="w1200 main">
<div class="detail-left">
<div class="detail-title"><h1>{esc(headline)}</h1></div>
<div class="detail-info"><span>上传人：{esc(user)}</span><span>文档编号：{doc_id}</span><span>上传时间：{uploaded.isoformat()}</span><span>格式：{fmt}</span><span>页数：{npages}</span><span>大小：{size}</span></div>
<div class="detail-btns"><a href="https://www.bdocx.com/down/{doc_id}.html" class="btn-down" rel="nofollow">下载</a> <a href="#related" class="btn-related">相关</a> <a href="https://www.bdocx.com/jubao/{doc_id}.html" class="btn-report" rel="nofollow">举报</a></div>
<div class="page-imgs">{thumbs}<a href="javascript:void(0);" class="more-pages">点击查看更多&gt;&gt;</a></div>
<div class="down-box"><a href="https://www.bdocx.com/down/{doc_id}.html" rel="nofollow">下载资源</a></div>
<div class="tips"><ol><li>1、下载文档前请自行甄别文档内容的完整性，平台不提供额外的编辑、内容补充、找答案等附加服务。</li><li>2、"仅部分预览"的文档，不可在线预览部分如存在完整性等问题，可反馈申请退款（可完整预览的文档不适用该条件！）。</li><li>3、如文档侵犯您的权益，请联系客服反馈，我们会尽快为您处理（人工客服工作时间：9:00-18:30）。</li></ol></div>
<div class="detail-desc"><h3>资源描述</h3>
<p class="desc-title">{esc(filename)}</p>
<p class="desc-share">《{esc(filename)}》由会员分享，可在线阅读，更多相关《{esc(filename)}（{npages}页珍藏版）》请在冰豆网上搜索。</p>
<div class="detail-article prohibitSelect" id="detail-article">
<p class="doc-name">{esc(filename)}</p>
{body}
</div>
<div class="read-all"><a href="javascript:void(0);" onclick="showAll()">展开阅读全文</a></div>
</div>
<div class="related" id="related"><h3>相关资源</h3><ul>{others}</ul></div>
<div class="guess"><h3>猜你喜欢</h3><ul>{guess}</ul></div>
<div class="search-tags"><h3>相关搜索</h3><a href="https://www.bdocx.com/search.html?q=实施方案">实施方案</a> <a href="https://www.bdocx.com/search.html?q=健康">健康</a> <a href="https://www.bdocx.com/search.html?q=养老">养老</a></div>
<div class="tags"><h3>资源标签</h3></div>
<div class="crumb">当前位置：<a href="{rel(here, 'bingdou/index.html')}">首页</a> &gt; <a href="https://www.bdocx.com/list/{doc_id % 97}/">{crumb[0]}</a> &gt; <a href="https://www.bdocx.com/list/{doc_id % 89}/">{crumb[1]}</a></div>
</div>
<div class="detail-right"><div class="hot"><h3>热门文档</h3><ul>{guess}</ul></div></div>
</div>
"""
        + _FOOTER
    )
    signed_on_page = any(line.kind == "sign" for line in notice.lines)
    leading_number = next((t for t in leading if t.endswith("号") and "〔" in t), None)
    record = expected_page(
        notice, here, site=SITE, encoding="utf-8", declared_charset="utf-8", header_charset="utf-8",
        doc_number_raw=leading_number,
        agency=notice.agency if signed_on_page else None,
        signed=notice.signed if signed_on_page else None,
        # 上传时间 is when someone uploaded the file, not when the notice was published:
        # the copy carries no publication date of its own
        published=None,
        shown_title=headline if headline != notice.title else None,
        text_variant=variant,
    )
    return {here: html.encode("utf-8")}, record


def _listing(notices: dict[str, Notice]) -> bytes:
    here = "bingdou/index.html"
    rows = "\n".join(
        f'<li><span class="icon {fmt.lower()}"></span><a href="doc/{doc_id}.html" class="doc-link" title="{esc(filename)}">{esc(shown or filename)}</a>'
        f'<span class="pages">{npages}页</span><span class="date">{uploaded.isoformat()}</span></li>'
        for nid, doc_id, filename, shown, uploaded, fmt, npages, *_ in DOCS
    )
    html = (
        _head(here, "冰豆网 - 文档分享平台")
        + f"""<div class="w1200 main">
<div class="banner"><img src="images/banner.jpg" alt="" /></div>
<div class="box"><h3>最新上传</h3><ul class="doc-list">
{rows}
</ul></div>
<div class="box"><h3>热门分类</h3><a href="https://www.bdocx.com/list/jiaoyu/">教育专区</a> <a href="https://www.bdocx.com/list/fanwen/">实用范文</a> <a href="https://www.bdocx.com/list/zhichang/">职场</a></div>
</div>
"""
        + _FOOTER
    )
    return html.encode("utf-8")


def build(notices: dict[str, Notice]) -> Tree:
    return site_tree(SITE, "utf-8", "document-sharing site: UTF-8, charset in the header",
                     [(f"{SITE}/index.html", _listing(notices))], (_detail(notices, i) for i in range(len(DOCS))))
