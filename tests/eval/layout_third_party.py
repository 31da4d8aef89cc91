"""Lay the third-party data directory out from repository snapshots, and check every file.

``python tests/eval/layout_third_party.py --snapshots ROOT [--out DIR] [--manifest FILE] [--check]``

The data (real pages, their gold bodies, one attachment) is taken from public repositories
and never committed here; ``tests/eval/corpus/third_party.toml`` says, for every file of the
data directory, which repository, commit and path it comes from, how it is taken out, and
its sha256. A snapshot is a bare git directory named ``OWNER+NAME`` under ROOT (as ``fetch``
leaves them: ``ROOT/OWNER+NAME/repo``, or ``.../repo/.git``, or the directory itself).
``repo = "self"`` is this project's own history (the gold bodies were committed here once).

Ways a file is taken out (``take``):

- ``bytes``       the blob as it is;
- ``sql-column``  one column (``column``) of the ``insert ... values`` row whose first value
                  is ``row``, of a SQL dump: the string literal with its escapes undone, UTF-8;
- ``pickle-str``  a pickle holding one ``str``, read opcode by opcode (nothing is executed),
                  the string as UTF-8;
- ``pickle-attr`` the ``bytes`` value of the attribute ``attr`` of a pickled object (a pickled
                  ``requests`` Response's ``_content``: the body as the server sent it),
                  read opcode by opcode likewise;
- ``from-marker`` the blob from the first occurrence of ``marker`` to its end;
- ``lines``       a gold body: the text of the element ``container`` (XPath) of the data
                  file ``source`` (another row, laid out first), one block a line, as
                  ``draft_labels.lines_of`` reads it, without the lines listed in ``drop``.

Every file is checked against its sha256 before it is written; the first mismatch or
missing source stops the run with one line on stderr and exit status 1. ``--check`` lays
nothing out and compares the data directory with the manifest instead (``--allow-missing``:
files the directory does not hold yet are listed, not a failure; a wrong one still is).
"""
from __future__ import annotations

import argparse
import hashlib
import io
import os
import pickletools
import re
import subprocess
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
MANIFEST = HERE / "corpus" / "third_party.toml"
TAKES = ("bytes", "sql-column", "pickle-str", "pickle-attr", "from-marker", "lines")
SELF = "self"


class LayoutError(Exception):
    """One file cannot be laid out as the manifest says; the message is the whole story."""


def load_manifest(path: Path) -> list[dict]:
    rows = tomllib.loads(path.read_text("utf-8")).get("file", [])
    seen: set[str] = set()
    for row in rows:
        dest = row.get("dest", "")
        if not dest or dest in seen or dest.startswith("/") or ".." in Path(dest).parts:
            raise LayoutError(f"manifest {path}: bad or repeated dest {dest!r}")
        seen.add(dest)
        if row.get("take") not in TAKES:
            raise LayoutError(f"{dest}: unknown take {row.get('take')!r} (one of {', '.join(TAKES)})")
        if not re.fullmatch(r"[0-9a-f]{64}", row.get("sha256", "")):
            raise LayoutError(f"{dest}: sha256 missing or not 64 hex digits")
        if row["take"] != "lines" and not re.fullmatch(r"[0-9a-f]{40}", row.get("commit", "")):
            raise LayoutError(f"{dest}: commit missing or not 40 hex digits")
    return rows


def git_dir(snapshots: Path, repo: str) -> Path:
    if repo == SELF:
        out = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--git-common-dir"],
                             capture_output=True, text=True)
        if out.returncode == 0:
            found = Path(out.stdout.strip())
            return found if found.is_absolute() else REPO / found
        raise LayoutError("repo 'self': this checkout has no git history")
    base = snapshots / repo.replace("/", "+")
    for candidate in (base / "repo", base / "repo" / ".git", base, base / ".git"):
        if (candidate / "HEAD").is_file() and (candidate / "objects").is_dir():
            return candidate
    raise LayoutError(f"no snapshot of {repo}: looked for a git directory under {base}")


_BLOBS: dict[tuple[str, str], bytes] = {}


