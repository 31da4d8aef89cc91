"""Drop the site residue trafilatura leaves in a notice's text, line by line.

The rules are conservative: a line is dropped only when it is unmistakably site
furniture (a pager, a share bar, an ICP number, a doc-sharing notice), or when it is a
weak line (short, no sentence end) inside a block that such a line opens. Notice text
(signatures, dates, 附件 lines, a conference notice's own 主办单位) is never a weak line
where it matters: a 落款 date or a 附件 line after a footer marker stops the cut.
"""
from __future__ import annotations

import re
import re._constants as _sre_c
import re._parser as _sre_parser
from collections.abc import Sequence
from functools import lru_cache

from crawler.extract.agency import is_agency_name
from crawler.extract.attachment.kinds import FILE_EXTENSION
from crawler.extract.patterns import ADDRESSEE_LINE
from crawler.extract.patterns import TITLE_END as _TITLE_END
from crawler.vocab.docnumber import BRACKET_TAIL

# -- lines that are site furniture wherever they stand --------------------------------
_CALL_TO_ACTION = r"(立即|马上|点击|赶快|火速)\s*(报名|购买|抢购|咨询|领取|订阅|试听|下载|注册|开通|查看)"
_ALWAYS = [
    # copyright, disclaimers, registration numbers
    r"^(版权声明|免责声明|郑重声明|特别声明)\s*[:：]",
    r"^[【\[]\s*(版权声明|免责声明|郑重声明|特别声明)\s*[】\]]",
    r"^(版权所有|copyright|©|\(c\)\s*\d{4})",
    r"来源于网络.{0,30}(侵权|删除)",
    r"ICP备|ICP证|公网安备|网站标识码|增值电信业务经营许可证",
    r"^(本站|本网)(声明|提示|郑重提醒)",
    # pagers
    r"^本文章更多内容",
    r"^(\d+\s*[-—]\s*)*\d+\s*[-—]\s*下一页",
    r"^[\s\d\-—|<>«»【】\[\]]*(上一页|下一页|首页|尾页|末页|上页|下页)[\s\d\-—|<>«»【】\[\]上下一页首尾末]*$",
    r"^第\s*\d+\s*页\s*[/／]?\s*共\s*\d+\s*页$",
    r"^共\s*\d+\s*页",
    r"^(上一篇|下一篇)|^(上一条|下一条|上一主题|下一主题)\s*[:：]",
    # share, print, font size
    r"^分享到",
    r"^(【|\[)?\s*(打印本页|打印此页|打印文章|关闭窗口|关闭本页|打印|关闭|收藏|返回顶部|返回)\s*(】|\])?(\s*[|｜/]?\s*(【|\[)?\s*(打印本页|打印此页|关闭窗口|关闭本页|打印|关闭|收藏|返回顶部|返回)\s*(】|\])?)*\s*[|｜/]?$",
    r"^(字体|字号)\s*[:：]\s*$",
    # a login widget
    r"^(免注册|快速登录|登录超时|用户登录|请登录|立即登录)",
    # tags and a bracketed editor's name closing a news page
    r"^(关键字|关键词|标签)\s*[:：][^。；;]{0,30}$",
    r"^[（(]\s*(编辑|责任编辑|责编|作者|记者|校对)\s*[:：][^）)]{1,20}[）)]$",
    # (searched: an opening bracket before 字体 would change nothing, and would make the
    # search try this pattern at every position)
    r"(字体|字号)\s*[:：]\s*(【|\[)?\s*大\s*(】|\])?\s*(【|\[)?\s*中\s*(】|\])?\s*(【|\[)?\s*小",
    r"^扫一扫",
    r"^微信扫一扫|^用手机扫描|在手机上(打开|浏览)",
    # breadcrumbs
    r"^(当前|您的|你的|您现在的|你现在的|所在|当前的)?位置\s*[:：>＞»›]",
    r"^当前位置",
    r"^(首页|主页|网站首页)\s*[>＞»›]",
    # a chain of at least two arrows between short names: 首页 > 政务公开 > 通知公告
    r"^[^。；;，,]{1,16}(\s*[>＞»›]\s*[^。；;，,>＞»›]{1,16}){2,}\s*[>＞»›]?$",
    # visitor counters: 您是第1234位访问者, 您是本站第N位访客, 访问人次：N
    r"^[^。]{0,20}您是(本站|本网|本网站)?第\s*[\d,，]+\s*位(访问者|访客|浏览者|读者)",
    r"^(访问人次|访问总量|总访问量|今日访问)\s*[:：]\s*[\d,，]*\s*(次|人次)?$",
    # aggregator headers and summaries
    r"^摘要\s*[:：]",
    r"^(来源|作者|编辑|责任编辑|编辑人|稿源|出处)\s*[:：][^。；]{0,30}$",
    # document-sharing sites
    r"下载文档前请自行甄别|仅部分预览|如文档侵犯您的权益|人工客服工作时间",
    r"^合集下载$",
    r"^下载\s*相关\s*举报$",
    r"^(展开阅读全文|点击查看更多|查看更多|阅读全文|下载资源|资源描述|立即下载|免费下载|下载文档|文档下载|下载此文档|全文下载|全文阅读)",
    r"由会员分享.{0,20}(在线阅读|下载)|请在.{1,12}上搜索",
    r"^本文档.{0,30}(预览|下载|仅供)",
    # SEO spam appended to copied notices
    r"^[{}\[\]();]+$",
    r"^欢迎来到",
    r"^我要回帖",
    r"^更多关于.{1,40}的(文章|资料|信息|问题)",
    r"^点击添加.{0,10}(微信|QQ)",
    # ads: a call to action closing a short line with an arrow ("…课程火热报名中，立即报名>>"),
    # or a bracketed brand that sells ("【税屋学堂】…火热报名中")
    rf"^.{{0,80}}{_CALL_TO_ACTION}\s*[>＞»→]+$",
    rf"^[【\[][^】\]]{{2,12}}[】\]].{{0,60}}({_CALL_TO_ACTION}|(火热|正在|限时)(报名|招生|抢购|热销|预售)中?)",
    # page counters and source labels standing alone ("浏览次数：", "信息来源：省发改委")
    r"^(浏览次数|浏览量|浏览|点击数|点击量|点击率|阅读量|阅读数|阅读次数|访问量|访问次数)\s*[:：]\s*\d*\s*次?$",
    r"^(信息来源|文章来源|新闻来源|内容来源|稿件来源|发布来源)\s*[:：][^。；]{0,30}$",
    # the page's own date line over the body (the date is read before this filter runs)
    r"^(发布日期|发布时间|更新日期|更新时间)\s*[:：]\s*(19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
    r"(\s*\d{1,2}:\d{2}(:\d{2})?)?$",
    # a decoration glyph alone on its line
    r"^[■□▪▫●◆◇★☆►▶•※◎]+$",
]


