"""An SEO spam site copying notices: a wrong <title> and headline, the real notice in the
body, and junk appended inside the same container (broken template braces, live-stream
ads, 我要回帖, 更多推荐, a 版权声明 of its own). UTF-8, charset in the header.
"""
from __future__ import annotations

from datetime import date

from ..markup import esc
from ..notice import Notice
from ..tree import Tree
from .common import expected_page, site_tree

SITE = "spam"

# notice, article id, fake headline, posting date, 文号 line shown above the text (or None)
POSTS = [
    ("baoshan_family_doctor_2019", 35608, "智慧米童加盟费多少钱?智慧米童加盟条件", date(2023, 11, 7), "unpadded"),
    ("healthy_shenyang_2030", 35521, "智慧米童教育综合体是做什么的?", date(2023, 11, 5), None),
]

_JUNK = ["}", "欢迎来到本港台直播在线观看!", "本港台直播在线观看浙江省台州市考察组来广元市考察调研", "}"]


def _unpadded(number: str) -> str:
    # the copier dropped the zero padding of the serial: 066号 -> 66号
    return number.replace("〕0", "〕")


def _page(notices: dict[str, Notice], i: int) -> tuple[dict[str, bytes], dict]:
    nid, aid, headline, posted, number_style = POSTS[i]
    notice = notices[nid]
    here = f"spam/news/{aid}.html"
    number = _unpadded(notice.doc_number) if number_style and notice.doc_number else None
    lines = ([number] if number else []) + [line.text for line in notice.lines]
    body = "\n".join(f"<p>{esc(t)}</p>" for t in lines)
    junk = "\n".join(f"<p>{esc(t)}</p>" for t in _JUNK)
    more = "".join(
        f'<li><a href="http://www.zhihuimitong.cn/news/{aid + k}.html">{t}</a></li>'
        for k, t in enumerate(["智慧米童加盟靠谱吗", "少儿编程哪家好", "本港台直播在线观看", "2023年早教加盟排行榜"], 1)
    )
    html = f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{esc(headline)}_智慧米童</title>
<meta name="keywords" content="智慧米童,智慧米童加盟,本港台直播" />
<meta name="description" content="{esc(headline)}" />
<script src="https://www.zhihuimitong.cn/js/tongji.js"></script>
</head>
<body>
<div class="head"><a href="index.html" class="logo">智慧米童</a><ul class="menu"><li><a href="index.html">首页</a></li><li><a href="http://www.zhihuimitong.cn/jiameng/">加盟</a></li><li><a href="http://www.zhihuimitong.cn/news/">资讯</a></li></ul></div>
<div class="main">
<h1>{esc(headline)}</h1>
<div class="meta">发布时间：{posted.isoformat()} 08:12　作者：admin　阅读：{aid % 1000}</div>
<div class="article-content">
{body}
{junk}
<div class="reply"><a href="http://www.zhihuimitong.cn/reply/{aid}.html">我要回帖</a></div>
<div class="more-about">更多关于 <a href="http://www.zhihuimitong.cn/tag/zhmt/">智慧米童</a> 的文章</div>
</div>
<div class="tuijian"><h3>更多推荐</h3><ul>{more}</ul></div>
<div class="copyright">版权声明：文章内容来源于网络，版权归原作者所有，如有侵权请点击这里与我们联系，我们将及时删除。</div>
<div class="wx"><a href="javascript:void(0);">点击添加站长微信</a></div>
</div>
</body>
</html>
"""
    signed_on_page = any(line.kind == "sign" for line in notice.lines)
    record = expected_page(
        notice, here, site=SITE, encoding="utf-8", declared_charset="utf-8", header_charset="utf-8",
        doc_number_raw=number,
        agency=notice.agency if signed_on_page else None,
        signed=notice.signed if signed_on_page else None,
        published=posted, shown_title=headline,
    )
    return {here: html.encode("utf-8")}, record


def _listing(notices: dict[str, Notice]) -> bytes:
    rows = "\n".join(
        f'<li><a href="news/{aid}.html" class="news-link">{esc(headline)}</a><span>{posted.isoformat()}</span></li>'
        for _, aid, headline, posted, _ in POSTS
    )
    html = f"""<!DOCTYPE html>
<html>
<head><meta charset="utf-8" /><title>智慧米童_智慧米童加盟_智慧米童官网</title></head>
<body>
<div class="head"><a href="index.html" class="logo">智慧米童</a></div>
<div class="main"><h2>最新资讯</h2>
<ul class="news-list">
{rows}
</ul>
<div class="links">友情链接：<a href="http://www.bengangtai.tv/">本港台直播</a> <a href="http://www.zaojiao123.com/">早教加盟网</a></div>
</div>
</body>
</html>
"""
    return html.encode("utf-8")


def build(notices: dict[str, Notice]) -> Tree:
    return site_tree(SITE, "utf-8", "SEO spam copies: UTF-8, charset in the header",
                     [(f"{SITE}/index.html", _listing(notices))], (_page(notices, i) for i in range(len(POSTS))))
