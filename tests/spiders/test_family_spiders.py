"""Family spiders on frozen raw-byte pages of the sample sites (no server, no network):
what each listing yields, where the walk goes next, how articles are merged."""
import tomllib
from dataclasses import replace

import pytest
from scrapy.http import HtmlResponse, Request, TextResponse
from scrapy.utils.test import get_crawler

from crawler.items import PageItem
from crawler.components.middlewares import ConditionalRecheckMiddleware
from crawler.samples.server import sample_registry_path, sample_root
from spiders import spider_for_family
from spiders.registry import load_registry

BASE = "http://127.0.0.1:8000"
WWW = sample_root()
EXPECTED = tomllib.loads((sample_registry_path().parent / "expected.toml").read_text(encoding="utf-8"))


def source(source_id, **changes):
    src = load_registry(sample_registry_path())[source_id].with_base(BASE)
    return replace(src, **changes) if changes else src


def response(path, cls=HtmlResponse, **meta):
    """The page as the server would send it: raw bytes, the site's header charset or none."""
    site = path.strip("/").split("/")[0]
    conf = tomllib.loads((WWW / site / "_site.toml").read_text(encoding="utf-8"))
    charset = conf.get("charset_header")
    content_type = f"text/html; charset={charset}" if charset else "text/html"
    if cls is TextResponse:
        content_type = "application/json"
    url = BASE + path
    return cls(url, body=(WWW / path.lstrip("/").split("?")[0]).read_bytes(), headers={"Content-Type": content_type},
               request=Request(url, meta=meta))


def crawler_of(spider):
    """A Scrapy crawler running this spider, for its middlewares."""
    crawler = get_crawler(type(spider))
    crawler.spider = spider
    return crawler


def spider_for(src):
    cls = spider_for_family(src.family)
    return cls(sources=[src])


def detail_paths(site):
    return {p["path"] for p in EXPECTED["page"] if p["site"] == site}


def walk_listings(src, first_path):
    """Every detail URL a spider finds by walking a site's listing pages from frozen files."""
    spider = spider_for(src)
    found, path, page_no = set(), first_path, 0
    while path:
        out = list(spider.parse_listing(response(path), source=src, page_no=page_no))
        details = [r for r in out if r.callback == spider.parse_detail]
        listings = [r for r in out if r.callback == spider.parse_listing]
        found |= {r.url.removeprefix(BASE) for r in details}
        assert len(listings) <= 1
        path = listings[0].url.removeprefix(BASE) if listings else None
        page_no += 1
    return found


@pytest.mark.parametrize(
    "site, first",
    [
        ("baoshan", "/baoshan/xxgk/index.html"),
        ("shenyang", "/shenyang/zwgk/index.html"),
        ("shuiwu", "/shuiwu/list_1.html"),
        ("bingdou", "/bingdou/index.html"),
        ("spam", "/spam/index.html"),
    ],
)
def test_listing_walk_finds_every_detail_page(site, first):
    assert walk_listings(source(site), first) == detail_paths(site)


def test_trs_script_pager_is_enough_without_a_next_link_selector():
    # Real TRS sites often render the pager only through createPageHTML().
    src = source("baoshan", next_page=None)
    assert walk_listings(src, "/baoshan/xxgk/index.html") == detail_paths("baoshan")


def test_listing_hints_carry_full_titles_and_dates():
    src = source("baoshan")
    spider = spider_for(src)
    out = list(spider.parse_listing(response("/baoshan/xxgk/index.html"), source=src, page_no=0))
    hints = [r.cb_kwargs["listing"] for r in out if r.callback == spider.parse_detail]
    assert hints and all(h.get("title") and h.get("published_date") for h in hints)
    assert all(len(h["published_date"]) == 10 for h in hints)


def test_max_pages_bounds_the_walk():
    src = source("baoshan", max_pages=1)
    spider = spider_for(src)
    out = list(spider.parse_listing(response("/baoshan/xxgk/index.html"), source=src, page_no=0))
    assert not [r for r in out if r.callback == spider.parse_listing]


def test_policy_api_pages_through_the_json_listing():
    src = source("zhengce")
    spider = spider_for(src)
    found = set()
    page = src.api.first_page
    while page is not None:
        path = f"/zhengce/api/search__n=5&p={page}.json"
        out = list(spider.parse_api(response(path, cls=TextResponse), source=src, page=page))
        found |= {r.url.removeprefix(BASE) for r in out if r.callback == spider.parse_detail}
        hints = [r.cb_kwargs["listing"] for r in out if r.callback == spider.parse_detail]
        assert all(h["title"] and h["published_date"] for h in hints)
        nxt = [r for r in out if r.callback == spider.parse_api]
        page = nxt[0].cb_kwargs["page"] if nxt else None
    assert found == detail_paths("zhengce")