def _anchored(pattern: str) -> bool:
    """Whether every top-level branch of ``pattern`` starts with ``^``."""
    items = list(_sre_parser.parse(pattern, re.I))
    if len(items) == 1 and items[0][0] is _sre_c.BRANCH:
        return all(list(b)[:1] and list(b)[0] == (_sre_c.AT, _sre_c.AT_BEGINNING) for b in items[0][1][1])
    return bool(items) and items[0] == (_sre_c.AT, _sre_c.AT_BEGINNING)


def _either(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns) or r"(?!)", re.I)


class _LineRule:
    """``_ALWAYS`` as one alternation of the ``^`` patterns, tried once at the line's
    start, and the few others searched one by one. One alternation of all of them made
    ``search`` try each pattern at every position of every line (most of the boilerplate
    filter's time); alone, a pattern that starts with a literal is found by a fast scan."""

    def __init__(self, patterns: list[str]) -> None:
        self._at_start = _either([p for p in patterns if _anchored(p)])
        self._anywhere = tuple(re.compile(p, re.I) for p in patterns if not _anchored(p))

    def search(self, line: str) -> bool:
        return bool(self._at_start.match(line)) or any(p.search(line) for p in self._anywhere)


_ALWAYS_RE = _LineRule(_ALWAYS)
# furniture only when the line is short (a sentence may mention 版权所有 or 打印)
_SHORT = [
    r"版权所有|all rights reserved",
    r"如有侵权|侵权请联系|我们将及时删除",
    r"打印本页|关闭窗口|打印此页|关闭本页",
]
_SHORT_RE = re.compile("|".join(f"(?:{p})" for p in _SHORT), re.I)
_SHORT_LINE = 100

