"""The layout issue 18 settled, asserted: crawler/'s top level stays a handful of modules (the
rest lives in subpackages named for their job), and no module grows past what a reader takes in
at once."""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 400


def test_crawler_top_level_holds_a_handful_of_modules():
    modules = sorted(p.name for p in (ROOT / "crawler").glob("*.py") if p.name != "__init__.py")
    assert len(modules) <= 8, modules


def test_every_subpackage_says_what_it_is_for():
    for init in (ROOT / "crawler").glob("*/__init__.py"):
        assert init.read_text(encoding="utf-8").lstrip().startswith('"""'), init


def test_no_module_is_over_400_lines():
    sources = [ROOT / "scheduler.py"]
    for top in ("crawler", "spiders", "storage", "tests"):
        sources += (ROOT / top).rglob("*.py")
    long = {
        str(p.relative_to(ROOT)): n
        for p in sources
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, long
