import re

import pytest

from spiders.registry import BUILTIN_REGISTRY, RegistryError, load_registry


def write(tmp_path, text):
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_builtin_registry_loads_and_every_source_has_a_spider():
    from spiders import spider_for_family

    sources = load_registry(BUILTIN_REGISTRY)
    assert sources
    for source in sources.values():
        assert spider_for_family(source.family).family == source.family


@pytest.mark.parametrize(
    "text, message",
    [
        ('[[source]]\nid="a"\nname="A"\nkind="gov"\nfamily="gov_portal"\n', "no start_urls"),
        ('[[source]]\nid="a"\nname="A"\nkind="blog"\nfamily="gov_portal"\nstart_urls=["x"]\n', "kind must be"),
        ('[[source]]\nid="a"\nname="A"\nkind="gov"\nfamily="rss"\nstart_urls=["x"]\n', "family must be"),
        ('[[source]]\nid="a"\nname="A"\nkind="gov"\nfamily="gov_portal"\nstart_urls=["x"]\ncolour="red"\n', "unknown keys: colour"),
        ('[[source]]\nid="a"\nname="A"\nkind="gov"\nfamily="policy_api"\n', "needs an .source.api. table"),
        ('[[source]]\nname="A"\nkind="gov"\nfamily="gov_portal"\nstart_urls=["x"]\n', "lacks 'id'"),
        ("[[source]\n", "not valid TOML"),
        ('[[source]]\nid="a"\nname="A"\nkind="gov"\nfamily="generic"\nstart_urls=["x"]\nstate="guessed"\n', "state must be"),
        ('[[source]]\nid="a"\nname="A"\nkind="gov"\nfamily="generic"\nstate="discover"\n', "state discover needs a home"),
    ],
)
def test_bad_registries_say_what_is_wrong(tmp_path, text, message):
    with pytest.raises(RegistryError, match=message):
        load_registry(write(tmp_path, text))


def test_a_source_known_by_its_home_page_needs_no_listing(tmp_path):
    text = ('[[source]]\nid="a"\nname="A"\nkind="gov"\nfamily="generic"\nstate="discover"\n'
            'home="{base}/a/"\nprovince="河南省"\npublisher="wjw"\n')
    source = load_registry(write(tmp_path, text))["a"].with_base("http://127.0.0.1:9")
    assert (source.state, source.home, source.start_urls) == ("discover", "http://127.0.0.1:9/a/", ())
    assert (source.province, source.publisher) == ("河南省", "wjw")


def test_duplicate_ids_are_refused(tmp_path):
    entry = '[[source]]\nid="a"\nname="A"\nkind="gov"\nfamily="gov_portal"\nstart_urls=["x"]\n'
    with pytest.raises(RegistryError, match="appears twice"):
        load_registry(write(tmp_path, entry + entry))


def test_missing_registry_file(tmp_path):
    with pytest.raises(RegistryError, match="not found"):
        load_registry(tmp_path / "nope.toml")


def test_base_placeholder_is_filled_everywhere(tmp_path):
    path = write(
        tmp_path,
        '[[source]]\nid="api"\nname="A"\nkind="gov"\nfamily="policy_api"\nbase_url="{base}/z"\n'
        '[source.api]\npage_url="{base}/z/api?p={page}"\nitems_path="list"\n'
        '[[source]]\nid="p"\nname="P"\nkind="gov"\nfamily="gov_portal"\nstart_urls=["{base}/p/index.html"]\n',
    )
    sources = {k: v.with_base("http://127.0.0.1:9/") for k, v in load_registry(path).items()}
    assert sources["api"].api.page_url == "http://127.0.0.1:9/z/api?p={page}"
    assert sources["api"].base_url == "http://127.0.0.1:9/z"
    assert sources["p"].start_urls == ("http://127.0.0.1:9/p/index.html",)


# ---- the built-in registry: what issue 7 asks of it -------------------------------------

def test_builtin_registry_covers_the_publishers():
    from urllib.parse import urlsplit

    sources = load_registry(BUILTIN_REGISTRY)
    assert len(sources) >= 30
    hosts = {urlsplit(s.start_urls[0] if s.start_urls else s.api.page_url if s.api else s.home).netloc
             for s in sources.values()}
    for host in ("www.gov.cn", "sousuo.www.gov.cn", "www.nhc.gov.cn", "www.mca.gov.cn", "www.nhsa.gov.cn",
                 "www.natcm.gov.cn", "www.cncaprc.gov.cn"):
        assert host in hosts, host
    families = {s.family for s in sources.values()}
    assert {"gkmlpt", "hanweb", "policy_api", "gov_portal", "aggregator"} <= families
    assert sum(s.kind == "aggregator" for s in sources.values()) >= 3
    provinces = {s.region for s in sources.values() if s.region and s.region != "全国"}
    assert len(provinces) >= 10, provinces
    assert {"辽宁省", "辽宁省沈阳市", "云南省保山市", "广东省", "广东省深圳市", "江苏省"} <= provinces
    assert sources["nhc_gfxwj"].browser and sources["shui5_difang"].browser
    assert sources["shui5_difang"].title_filter


# A citation: a repository's file (owner/repo:path or owner/repo path; HC is
# hulelan/china-governance, named once at the registry's top), a page's address, or a file of
# the code index that returned it without its repository (its id opens it again).
CITATION = re.compile(r"[\w.-]+/[\w.-]+[: ][\w./-]+\.\w+|HC [\w./-]+\.\w+|https?://\S+ \(\d{4}|code-index file \d+")