def blob(snapshots: Path, row: dict) -> bytes:
    try:
        gd = git_dir(snapshots, row["repo"])
    except LayoutError as err:
        raise LayoutError(f"{row['dest']}: {err}") from None
    spec = f"{row['commit']}:{row['path']}"
    if (str(gd), spec) in _BLOBS:  # one SQL dump feeds many rows
        return _BLOBS[str(gd), spec]
    out = subprocess.run(["git", "--git-dir", str(gd), "cat-file", "blob", spec], capture_output=True)
    if out.returncode != 0:
        raise LayoutError(f"{row['dest']}: {row['repo']} has no {spec} ({out.stderr.decode(errors='replace').strip()})")
    _BLOBS[str(gd), spec] = out.stdout
    return out.stdout


_SQL_ESCAPES = {"0": "\0", "b": "\b", "n": "\n", "r": "\r", "t": "\t", "Z": "\x1a"}


def _sql_values(text: str, start: int) -> tuple[list[str | None], int]:
    """The values of one ``values ( ... )`` tuple from ``start`` (at the "("); strings unescaped."""
    values: list[str | None] = []
    i = start + 1
    while True:
        while text[i] in " \t\r\n,":
            i += 1
        if text[i] == ")":
            return values, i + 1
        if text[i] == "'":
            i += 1
            chunk = []
            while True:
                c = text[i]
                if c == "\\":
                    chunk.append(_SQL_ESCAPES.get(text[i + 1], text[i + 1]))
                    i += 2
                elif c == "'" and text[i + 1] == "'":
                    chunk.append("'")
                    i += 2
                elif c == "'":
                    i += 1
                    break
                else:
                    chunk.append(c)
                    i += 1
            values.append("".join(chunk))
        else:
            m = re.compile(r"[^,)\s]+").match(text, i)
            values.append(None if m.group(0).lower() == "null" else m.group(0))
            i = m.end()


def sql_column(data: bytes, row: dict) -> bytes:
    text = data.decode("utf-8")
    insert = re.compile(r"insert\s+into\s+\S+\s*\(([^)]*)\)\s*values\s*", re.IGNORECASE)
    for m in insert.finditer(text):
        columns = [c.strip().strip("`\"") for c in m.group(1).split(",")]
        values, _ = _sql_values(text, m.end())
        if values and values[0] == str(row["row"]):
            if row["column"] not in columns:
                raise LayoutError(f"{row['dest']}: the dump has no column {row['column']!r}")
            value = values[columns.index(row["column"])]
            if value is None:
                raise LayoutError(f"{row['dest']}: row {row['row']} column {row['column']} is null")
            return value.encode("utf-8")
    raise LayoutError(f"{row['dest']}: no row {row['row']} in {row['path']}")


def pickle_str(data: bytes, row: dict) -> bytes:
    # read, never unpickle: the only opcodes allowed are those of one pickled str
    allowed = {"PROTO", "FRAME", "BINUNICODE", "SHORT_BINUNICODE", "BINUNICODE8", "UNICODE",
               "BINPUT", "LONG_BINPUT", "MEMOIZE", "STOP"}
    strings = []
    for op, arg, _ in pickletools.genops(io.BytesIO(data)):
        if op.name not in allowed:
            raise LayoutError(f"{row['dest']}: {row['path']} is not one pickled str (opcode {op.name})")
        if isinstance(arg, str) and "UNICODE" in op.name:
            strings.append(arg)
    if len(strings) != 1:
        raise LayoutError(f"{row['dest']}: {row['path']} holds {len(strings)} strings, not one")
    return strings[0].encode("utf-8")


_PICKLED_BYTES = {"BINBYTES", "SHORT_BINBYTES", "BINBYTES8", "BYTEARRAY8"}
_PICKLE_MEMO = {"BINPUT", "LONG_BINPUT", "PUT", "MEMOIZE", "FRAME"}


def pickle_attr(data: bytes, row: dict) -> bytes:
    # read, never unpickle: the state of a pickled object is its attribute names, each
    # followed by its value; the value that follows the name ``attr`` must be bytes
    name_seen = False
    for op, arg, _ in pickletools.genops(io.BytesIO(data)):
        if op.name in _PICKLE_MEMO:
            continue
        if name_seen:
            if op.name not in _PICKLED_BYTES:
                raise LayoutError(f"{row['dest']}: {row['attr']} of {row['path']} is not bytes (opcode {op.name})")
            return bytes(arg)
        name_seen = isinstance(arg, str) and "UNICODE" in op.name and arg == row["attr"]
    raise LayoutError(f"{row['dest']}: {row['path']} has no attribute {row['attr']}")


