"""The layering of DESIGN.md, asserted: spiders and items never load the archive."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_items_and_spiders_do_not_import_storage_or_sqlalchemy():
    code = (
        "import sys, crawler.items, spiders, spiders.base, spiders.registry\n"
        "bad = [m for m in ('storage', 'sqlalchemy', 'datasketch') if m in sys.modules]\n"
        "assert not bad, bad"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_no_production_module_imports_from_tests():
    offenders = []
    for top in ("crawler", "spiders", "storage"):
        for path in (ROOT / top).rglob("*.py"):
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.lstrip().startswith(("from tests", "import tests")) or '/ "tests"' in line:
                    offenders.append(f"{path.relative_to(ROOT)}: {line.strip()}")
    assert not offenders, offenders


def test_storage_depends_on_extractions_output_type_only():
    offenders = []
    for path in (ROOT / "storage").rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            words = line.split()
            if len(words) >= 2 and words[0] in ("from", "import") and words[1].startswith("crawler.extract"):
                if words[1] != "crawler.extract.model":
                    offenders.append(f"{path.relative_to(ROOT)}: {line.strip()}")
    assert not offenders, offenders