def test_aggregator_merges_a_multi_page_article():
    src = source("shuiwu")
    spider = spider_for(src)
    multi = next(p for p in EXPECTED["page"] if p["site"] == "shuiwu" and len(p["parts"]) > 1)
    out = list(spider.parse_detail(response(multi["path"]), source=src, listing={"title": "t"}))
    (request,) = out
    assert request.url == BASE + multi["parts"][1]
    items = []
    while out:
        (request,) = out
        if isinstance(request, PageItem):
            items.append(request)
            break
        out = list(request.callback(response(request.url.removeprefix(BASE)), **request.cb_kwargs))
    (item,) = items
    assert [p.url.removeprefix(BASE) for p in item.parts] == multi["parts"]
    assert item.listing == {"title": "t"}
    assert all(p.body for p in item.parts)


def test_single_page_article_is_one_item_with_raw_bytes():
    src = source("shenyang")
    spider = spider_for(src)
    page = next(p for p in EXPECTED["page"] if p["site"] == "shenyang")
    (item,) = list(spider.parse_detail(response(page["path"]), source=src, listing={}))
    assert isinstance(item, PageItem)
    assert item.parts[0].body == (WWW / page["path"].lstrip("/")).read_bytes()  # untouched GBK bytes
    assert item.parts[0].content_type == "text/html"


def _item_with_attachments():
    src = source("baoshan")
    spider = spider_for(src)
    page = next(p for p in EXPECTED["page"] if p.get("body_from_attachment"))
    out = list(spider.parse_detail(response(page["path"]), source=src, listing={}))
    fetched = []
    while out and not isinstance(out[0], PageItem):
        (request,) = out
        assert request.dont_filter  # two notices may link the same file
        fetched.append(request.url.removeprefix(BASE))
        file_response = HtmlResponse(request.url, body=(WWW / fetched[-1].lstrip("/")).read_bytes(),
                                     headers={"Content-Type": "application/octet-stream"}, request=request)
        out = list(request.callback(file_response, **request.cb_kwargs))
    (item,) = out
    return page, fetched, item


def test_detail_page_fetches_its_attachments_before_the_item_goes_out():
    page, fetched, item = _item_with_attachments()
    assert fetched == page["attachments"]
    assert [a.url.removeprefix(BASE) for a in item.attachments] == page["attachments"]
    assert item.attachments[0].body.startswith(b"PK")


def test_the_attachment_scan_reads_scrapys_own_tree(monkeypatch):
    import crawler.extract.htmltree as htmltree
    from crawler.extract import decode_html
    from crawler.extract.attachments import attachment_links
    from spiders.page_links import page_links

    page = next(p for p in EXPECTED["page"] if p.get("body_from_attachment"))
    resp = response(page["path"])
    expected = attachment_links(decode_html(resp.body)[0], resp.url)
    assert [a.url.removeprefix(BASE) for a in expected] == page["attachments"]

    def no_second_parse(html):
        raise AssertionError("the page was parsed again")

    monkeypatch.setattr(htmltree, "parse_html", no_second_parse)
    assert page_links(resp).links == expected


def test_a_detail_page_leaves_no_tree_on_its_response():
    """Scrapy keeps a response until its items have left the pipelines (pages wait there
    for the archive writer): a tree cached on it would stay as long. The check reads
    Scrapy's private cache slot, so a Scrapy that renames it fails here, not silently."""
    from spiders.page_links import page_links, page_selector

    page = next(p for p in EXPECTED["page"] if p.get("body_from_attachment"))
    resp = response(page["path"])
    assert resp._cached_selector is None
    selector = page_selector(resp)
    links = page_links(resp, selector)
    assert links is not None and links.links == page_links(resp).links
    assert resp._cached_selector is None


def test_the_attachment_links_travel_in_the_item():
    from crawler.extract import decode_html
    from crawler.extract.attachments import attachment_links
    from crawler.work.item_extraction import extract_item

    _, _, item = _item_with_attachments()
    html, _ = decode_html(item.parts[0].body)
    assert item.page_links.links == attachment_links(html, item.parts[0].final_url)

    # extraction takes the names from the item when the spider read the same text...
    ours = item.page_links.links[0]
    carried = replace(item.page_links, links=[replace(ours, name="carried.docx")])
    _, files = extract_item(replace(item, page_links=carried), source("baoshan"))
    assert files[0].name == "carried.docx"
    # ...and reads the page itself when the spider decoded it otherwise, or not at all
    misread = replace(carried, encoding="big5")
    _, files = extract_item(replace(item, page_links=misread), source("baoshan"))
    assert files[0].name == ours.name != "carried.docx"
    _, files = extract_item(replace(item, page_links=None), source("baoshan"))
    assert files[0].name == ours.name