# a header line: two or more "label:" pairs (来源:税屋 作者:税屋 人气: 时间:2015-07-12)
_HEADER_LABEL = re.compile(
    r"(来源|作者|人气|发布时间|发布日期|更新时间|时间|日期|浏览次数|浏览量|浏览|点击数|点击量|点击|阅读量|阅读|"
    r"访问量|责任编辑|编辑|字体|字号|信息来源|文章来源)\s*[:：]"
)
_DOCSHARE_LABEL = re.compile(r"(上传人|文档编号|上传时间|格式|页数|大小|贡献者|下载积分|下载次数|文档格式|文件大小)\s*[:：]")
_META_LABEL = re.compile(r"(索\s*引\s*号|发布机构|发文机关|成文日期|发布日期|文\s*号|主题分类|公文种类|有效性|公开目录)")
_DOC_NUMBER_LABEL = re.compile(r"文\s*号")
# a bare file name line (doc-sharing sites); never an 附件 line or a numbered attachment list
_ATTACHMENT_LINE = re.compile(rf"^附\s*件\s*\d*\s*[:：]?\s*\S+\.{FILE_EXTENSION}$", re.I)
_FILENAME = re.compile(rf"^(?!附|\d+[.、．])(.{{2,150}})\.{FILE_EXTENSION}(_第\d+页)?$", re.I)

# -- list blocks: the heading and the short link lines after it -------------------
_LIST_HEADINGS = (
    "相关文档", "最新文档", "猜你喜欢", "相关资源", "相关搜索", "资源标签", "排行", "排行榜", "热门文档",
    "更多推荐", "相关推荐", "相关阅读", "相关文章", "相关新闻", "相关链接", "推荐阅读", "热门推荐",
    "热点文章", "最新文章", "热门文章", "精彩推荐", "延伸阅读", "为你推荐", "为您推荐", "大家都在看",
    "本类排行", "热门标签", "热门搜索", "相关政策", "相关法规", "相关专题", "精选文档", "热门资源",
)
_LIST_HEADING_RE = re.compile(rf"^({'|'.join(_LIST_HEADINGS)})\s*[:：>》]*$")
_MAX_LINK_LINE = 60

# -- footer lines that are notice text elsewhere (a conference notice has 主办单位) ----
_FOOTER_WEAK = re.compile(
    r"^(主办单位|承办单位|协办单位|主办|承办|协办|技术支持|运行维护|维护单位|网站维护|地址|联系电话|电话|"
    r"传真|邮编|邮箱|E-?mail)\s*[:：]|联系我们|网站地图|关于我们|网站声明|网站纠错|隐私政策|使用帮助|"
    r"^\S{2,8}(\s*[|｜]\s*\S{2,8}){2,}$|^[•·]\s*\S{1,12}$",
    re.I,
)
_FOOTER_STRONG = re.compile(r"ICP备|ICP证|公网安备|网站标识码|版权所有|copyright|©", re.I)
_FOOTER_REACH = 3

# -- what the tail may never swallow ------------------------------------------------
_SENTENCE_END = re.compile(r"[。；;！!？?]$")
_PROTECTED = re.compile(
    r"^(19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$|^[○〇零一二三四五六七八九十]{4}年.{1,3}月.{1,4}日$|^附件|"
    r"^\S{2,30}(人民政府|委员会|办公室|办公厅|局|厅|委|部|署|院|中心|协会)$"  # a 落款 agency
)
_TAIL_MARKERS = re.compile(
    rf"^({'|'.join(_LIST_HEADINGS)})\s*[:：>》]*$|^[{{}}\[\]();]+$|^欢迎来到|^我要回帖|^更多关于|^(版权声明|免责声明)|"
    r"^本文章更多内容|^展开阅读全文|^(上一篇|下一篇)|^分享到|ICP备|公网安备|网站标识码|版权所有|copyright|"
    r"^(当前位置|您的位置|您现在的位置)\s*[:：]",
    re.I,
)

@lru_cache(maxsize=64)
def _compile_extra(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns))


_STATEMENT_HEADING = re.compile(r"^(版权声明|免责声明|郑重声明)\s*[:：]?$")
_NUMBERED = re.compile(r"^(\d+\.\s*)?\d+[、.]")
_DOCSHARE_NOTICE = re.compile(r"文档|下载|预览|客服|退款|侵权")
_SENTENCE_REST = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf0-9a-z（(“《,，、；;：:。]")

