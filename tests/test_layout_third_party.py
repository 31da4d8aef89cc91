"""The layout script rebuilds the third-party data directory from snapshots, byte for byte,
and fails loudly on a wrong sha256 or a missing source (tested on a git repository built here)."""
from __future__ import annotations

import hashlib
import pickle
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests import third_party

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tests" / "eval" / "layout_third_party.py"
MANIFEST = ROOT / "tests" / "eval" / "corpus" / "third_party.toml"
LABELS = ROOT / "tests" / "eval" / "corpus" / "labels.toml"

PAGE = "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body><div id='zoom'><p>第一段</p><p>编辑：某某</p><p>第二段 'q'</p></div></body></html>"
FILES = {
    "pages/page.html": PAGE.encode("utf-8"),
    "dump/raw.sql": ("insert into t (id, title, html) values (1, 'x', null);\n"
                     "insert into t (id, title, html) values (2, 'it''s', '" + PAGE.replace("'", "''") + "');\n").encode("utf-8"),
    "data/page.pkl": pickle.dumps(PAGE, protocol=3),
    # a pickled HTTP response's state: the body sent, between other attributes
    "data/response.pkl": pickle.dumps({"_content": PAGE.encode("utf-8"), "status_code": 200,
                                       "url": "http://x.gov.cn/a.html", "encoding": "ISO-8859-1"}, protocol=3),
    "log/test.html": b"2020-01-01 INFO fetched\n" + PAGE.encode("utf-8"),
}
GOLD = "第一段\n第二段 'q'\n".encode("utf-8")


def _git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture()
def snapshots(tmp_path: Path) -> tuple[Path, str]:
    work = tmp_path / "work"
    for name, data in FILES.items():
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_bytes(data)
    _git("init", "-q", cwd=work)
    _git("add", ".", cwd=work)
    _git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "pages", cwd=work)
    commit = _git("rev-parse", "HEAD", cwd=work)
    root = tmp_path / "snapshots"
    (root / "someone+pages").mkdir(parents=True)
    _git("clone", "-q", "--bare", str(work), str(root / "someone+pages" / "repo"), cwd=tmp_path)
    return root, commit


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _manifest(tmp_path: Path, rows: list[dict]) -> Path:
    def value(v):
        if isinstance(v, int):
            return str(v)
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    text = "".join("[[file]]\n" + "".join(f"{k} = {value(v)}\n" for k, v in row.items()) + "\n" for row in rows)
    path = tmp_path / "manifest.toml"
    path.write_text(text, "utf-8")
    return path


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True)


def _rows(commit: str) -> list[dict]:
    page = PAGE.encode("utf-8")
    src = {"repo": "someone/pages", "commit": commit}
    return [
        {"dest": "a/page.html", **src, "path": "pages/page.html", "take": "bytes", "sha256": _sha(page)},
        {"dest": "a/from_sql.html", **src, "path": "dump/raw.sql", "take": "sql-column", "row": 2, "column": "html",
         "sha256": _sha(page)},
        {"dest": "a/from_pickle.html", **src, "path": "data/page.pkl", "take": "pickle-str", "sha256": _sha(page)},
        {"dest": "a/from_response.html", **src, "path": "data/response.pkl", "take": "pickle-attr", "attr": "_content",
         "sha256": _sha(page)},
        {"dest": "a/from_log.html", **src, "path": "log/test.html", "take": "from-marker", "marker": "<!DOCTYPE",
         "sha256": _sha(page)},
        {"dest": "gold/page.txt", "take": "lines", "source": "a/page.html", "container": '//*[@id="zoom"]',
         "drop": ["编辑：某某"], "sha256": _sha(GOLD)},
    ]


def test_every_way_of_taking_a_file_out_lays_it_out_byte_for_byte(snapshots, tmp_path):
    root, commit = snapshots
    out = tmp_path / "data"
    done = _run("--snapshots", root, "--out", out, "--manifest", _manifest(tmp_path, _rows(commit)))
    assert done.returncode == 0, done.stderr
    for name in ("page.html", "from_sql.html", "from_pickle.html", "from_response.html", "from_log.html"):
        assert (out / "a" / name).read_bytes() == PAGE.encode("utf-8"), name
    assert (out / "gold" / "page.txt").read_bytes() == GOLD
    assert _run("--check", "--out", out, "--manifest", _manifest(tmp_path, _rows(commit))).returncode == 0


