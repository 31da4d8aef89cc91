"""The chrome of a real government portal page, for the bench site's "portal" pages.

What surrounds the notice on the whole government pages of tests/eval/corpus/real (TRS,
Hanweb): a top bar (无障碍, 长者模式, 简繁), the column menu with each column's sub-menu, a
信息公开目录 tree beside the article, a 相关文件 list under it, and a footer of site-group
link lists (部门网站, 县区网站, 上级网站), the 主办/承办 lines, ICP and 公网安备 numbers and
the 网站标识码, with inline scripts for font size, sharing and visit statistics. The
same on every page of the site but the related list, as on the real sites; the text is
made up here (column and agency names of a fictional city), only its shape is theirs.
"""
from __future__ import annotations

_COLUMNS = [
    ("首页", []),
    ("走进云岭", ["云岭概况", "历史沿革", "行政区划", "自然地理", "人口民族", "城市名片"]),
    ("政务公开", ["政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报", "依申请公开",
                "政策文件", "政策解读", "规划计划", "财政资金", "重点领域信息公开"]),
    ("政务服务", ["个人办事", "法人办事", "部门服务", "便民服务", "好差评", "一网通办"]),
    ("互动交流", ["市长信箱", "在线访谈", "征集调查", "意见征集", "常见问题", "12345热线"]),
    ("新闻中心", ["云岭要闻", "部门动态", "县区动态", "图片新闻", "视频新闻", "新闻发布会"]),
    ("专题专栏", ["优化营商环境", "乡村振兴", "健康云岭", "养老服务", "医保服务", "安全生产"]),
    ("数据开放", ["统计数据", "统计公报", "数据发布", "开放目录"]),
]
_CATALOG = [
    ("机构职能", ["机构设置", "领导信息", "内设机构", "直属单位"]),
    ("政策文件", ["市政府文件", "市政府办公室文件", "部门文件", "规范性文件", "其他文件", "废止失效文件"]),
    ("规划信息", ["国民经济和社会发展规划", "专项规划", "区域规划"]),
    ("财政信息", ["财政预决算", "部门预决算", "三公经费", "政府债务"]),
    ("重点领域", ["医疗卫生", "养老服务", "社会救助", "教育", "就业创业", "食品药品", "生态环境", "安全生产"]),
    ("人事信息", ["人事任免", "公务员招考", "事业单位招聘"]),
]
_DEPARTMENTS = ["发展和改革委员会", "教育体育局", "科学技术局", "工业和信息化局", "公安局", "民政局", "司法局",
                "财政局", "人力资源和社会保障局", "自然资源和规划局", "生态环境局", "住房和城乡建设局",
                "交通运输局", "水务局", "农业农村局", "商务局", "文化和旅游局", "卫生健康委员会",
                "退役军人事务局", "应急管理局", "审计局", "市场监督管理局", "统计局", "医疗保障局",
                "林业和草原局", "信访局", "政务服务管理局", "老龄工作委员会办公室"]
_COUNTIES = ["隆阳区", "施甸县", "龙陵县", "昌宁县", "腾冲市", "青山区", "河西区", "东城区", "南湖区", "北塘县"]
_UPPER = [("中国政府网", "https://www.gov.cn/"), ("国家卫生健康委员会", "http://www.nhc.gov.cn/"),
          ("民政部", "https://www.mca.gov.cn/"), ("国家医疗保障局", "http://www.nhsa.gov.cn/"),
          ("省人民政府", "https://www.yn.gov.cn/"), ("省卫生健康委员会", "https://ynswsjkw.yn.gov.cn/")]

_SCRIPTS = """<script type="text/javascript">
var _fontSizes = [14, 16, 18, 20];
function doZoom(size) {
  var zoom = document.getElementById('zoom');
  if (!zoom) { return; }
  zoom.style.fontSize = size + 'px';
  var ps = zoom.getElementsByTagName('p');
  for (var i = 0; i < ps.length; i++) { ps[i].style.fontSize = size + 'px'; ps[i].style.lineHeight = (size * 1.8) + 'px'; }
}
function shareTo(kind) {
  var url = encodeURIComponent(location.href), title = encodeURIComponent(document.title);
  var targets = { weibo: 'https://service.weibo.com/share/share.php?url=' + url + '&title=' + title,
                  qzone: 'https://sns.qzone.qq.com/cgi-bin/qzshare/cgi_qzshare_onekey?url=' + url + '&title=' + title };
  if (kind === 'wechat') { document.getElementById('qrcode_box').style.display = 'block'; return; }
  window.open(targets[kind], '_blank', 'width=620,height=450');
}
function createPageHTML(count, current, prefix, ext) {
  if (count <= 1) { return; }
  var html = '';
  for (var i = 0; i < count && i < 10; i++) {
    var name = i === 0 ? prefix + '.' + ext : prefix + '_' + i + '.' + ext;
    html += i === current ? '<span class="current">' + (i + 1) + '</span>' : '<a href="' + name + '">' + (i + 1) + '</a>';
  }
  document.write(html);
}
</script>
<script type="text/javascript">
var _trsStatConfig = { siteId: '5305000001', channelId: 'xxgk', collect: true, cookieDays: 365 };
(function () {
  var s = document.createElement('script');
  s.type = 'text/javascript'; s.async = true;
  s.src = '/stat/js/trs_stat.js?v=20231015';
  var first = document.getElementsByTagName('script')[0];
  first.parentNode.insertBefore(s, first);
})();
</script>
"""


