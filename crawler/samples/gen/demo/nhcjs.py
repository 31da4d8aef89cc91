"""A guarded site that a browser gets through: every page answers HTTP 412 with a
JavaScript challenge until the request carries the cookie the challenge's script computes
(``guard = "js-cookie"`` in ``_site.toml``, honoured by the sample server). The pages
behind the guard follow nhc.gov.cn's markup as ../shared/NOTES.md records it: listing
``list.shtml`` with ``ul.zxxx_list li a[title]`` and the date in ``span.ml``, a
``createPageHTML('page_div', …)`` pager, detail pages ``/<dept>/c<col>/YYYYMM/<32 hex>.shtml``
with the body in ``#xw_box``. Its notices are national ones the zhengce sample also carries;
its pages are not in expected.toml (the browser test checks them).
"""
from __future__ import annotations

from ..markup import ParaStyle, esc
from ..notice import Notice
from ..tree import Tree

SITE = "nhcjs"
LISTING = f"{SITE}/wjw/gfxwjj/list.shtml"
# notice, detail path under the site
PAGES = [
    ("zc_healthy_aging_plan_2022", "lljks/c100158/202203/a1b2c3d4e5f60718293a4b5c6d7e8f90.shtml"),
    ("zc_ltc_insurance_pilot_2020", "ylbzj/c100170/202011/0f1e2d3c4b5a69788796a5b4c3d2e1f0.shtml"),
]

_STYLE = ParaStyle(
    p=lambda t: f'<p style="text-indent:2em">{t}</p>',
    sign=lambda t: f'<p style="text-align:right">{t}</p>',
    head=lambda t: f'<p style="text-align:center"><strong>{t}</strong></p>',
)

_HEAD = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}</title></head>
<body>
<div class="top"><a href="/{site}/index.html">首页</a> | <a href="/{site}/wjw/gfxwjj/list.shtml">规范性文件</a> | <a href="/{site}/wjw/zcjd/list.shtml">政策解读</a></div>
"""
_FOOT = """<div class="footer"><a href="/{site}/wzdt.shtml">网站地图</a> | <a href="/{site}/lxwm.shtml">联系我们</a>
<p>版权所有：国家卫生健康委员会（样例）</p></div>
</body></html>
"""


def _listing(notices: dict[str, Notice]) -> str:
    rows = []
    for nid, path in PAGES:
        n = notices[nid]
        rows.append(f'<li><a href="/{SITE}/{path}" target="_blank" title="{esc(n.title)}">{esc(n.title)}</a>'
                    f'<span class="ml">{n.published.isoformat()}</span></li>')
    return (_HEAD.format(title="规范性文件", site=SITE)
            + '<div class="list"><ul class="zxxx_list">\n' + "\n".join(rows) + "\n</ul>\n"
            + f"<div id=\"page_div\"></div><script>createPageHTML('page_div',1, 1,'list','shtml',{len(PAGES)});</script></div>\n"
            + _FOOT.format(site=SITE))


def _detail(n: Notice) -> str:
    source = f"<span>发布时间：{n.published.isoformat()}</span>"
    return (_HEAD.format(title=esc(n.title), site=SITE)
            + f'<div class="tit">{esc(n.title)}</div>\n<div class="source">{source}</div>\n'
            + f'<div id="xw_box">\n{_STYLE.render(n.lines)}\n</div>\n'
            + _FOOT.format(site=SITE))


def build(notices: dict[str, Notice]) -> Tree:
    out = Tree()
    out.site(SITE, "utf-8", note="guarded site: HTTP 412 and a JavaScript cookie challenge unless the cookie is sent",
             guard="js-cookie")
    out.add(LISTING, _listing(notices).encode("utf-8"))
    for nid, path in PAGES:
        out.add(f"{SITE}/{path}", _detail(notices[nid]).encode("utf-8"))
    return out