_MAX_JUNK_LINE = 400  # furniture is short; a disclaimer paragraph stays under this


def _is_always_junk(line: str) -> bool:
    if len(line) > _MAX_JUNK_LINE:
        return False
    if _ALWAYS_RE.search(line):
        return True
    if len(line) <= _SHORT_LINE and _SHORT_RE.search(line):
        return True
    if len(line) <= 150:
        if len(_HEADER_LABEL.findall(line)) >= 2 and not (_DOC_NUMBER_LABEL.search(line) or BRACKET_TAIL.search(line)):
            return True
        if len(_DOCSHARE_LABEL.findall(line)) >= 2:
            return True
        if _is_pipe_row(line) and len(_META_LABEL.findall(line)) >= 2:
            return True
    return bool(_FILENAME.match(line))


def _is_pipe_row(line: str) -> bool:
    return line.count("|") + line.count("｜") >= 2


def _is_weak(line: str) -> bool:
    """A line that can be a link, a label or a site name, and not a sentence."""
    return len(line) <= _MAX_LINK_LINE and not _SENTENCE_END.search(line)


def strip_boilerplate(text: str, extra: Sequence[str] = ()) -> str:
    """The text without site residue; one paragraph per line. ``extra`` are per-source
    regexes (searched) of lines to drop too."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    extra_re = _compile_extra(tuple(extra))
    n = len(lines)
    drop = [False] * n

    stems: set[str] = set()
    head = True  # still in the rows above the notice (a flattened 信息公开 table)
    for i, line in enumerate(lines):
        if head and _is_pipe_row(line) and _META_LABEL.search(line):
            drop[i] = True
            continue
        head = head and (drop[i] or i < 3)
        m = _FILENAME.match(line)
        # "附件：a.doc" then "b.xlsx", "c.xlsx" one a line: the rest of the notice's
        # attachment list, not a doc-sharing site's file name
        listed = m is not None and i > 0 and not drop[i - 1] and (
            _ATTACHMENT_LINE.match(lines[i - 1]) or _FILENAME.match(lines[i - 1])
        )
        if m and not listed:
            stems.add(m.group(1).strip("《》 "))
        if listed and not _ALWAYS_RE.search(line):
            continue
        if _is_always_junk(line) or (extra_re is not None and extra_re.search(line)):
            drop[i] = True
        elif line in stems:
            drop[i] = True  # a doc-sharing site repeats the file name as a heading

    for i, line in enumerate(lines):
        # "版权声明:" alone on its line: the statement is the next paragraph
        if _STATEMENT_HEADING.match(line) and i + 1 < n:
            drop[i] = drop[i + 1] = True
        # a numbered doc-sharing notice list ("1、下载文档前…", "2、…", "3、…")
        if drop[i] and _NUMBERED.match(line):
            j = i + 1
            while j < n and _NUMBERED.match(lines[j]) and _DOCSHARE_NOTICE.search(lines[j]):
                drop[j] = True
                j += 1

    _drop_list_blocks(lines, drop)
    _drop_footer_clusters(lines, drop)
    _drop_tail(lines, drop)
    kept = [line for line, d in zip(lines, drop) if not d]
    kept = _drop_leading_duplicates(kept)
    return "\n".join(kept)


def _drop_list_blocks(lines: list[str], drop: list[bool]) -> None:
    i = 0
    while i < len(lines):
        if _LIST_HEADING_RE.match(lines[i]):
            drop[i] = True
            j = i + 1
            while j < len(lines) and (_LIST_HEADING_RE.match(lines[j]) or drop[j] or _is_link_line(lines[j])):
                drop[j] = True
                j += 1
            i = j
        else:
            i += 1


def _is_link_line(line: str) -> bool:
    return _is_weak(line) and not _PROTECTED.match(line)


def _drop_footer_clusters(lines: list[str], drop: list[bool]) -> None:
    strong = [i for i, line in enumerate(lines) if _FOOTER_STRONG.search(line)]
    for i in strong:
        for j in range(max(0, i - _FOOTER_REACH), min(len(lines), i + _FOOTER_REACH + 1)):
            if _FOOTER_WEAK.search(lines[j]) and _is_weak(lines[j]) or j == i:
                drop[j] = True


def _drop_tail(lines: list[str], drop: list[bool]) -> None:
    """From the first footer/spam marker after the notice's last sentence, drop all,
    unless a 落款 date or an 附件 line follows (then the marker was not the end)."""
    n = len(lines)
    start = None
    for i in range(n - 1, -1, -1):
        line = lines[i]
        if drop[i]:
            if _TAIL_MARKERS.search(line):
                start = i
            continue
        if _PROTECTED.match(line) or not _is_weak(line):
            break
        if _TAIL_MARKERS.search(line):
            start = i
    if start is None:
        return
    for j in range(start, n):
        drop[j] = True


# a title's prefix that is a whole 文号 (沈政发〔2015〕31号 + title)
_DOC_NUMBER_PREFIX = re.compile(rf"^\S{{1,12}}{BRACKET_TAIL.pattern}\s*$")


def _drop_leading_duplicates(lines: list[str]) -> list[str]:
    """A page header that repeats the title above the notice's own title: an
    aggregator's "文号 + title" line, a doc-sharing site's truncated or category-prefixed
    title ("实施方案XX市…实施方案" over "XX市…实施方案")."""
    window = lines[:12]
    cut: set[int] = set()
    for i, a in enumerate(window):
        if len(a) < 8 or _SENTENCE_END.search(a) or a.endswith(("：", ":")):
            continue
        for b in window[i + 1 :]:
            if len(b) < 8 or _SENTENCE_END.search(b) or not (_TITLE_END.search(b) or "关于" in b):
                continue  # only titles are repeated this way (not a 落款 agency, say)
            prefix = a[: len(a) - len(b)].strip() if a.endswith(b) else None
            if a == b or (prefix and (_DOC_NUMBER_PREFIX.match(prefix) or len(prefix) <= 6 and "关于" not in prefix)):
                cut.add(i)
                break
    return [line for k, line in enumerate(lines) if k not in cut]


# -- lines broken by PDF / Word conversion ------------------------------------------
_PARA_END = re.compile(r"[。；;：:！!？?)）」』】》”’\]]$")
_OPEN_END = re.compile(r"[（(《“「『【,，、]$")
_HEADING_START = re.compile(
    r"^([一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百]+[)）]|\d+[.、．](?!\d)|[（(]\d+[)）]|第[一二三四五六七八九十百零\d]+[章节条款部分篇]|"
    r"[①②③④⑤⑥⑦⑧⑨⑩]|附件|附录|[A-Za-z][.、])"
)

_MIN_BROKEN = 20


def join_broken_lines(text: str) -> str:
    """Join lines a PDF or Word conversion broke mid-sentence; keep real paragraph ends.

    A line continues on the next when it is long (a full printed line), does not end a
    sentence or a clause heading, and the next line is not a heading or list item.
    A line ending with an open bracket or a comma always continues.
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    out: list[str] = []
    for line in lines:
        if out and _continues(out[-1], line):
            out[-1] += line
        else:
            out.append(line)
    return "\n".join(out)