def head_extra(site: str) -> str:
    """Style sheets and the inline scripts of a portal page's head."""
    links = "".join(f'<link href="/{site}/images/{name}.css" rel="stylesheet" type="text/css" />\n'
                    for name in ("common", "header", "footer", "xxgk_detail", "elder_mode"))
    return (links + '<meta name="keywords" content="云岭市人民政府,政务公开,信息公开,政策文件" />\n'
            + '<meta name="description" content="云岭市人民政府门户网站信息公开平台" />\n' + _SCRIPTS)


def header(site: str) -> str:
    """The top bar and the column menu, every column with its sub-menu."""
    top = ('<div class="topbar"><div class="w1200"><span class="welcome">欢迎访问云岭市人民政府门户网站</span>'
           f'<a href="/{site}/wza/">无障碍</a><a href="javascript:void(0)" class="elder">长者模式</a>'
           '<a href="javascript:void(0)" id="st">简体</a>|<a href="javascript:void(0)" id="tc">繁體</a>'
           f'<a href="/{site}/login/">登录</a><a href="/{site}/reg/">注册</a><a href="/{site}/m/">手机版</a></div></div>\n')
    items = []
    for k, (name, subs) in enumerate(_COLUMNS):
        sub = "".join(f'<li><a href="/{site}/col{k}/sub{j}/index.html" target="_blank">{s}</a></li>'
                      for j, s in enumerate(subs))
        items.append(f'<li class="nav_item"><a href="/{site}/col{k}/index.html">{name}</a>'
                     + (f'<div class="sub_nav"><ul>{sub}</ul></div>' if sub else "") + "</li>")
    return top + '<div class="main_nav"><ul class="w1200">' + "".join(items) + "</ul></div>\n"


def catalog(site: str) -> str:
    """The 信息公开目录 tree shown beside the article."""
    groups = []
    for k, (name, subs) in enumerate(_CATALOG):
        sub = "".join(f'<li><a href="/{site}/xxgk/ml{k}_{j}/index.html">{s}</a></li>' for j, s in enumerate(subs))
        groups.append(f'<dl class="ml_group"><dt><a href="/{site}/xxgk/ml{k}/index.html">{name}</a></dt>'
                      f'<dd><ul>{sub}</ul></dd></dl>')
    return ('<div class="xxgk_left"><div class="ml_title">信息公开目录</div>'
            f'<div class="ml_search"><form action="/{site}/xxgk/search" method="get"><input type="text" name="kw" />'
            '<input type="submit" value="检索" /></form></div>' + "".join(groups) + "</div>\n")


def related(links: list[tuple[str, str]]) -> str:
    """The 相关文件 list under the article: (path, title) of other notices."""
    items = "".join(f'<li><a href="{path}" target="_blank" title="{title}">{title}</a></li>' for path, title in links)
    return f'<div class="related"><div class="related_title">相关文件</div><ul>{items}</ul></div>\n'


def share_bar() -> str:
    return ('<div class="share_box"><span>分享到：</span><a href="javascript:shareTo(\'wechat\')" class="wx">微信</a>'
            '<a href="javascript:shareTo(\'weibo\')" class="wb">微博</a><a href="javascript:shareTo(\'qzone\')" class="qz">QQ空间</a>'
            '<div id="qrcode_box" style="display:none"><img src="/images/qrcode.png" alt="扫一扫在手机打开当前页" /></div>'
            '<span class="font_size">【字体：<a href="javascript:doZoom(20)">大</a> <a href="javascript:doZoom(16)">中</a> '
            '<a href="javascript:doZoom(14)">小</a>】</span></div>\n')


def footer(site: str) -> str:
    """Site-group link lists, the organizer lines and the record numbers."""
    departments = "".join(f'<option value="/{site}/bm/{k}/">云岭市{d}</option>' for k, d in enumerate(_DEPARTMENTS))
    counties = "".join(f'<option value="/{site}/xq/{k}/">{c}人民政府</option>' for k, c in enumerate(_COUNTIES))
    upper = "".join(f'<option value="{url}">{name}</option>' for name, url in _UPPER)
    return (
        '<div class="links"><div class="w1200"><span class="links_title">网站群导航</span>'
        f'<select onchange="window.open(this.value)"><option>市直部门网站</option>{departments}</select>'
        f'<select onchange="window.open(this.value)"><option>县（市、区）政府网站</option>{counties}</select>'
        f'<select onchange="window.open(this.value)"><option>上级政府网站</option>{upper}</select></div></div>\n'
        '<div class="footer_links"><div class="w1200">'
        f'<a href="/{site}/wzdt/">网站地图</a>|<a href="/{site}/lxwm/">联系我们</a>|<a href="/{site}/wzsm/">网站声明</a>|'
        f'<a href="/{site}/sybz/">使用帮助</a>|<a href="/{site}/yszc/">隐私政策</a></div></div>\n'
        '<div class="copyright"><div class="w1200">'
        '<a href="https://bszs.conac.cn/sitename?method=show&amp;id=0A5B1C2D3E4F" target="_blank"><img src="/images/dzjg.png" alt="党政机关" /></a>'
        '<a href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=5305000001" target="_blank"><img src="/images/jiucuo.png" alt="政府网站找错" /></a>'
        '<p>网站标识码：5305000001　　<a href="https://beian.miit.gov.cn/" target="_blank">滇ICP备05003221号-1</a>　　'
        '<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=53050202000101" target="_blank">滇公网安备 53050202000101号</a></p>'
        '<p>主办单位：云岭市人民政府办公室　　承办单位：云岭市人民政府信息中心　　技术支持：云岭市大数据中心</p>'
        '<p>地址：云岭市正阳北路6号　　邮编：678000　　联系电话：0875-2120123　　建议使用1366×768分辨率浏览本站</p>'
        "</div></div>\n"
    )