@pytest.mark.parametrize("spoil, says", [
    (lambda row: row.update(sha256="0" * 64), "sha256 mismatch"),
    (lambda row: row.update(path="pages/gone.html"), "has no"),
    (lambda row: row.update(repo="someone/elsewhere"), "no snapshot of someone/elsewhere"),
    (lambda row: row.update(commit="1" * 40), "has no"),
])
def test_a_wrong_row_fails_loudly_in_one_line(snapshots, tmp_path, spoil, says):
    root, commit = snapshots
    rows = _rows(commit)
    spoil(rows[0])
    out = tmp_path / "data"
    done = _run("--snapshots", root, "--out", out, "--manifest", _manifest(tmp_path, rows))
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1
    assert "layout_third_party: FAILED: a/page.html" in done.stderr and says in done.stderr
    assert not (out / "a" / "page.html").exists()


def test_check_fails_on_a_changed_file(snapshots, tmp_path):
    root, commit = snapshots
    out = tmp_path / "data"
    manifest = _manifest(tmp_path, _rows(commit))
    assert _run("--snapshots", root, "--out", out, "--manifest", manifest).returncode == 0
    (out / "a" / "from_sql.html").write_bytes(PAGE.encode("utf-8") + b"\n")
    done = _run("--check", "--out", out, "--manifest", manifest)
    assert done.returncode == 1 and "a/from_sql.html: sha256 mismatch" in done.stderr


def test_the_manifest_names_every_page_and_gold_of_the_corpus():
    rows = {row["dest"]: row for row in tomllib.loads(MANIFEST.read_text("utf-8"))["file"]}
    labels = tomllib.loads(LABELS.read_text("utf-8"))
    for page in (p for p in labels["page"] if p["group"] == "real"):
        real = f"{third_party.EVAL_CORPUS}/{page['file']}"
        assert real in rows, real
        assert rows[real]["sha256"] == page["sha256"], real
        assert f"{third_party.EVAL_CORPUS}/{page['gold']}" in rows, page["gold"]
    assert third_party.WORD97_FASTSAVED in rows
    for row in rows.values():
        assert row["take"] == "lines" or row["repo"] == "self" or row["repo"].count("/") == 1, row["dest"]


def test_the_data_directory_matches_the_manifest():
    if not third_party.data_dir().is_dir():
        pytest.skip(third_party.absent("the data directory"))
    done = _run("--check", "--allow-missing", "--out", third_party.data_dir())
    assert done.returncode == 0, done.stderr  # every file it holds is the manifest's
    if "not laid out yet" in done.stdout:
        # rows added since the directory was last refreshed (between rounds of work)
        pytest.skip(done.stdout.strip().splitlines()[-1][:300])


def test_allowing_missing_files_still_fails_on_a_changed_one(snapshots, tmp_path):
    root, commit = snapshots
    out = tmp_path / "data"
    rows = _rows(commit)
    manifest = _manifest(tmp_path, rows)
    assert _run("--snapshots", root, "--out", out, "--manifest", manifest).returncode == 0
    (out / "a" / "from_log.html").unlink()
    done = _run("--check", "--allow-missing", "--out", out, "--manifest", manifest)
    assert done.returncode == 0 and "1 not laid out yet: a/from_log.html" in done.stdout
    (out / "a" / "from_sql.html").write_bytes(b"changed")
    done = _run("--check", "--allow-missing", "--out", out, "--manifest", manifest)
    assert done.returncode == 1 and "a/from_sql.html: sha256 mismatch" in done.stderr


@pytest.mark.parametrize("attr, says", [("_gone", "has no attribute _gone"), ("url", "url of data/response.pkl is not bytes")])
def test_a_pickled_attribute_that_is_absent_or_not_bytes_fails_loudly(snapshots, tmp_path, attr, says):
    root, commit = snapshots
    row = next(r for r in _rows(commit) if r["take"] == "pickle-attr")
    done = _run("--snapshots", root, "--out", tmp_path / "data", "--manifest", _manifest(tmp_path, [{**row, "attr": attr}]))
    assert done.returncode == 1 and says in done.stderr, done.stderr