def from_marker(data: bytes, row: dict) -> bytes:
    at = data.find(row["marker"].encode("utf-8"))
    if at < 0:
        raise LayoutError(f"{row['dest']}: {row['path']} does not contain {row['marker']!r}")
    return data[at:]


def gold_lines(out_dir: Path, row: dict) -> bytes:
    sys.path.insert(0, str(HERE))
    from draft_labels import decode, lines_of  # noqa: PLC0415 (lxml only when a gold is made)
    from lxml import html as lxml_html  # noqa: PLC0415

    source = out_dir / row["source"]
    if not source.is_file():
        raise LayoutError(f"{row['dest']}: its source {row['source']} is not laid out")
    root = lxml_html.document_fromstring(decode(source.read_bytes()))
    hit = root.xpath(row["container"])
    if not hit:
        raise LayoutError(f"{row['dest']}: {row['source']} has no {row['container']}")
    drop = set(row.get("drop", []))
    return ("\n".join(line for line in lines_of(hit[0]) if line not in drop) + "\n").encode("utf-8")


def take(snapshots: Path, out_dir: Path, row: dict) -> bytes:
    if row["take"] == "lines":
        return gold_lines(out_dir, row)
    data = blob(snapshots, row)
    if row["take"] == "sql-column":
        return sql_column(data, row)
    if row["take"] == "pickle-str":
        return pickle_str(data, row)
    if row["take"] == "pickle-attr":
        return pickle_attr(data, row)
    if row["take"] == "from-marker":
        return from_marker(data, row)
    return data


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def lay_out(manifest: Path, snapshots: Path, out_dir: Path) -> int:
    """Write every file of the manifest under out_dir; returns how many."""
    rows = load_manifest(manifest)
    for row in rows:
        data = take(snapshots, out_dir, row)
        got = sha256(data)
        if got != row["sha256"]:
            raise LayoutError(f"{row['dest']}: sha256 mismatch: manifest {row['sha256']}, taken out {got}")
        dest = out_dir / row["dest"]
        dest.parent.mkdir(parents=True, exist_ok=True)
        part = dest.with_name(dest.name + ".part")
        part.write_bytes(data)
        os.replace(part, dest)
    return len(rows)


def check(manifest: Path, out_dir: Path, *, allow_missing: bool = False) -> tuple[int, list[str]]:
    """How many files match, and the manifest's files not laid out yet (only with
    ``allow_missing``: a data directory refreshed before the manifest grew)."""
    rows = load_manifest(manifest)
    missing = []
    for row in rows:
        dest = out_dir / row["dest"]
        if not dest.is_file():
            if allow_missing:
                missing.append(row["dest"])
                continue
            raise LayoutError(f"{row['dest']}: missing from {out_dir}")
        got = sha256(dest.read_bytes())
        if got != row["sha256"]:
            raise LayoutError(f"{row['dest']}: sha256 mismatch: manifest {row['sha256']}, in {out_dir} {got}")
    return len(rows) - len(missing), missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshots", type=Path, help="the directory of OWNER+NAME snapshots")
    parser.add_argument("--out", type=Path, help="the data directory (default: tests/third_party.py's)")
    parser.add_argument("--manifest", type=Path, default=MANIFEST)
    parser.add_argument("--check", action="store_true", help="compare the data directory with the manifest only")
    parser.add_argument("--allow-missing", action="store_true",
                        help="with --check: files not laid out yet are listed, not a failure (a wrong one still is)")
    args = parser.parse_args(argv)
    if args.out is None:
        sys.path.insert(0, str(REPO))
        from tests import third_party  # noqa: PLC0415

        args.out = third_party.data_dir()
    try:
        if args.check:
            n, missing = check(args.manifest, args.out, allow_missing=args.allow_missing)
            print(f"{n} files in {args.out} match {args.manifest.name}")
            if missing:
                print(f"{len(missing)} not laid out yet: {', '.join(missing)}")
        else:
            if args.snapshots is None:
                parser.error("--snapshots is needed to lay the data out")
            n = lay_out(args.manifest, args.snapshots, args.out)
            print(f"{n} files laid out in {args.out}, every sha256 checked")
    except LayoutError as err:
        print(f"layout_third_party: FAILED: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