def test_known_pages_are_asked_for_conditionally_and_end_the_walk():
    from storage.known_pages import KnownPage

    src = source("baoshan")
    spider = spider_for(src)
    first_listing = list(spider.parse_listing(response("/baoshan/xxgk/index.html"), source=src, page_no=0))
    urls = [r.url for r in first_listing if r.callback == spider.parse_detail]
    spider.known[src.id] = {u: KnownPage(etag='"abc"', last_modified="Mon, 01 Jan 2024 00:00:00 GMT", on_topic=True)
                            for u in urls}
    # no walk of this listing has completed yet: known notices do not stop it
    again = list(spider.parse_listing(response("/baoshan/xxgk/index.html"), source=src, page_no=0))
    assert [r for r in again if r.callback == spider.parse_listing]
    first_url = "http://127.0.0.1:8000/baoshan/xxgk/index.html"
    spider.walks[src.id] = {first_url: {"state": "complete", "reached": 0, "ever_completed": True}}
    again = list(spider.parse_listing(response("/baoshan/xxgk/index.html"), source=src, page_no=0))
    details = [r for r in again if r.callback == spider.parse_detail]
    assert [r.url for r in details] == urls
    assert all(r.meta["recheck"] and b"If-None-Match" not in r.headers for r in details)
    # the downloader middleware makes them conditional, from the same known-pages map
    recheck = ConditionalRecheckMiddleware.from_crawler(crawler_of(spider))
    for r in details:
        assert recheck.process_request(r) is None
    assert all(r.headers[b"If-None-Match"] == b'"abc"' and r.meta["handle_httpstatus_list"] == [304] for r in details)
    assert not [r for r in again if r.callback == spider.parse_listing]  # nothing new here: stop
    # the last walk was cut short after asking for page 1: walk there before stopping early
    spider.walks[src.id][first_url] = {"state": "walking", "reached": 1, "ever_completed": True}
    assert [r for r in spider.parse_listing(response("/baoshan/xxgk/index.html"), source=src, page_no=0)
            if r.callback == spider.parse_listing]
    spider.walks[src.id][first_url]["state"] = "complete"
    spider.known[src.id].pop(urls[-1])  # one new notice on the page: keep walking
    assert [r for r in spider.parse_listing(response("/baoshan/xxgk/index.html"), source=src, page_no=0)
            if r.callback == spider.parse_listing]


@pytest.mark.parametrize(
    "etag, last_modified, recheck, url, expected",
    [
        ('"v1"', "Mon, 01 Jan 2024 00:00:00 GMT", True, "known",
         {"If-None-Match": '"v1"', "If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"}),
        ('"v1"', None, True, "known", {"If-None-Match": '"v1"'}),
        (None, "Mon, 01 Jan 2024 00:00:00 GMT", True, "known", {"If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"}),
        (None, None, True, "known", {}),  # nothing to validate with: fetched whole
        ('"v1"', None, True, "new", {}),  # a page the archive does not have
        ('"v1"', None, False, "known", {}),  # not marked as a re-check (a listing, an attachment)
    ],
)
def test_the_recheck_middleware_asks_known_pages_conditionally(etag, last_modified, recheck, url, expected):
    from storage.known_pages import KnownPage

    src = source("baoshan")
    spider = spider_for(src)
    known_url = BASE + "/baoshan/xxgk/1.html"
    spider.known[src.id] = {known_url: KnownPage(etag=etag, last_modified=last_modified, on_topic=True)}
    request = Request(known_url if url == "known" else BASE + "/baoshan/xxgk/2.html",
                      meta={"source_id": src.id, "recheck": recheck})
    assert ConditionalRecheckMiddleware.from_crawler(crawler_of(spider)).process_request(request) is None
    sent = {k.decode(): request.headers[k].decode() for k in request.headers if k.startswith(b"If-")}
    assert sent == expected
    assert (304 in request.meta.get("handle_httpstatus_list", [])) == bool(expected)


def test_a_304_is_an_unchanged_item_without_its_continuations():
    src = source("shuiwu")
    spider = spider_for(src)
    multi = next(p for p in EXPECTED["page"] if p["site"] == "shuiwu" and len(p["parts"]) > 1)
    url = BASE + multi["path"]
    not_modified = HtmlResponse(url, status=304, body=b"", request=Request(url))
    (item,) = list(spider.parse_detail(not_modified, source=src, listing={}))
    assert item.not_modified and len(item.parts) == 1 and item.parts[0].status == 304
