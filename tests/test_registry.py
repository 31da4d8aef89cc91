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
    ],
)
def test_bad_registries_say_what_is_wrong(tmp_path, text, message):
    with pytest.raises(RegistryError, match=message):
        load_registry(write(tmp_path, text))


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
