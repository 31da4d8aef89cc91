"""A source known only by its home page (``state = "discover"``), crawled for real on
loopback: the crawl finds the 政策文件 listing the home page links and the 规范性文件
listing its 信息公开 page links, archives their notices, and never walks the 新闻 column
(whose pages would pass the topic filter) nor any other unrelated column."""
from crawler.samples.server import SampleServer
from storage.api import open_archive
from storage.queries import get_document
from tests.tiny_sites import crawl, write_registry, write_site

BODY = "".join(
    f"<p>（{n}）为推进医养结合，提高老年人健康服务水平，第{n}项任务由各区县卫生健康部门负责落实，按季度报送进展情况。</p>"
    for n in "一二三四五六"
)
NAV = ('<div class="header"><ul class="nav"><li><a href="/site/index.html">首页</a></li>'
       '<li><a href="/site/news/index.html">新闻中心</a></li><li><a href="/site/zcwj/index.html">政策文件</a></li>'
       '<li><a href="/site/xxgk/index.html">政府信息公开</a></li><li><a href="/site/hudong/index.html">互动交流</a></li>'
       '<li><a href="/site/bsfw/index.html">办事服务</a></li></ul></div>')
FOOTER = ('<div class="footer"><a href="/site/wzdt/index.html">网站地图</a><a href="/site/lxwm/index.html">联系我们</a>'
          '<p>主办单位：江城市卫生健康委员会</p></div>')


def page(title: str, body: str) -> str:
    return (f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>{NAV}"
            f"<div class='main'>{body}</div>{FOOTER}</body></html>")


def notice(number: str, title: str, day: int) -> str:
    return page(title, f"<div id='zoom'><h1>{title}</h1><p>{number}</p><p>各区县卫生健康局：</p>{BODY}"
                       f"<p>江城市卫生健康委员会</p><p>2024年5月{day}日</p></div>")


def dated_list(rows: dict[str, tuple[str, str]], more: str = "") -> str:
    items = "".join(f'<li><a href="{href}">{title}</a><span>{date}</span></li>' for href, (title, date) in rows.items())
    return f'<ul class="list">{items}</ul>{more}'


NOTICES = {
    "zcwj/202405/t20240506_1.html": ("江卫发〔2024〕11号", "关于推进医养结合机构服务质量提升的通知", 6),
    "zcwj/202405/t20240503_2.html": ("江卫发〔2024〕10号", "关于做好老年人健康管理服务工作的通知", 3),
    "zcwj/202404/t20240420_3.html": ("江卫发〔2024〕9号", "关于印发居家养老医疗服务工作方案的通知", 20),
    "xxgk/gfxwj/202404/t20240410_4.html": ("江卫规〔2024〕1号", "关于印发家庭病床服务管理办法的通知", 10),
}
NEWS = {
    "news/202405/t20240507_5.html": "市卫生健康委召开医养结合工作推进会议",
    "news/202405/t20240502_6.html": "我市老年人健康服务水平稳步提升取得成效",
}


def policy_site(tmp_path):
    files = {
        "index.html": page("江城市卫生健康委员会", (
            '<div class="box"><div class="hd"><h3>工作动态</h3><a href="/site/news/index.html">更多</a></div>'
            + dated_list({f"/site/{p}": (t, "2024-05-07") for p, t in NEWS.items()}) + "</div>"
            '<div class="box"><div class="hd"><h3>政策文件</h3><a href="/site/zcwj/index.html">更多&gt;&gt;</a></div>'
            + dated_list({f"/site/{p}": (t, f"2024-05-0{d % 10}") for p, (_, t, d) in list(NOTICES.items())[:2]})
            + "</div>")),
        "zcwj/index.html": page("政策文件", dated_list(
            {f"/site/{p}": (t, f"2024-05-{d:02d}") for p, (_, t, d) in list(NOTICES.items())[:2]},
            '<div class="page"><a href="/site/zcwj/index_1.html">下一页</a></div>')),
        "zcwj/index_1.html": page("政策文件", dated_list(
            {f"/site/{p}": (t, f"2024-04-{d:02d}") for p, (_, t, d) in list(NOTICES.items())[2:3]})),
        "xxgk/index.html": page("政府信息公开", (
            '<div class="catalog"><ul><li><a href="/site/xxgk/zn/index.html">政府信息公开指南</a></li>'
            '<li><a href="/site/xxgk/jgzn/index.html">机构职能</a></li>'
            '<li><a href="/site/xxgk/gfxwj/index.html">规范性文件</a></li>'
            '<li><a href="/site/xxgk/nb/index.html">政府信息公开年报</a></li></ul></div>')),
        "xxgk/gfxwj/index.html": page("规范性文件", dated_list(
            {f"/site/{p}": (t, "2024-04-10") for p, (_, t, _) in list(NOTICES.items())[3:]})),
        "news/index.html": page("新闻中心", dated_list({f"/site/{p}": (t, "2024-05-07") for p, t in NEWS.items()})),
    }
    for path, (number, title, day) in NOTICES.items():
        files[path] = notice(number, title, day)
    for path, title in NEWS.items():
        files[path] = notice("", title, 7)  # on topic: only discovery keeps them out
    write_site(tmp_path, files)
    return write_registry(tmp_path, '[[source]]\nid="jc_home"\nname="江城市卫生健康委员会"\nkind="gov"\n'
                                    'family="generic"\nstate="discover"\nhome="{base}/site/index.html"\n')


def test_a_crawl_from_the_home_page_archives_the_policy_listings_and_not_the_news(tmp_path):
    registry = policy_site(tmp_path)
    url = f"sqlite:///{tmp_path / 'a.db'}"
    with SampleServer(tmp_path) as server:
        summary = crawl(registry, url, server)
        asked = [r.target for r in server.log]
    result = summary.to_dict()
    assert result["ok"] and result["errors"] == 0, result
    assert result["new_documents"] == len(NOTICES), result
    assert not [t for t in asked if "/news/" in t or "/hudong/" in t or "/bsfw/" in t or "/zn/" in t or "/jgzn/" in t], asked
    assert "/site/zcwj/index_1.html" in asked  # the chosen listing is walked to its end
    archive = open_archive(url)
    for number, _, _ in NOTICES.values():
        assert get_document(archive, number) is not None, number
    note = summary.sources[0].note
    assert "home page discovery from " in note and "/site/index.html" in note
    assert "政策文件 " in note and "/site/zcwj/index.html" in note
    assert "规范性文件 " in note and "/site/xxgk/gfxwj/index.html" in note
    assert "新闻" not in note.split("listings chosen:")[1]


def test_a_check_of_a_home_page_source_reaches_one_notice_through_the_listing_it_finds(tmp_path):
    from crawler.run.check import check_sources
    from crawler.run.crawl_process import LOOPBACK_SETTINGS
    from spiders.registry import load_registry

    registry = policy_site(tmp_path)
    with SampleServer(tmp_path) as server:
        (result,) = check_sources(list(load_registry(registry).values()), registry_path=registry,
                                  base=server.base_url, settings=LOOPBACK_SETTINGS, timeout=10)
        asked = [r.target for r in server.log]
    assert result.status == "ok", result.to_dict()
    assert result.title in {title for _, title, _ in NOTICES.values()}
    assert result.listing_url.endswith(("/site/zcwj/index.html", "/site/xxgk/gfxwj/index.html"))
    assert not [t for t in asked if "/news/" in t], asked