_DATE_END = re.compile(r"(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?|\d+\s*号)$")  # a date or a 文号 ends a line


def _unclosed(line: str) -> bool:
    """A bracket opened near the end and not closed: 支持举办中医(民 / 族医)儿科."""
    tail = line[-12:]
    return tail.rfind("(") > tail.rfind(")") or tail.rfind("（") > tail.rfind("）")


def _is_agency_list(line: str) -> bool:
    """A signature line of joint issuers: agency names one space apart."""
    names = line.split(" ")
    return len(names) >= 2 and all(is_agency_name(name) for name in names)


def _continues(prev: str, nxt: str) -> bool:
    if _HEADING_START.match(nxt) or _PROTECTED.match(nxt) or ADDRESSEE_LINE.match(nxt):
        return False
    if _is_agency_list(prev) or _is_agency_list(nxt):
        return False
    if "|" in prev or "|" in nxt or _DATE_END.search(prev) or "  " in prev:
        return False
    if _OPEN_END.search(prev) or _unclosed(prev):
        return True
    if _PARA_END.search(prev) or len(prev) < _MIN_BROKEN:
        return False
    if _TITLE_END.search(prev) or _HEADING_START.match(prev) and len(prev) < 40:
        return False
    # the next line must read as the rest of a sentence, not a stand-alone line
    return bool(_SENTENCE_REST.match(nxt))