def test_every_builtin_source_cites_its_evidence_and_has_a_cron():
    from apscheduler.triggers.cron import CronTrigger

    sources = load_registry(BUILTIN_REGISTRY).values()
    starts = [s.schedule for s in sources]
    for s in sources:
        assert s.notes and len(s.notes) > 80, s.id
        assert any(mark in s.notes for mark in ("HC ", "RSSHub", "crawler", "scraper", "spiders")) or CITATION.search(s.notes), s.id
        assert s.topics, s.id
        CronTrigger.from_crontab(s.schedule)
    # staggered: no two sources start at the same minute
    assert len(set(starts)) == len(starts)


@pytest.mark.parametrize(
    "extra, message",
    [
        ('browser = "yes"\n', "browser must be true or false"),
        ('headers = "Referer: x"\n', "headers must be a table"),
    ],
)
def test_bad_new_keys_say_what_is_wrong(tmp_path, extra, message):
    text = '[[source]]\nid="a"\nname="A"\nkind="gov"\nfamily="gov_portal"\nstart_urls=["x"]\n' + extra
    with pytest.raises(RegistryError, match=message):
        load_registry(write(tmp_path, text))


def test_api_method_is_checked(tmp_path):
    text = ('[[source]]\nid="a"\nname="A"\nkind="gov"\nfamily="policy_api"\n'
            '[source.api]\npage_url="x"\nitems_path=""\nmethod="PUT"\n')
    with pytest.raises(RegistryError, match="api method must be one of GET, POST"):
        load_registry(write(tmp_path, text))


def test_browser_user_agent_carries_our_contact(tmp_path, monkeypatch):
    from spiders.registry import BROWSER_USER_AGENT, request_headers

    text = ('[[source]]\nid="a"\nname="A"\nkind="gov"\nfamily="gov_portal"\nstart_urls=["x"]\n'
            'headers = { "User-Agent" = "browser", Referer = "https://r/" }\n'
            '[[source]]\nid="b"\nname="B"\nkind="gov"\nfamily="gov_portal"\nstart_urls=["x"]\n'
            'headers = { Accept = "application/json" }\n')
    sources = load_registry(write(tmp_path, text))
    monkeypatch.setenv("POLICY_ARCHIVE_CONTACT", "ops@example.org")
    assert request_headers(sources["a"]) == {
        "User-Agent": BROWSER_USER_AGENT, "Referer": "https://r/", "From": "ops@example.org"}
    # our own User-Agent (the settings') already says who we are: no From needed
    assert request_headers(sources["b"]) == {"Accept": "application/json"}


def test_added_sources_read_back_as_written(tmp_path):
    import tomllib

    from spiders.registry import add_user_source

    path = tmp_path / "mine.toml"
    path.write_text("# my notes, kept\n", encoding="utf-8")
    tables = [
        {"id": f"mine_{n}", "name": name, "kind": "gov", "family": "generic", "region": None, "browser": False,
         "start_urls": [f"https://example.gov.cn/{n}/"], "notes": notes}
        for n, (name, notes) in enumerate([("沈阳 \"市\" 卫健委", "a\\b\nline two\t]] [[source]]"), ("保山", "")])
    ]
    for table in tables:
        add_user_source(table, path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# my notes, kept\n")
    assert tomllib.loads(text)["source"] == [{k: v for k, v in t.items() if v is not None} for t in tables]
    assert set(load_registry(path)) == {"mine_0", "mine_1"}


# ---- issue 20: every publisher, each marked with how much we know ---------------------------

ENTRY = '[[source]]\nid="a"\nname="A"\nkind="gov"\nfamily="gov_portal"\nstart_urls=["x"]\n'


@pytest.mark.parametrize(
    "extra, message",
    [
        ('state = "maybe"\n', "'a': state must be one of evidence, discover, blocked"),
        ('publisher = "police"\n', "'a': publisher must be one of wjw, mz, hsa, tcm, cdc, national, aggregator"),
        ('province = "河南"\n', "'a': province '河南' is not one of the 31 provinces"),
        ('state = "discover"\n', "'a': state discover needs a home page"),
        ('home = "wjw.henan.gov.cn"\n', "'a': home must be an http"),
    ],
)
def test_bad_coverage_keys_name_the_entry(tmp_path, extra, message):
    with pytest.raises(RegistryError, match=re.escape(message)):
        load_registry(write(tmp_path, ENTRY + extra))


def test_a_discover_source_needs_only_its_home_page(tmp_path):
    text = ('[[source]]\nid="d"\nname="D"\nkind="gov"\nfamily="generic"\nstate="discover"\n'
            'home="https://wjw.henan.gov.cn/"\nprovince="河南省"\npublisher="wjw"\n')
    source = load_registry(write(tmp_path, text))["d"]
    assert (source.state, source.home, source.province, source.publisher, source.start_urls) == (
        "discover", "https://wjw.henan.gov.cn/", "河南省", "wjw", ())
    assert load_registry(write(tmp_path, ENTRY))["a"].state == "evidence"


def test_every_evidence_source_cites_a_repository_path_or_page_and_every_publisher_is_placed():
    sources = load_registry(BUILTIN_REGISTRY).values()
    assert len(sources) >= 110
    for s in sources:
        if s.state == "evidence":
            assert CITATION.search(s.notes or ""), s.id
            assert s.start_urls or s.api, s.id
        if s.state == "discover":
            assert s.home and not s.start_urls, s.id
        assert s.province, s.id
    assert sum(s.kind == "aggregator" for s in sources) >= 6
