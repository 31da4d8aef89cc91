"""Score policy-archive's extraction on the labeled corpus, side by side with bare
trafilatura: ``python tests/eval/run_eval.py [--json] [--verbose]`` (``make eval``).

Bare trafilatura is scored on body text and boilerplate only (it gives no 文号, agency
or dates); its metadata columns print as "-". The issue's acceptance criteria close the
report, PASS or FAIL each; the exit status is 1 when one fails.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
for path in (str(ROOT), str(HERE)):
    if path not in sys.path:
        sys.path.insert(0, path)

from eval_corpus import (  # noqa: E402
    GROUPS,
    META_FIELDS,
    LabeledPage,
    junk_lists,
    load_corpus,
    load_labels,
    visible_text,
)
from eval_scoring import (  # noqa: E402
    FIELDS,
    Criterion,
    acceptance,
    GroupStats,
    PageResult,
    aggregate,
    body_score,
    junk_survivors,
    page_markers,
    score_fields,
)

SYSTEMS = ("ours", "bare")


def _bare_text(bodies: list[bytes], url: str | None) -> str:
    from crawler.extract.decode import decode_html

    try:
        from crawler.extract.maintext import main_text_bare
    except ImportError:  # an extraction package without the baseline helper
        import trafilatura

        def main_text_bare(html: str, url: str | None = None) -> str:
            return trafilatura.extract(html, url=url) or ""

    return "\n".join(main_text_bare(decode_html(body)[0], url) for body in bodies)


def _ours(page: LabeledPage, bodies: list[bytes]) -> tuple[str, dict]:
    from crawler.extract import extract_page

    found = extract_page(bodies[0], page.url, declared_encoding=page.declared_encoding, more_pages=bodies[1:])
    return found.text, {name: getattr(found, name) for name in META_FIELDS}


def evaluate(pages: list[LabeledPage], labels: dict) -> dict[str, list[PageResult]]:
    results: dict[str, list[PageResult]] = {name: [] for name in SYSTEMS}
    for page in pages:
        bodies = page.bodies()
        shared, extra = junk_lists(labels, page)
        markers = page_markers(
            "\n".join(visible_text(body) for body in bodies), [page.gold, *page.optional], shared, extra
        )
        try:
            text, got = _ours(page, bodies)
        except Exception as exc:  # a crash is a result too: nothing extracted
            text, got = "", {"error": f"{type(exc).__name__}: {exc}"}
        results["ours"].append(
            PageResult(
                page_id=page.id,
                group=page.group,
                body=body_score(text, page.gold, page.optional),
                junk=junk_survivors(text, markers),
                junk_total=len(markers),
                fields=score_fields(got, page.want),
                got=got,
                want=page.want,
            )
        )
        bare = _bare_text(bodies, page.url)
        results["bare"].append(
            PageResult(
                page_id=page.id,
                group=page.group,
                body=body_score(bare, page.gold, page.optional),
                junk=junk_survivors(bare, markers),
                junk_total=len(markers),
            )
        )
    return results


def group_stats(results: dict[str, list[PageResult]]) -> dict[str, dict[str, GroupStats]]:
    """Per group and overall, for each system."""
    out: dict[str, dict[str, GroupStats]] = {}
    for group in (*GROUPS, "overall"):
        out[group] = {
            system: aggregate([r for r in rows if group == "overall" or r.group == group])
            for system, rows in results.items()
        }
    return out


# ------------------------------------------------------------------------ printing

_COLUMNS = (
    ("group", 13), ("pages", 5), ("who", 4), ("docno", 10), ("title", 10), ("title~", 8),
    ("agency", 10), ("signed", 10), ("publ", 10), ("index", 10), ("P", 5), ("R", 5), ("F1", 5), ("junk", 8),
)


def _ratio(right: int, total: int, false: int = 0) -> str:
    cell = f"{right}/{total}"
    return f"{cell} x{false}" if false else cell


def _row(cells: list[str]) -> str:
    padded = (cell.ljust(w) if i < 3 else cell.rjust(w) for i, (cell, (_, w)) in enumerate(zip(cells, _COLUMNS)))
    return "  ".join(padded)


def render_table(stats: dict[str, dict[str, GroupStats]]) -> str:
    lines = [_row([name for name, _ in _COLUMNS]), _row(["-" * width for _, width in _COLUMNS])]
    for group, by_system in stats.items():
        for system in SYSTEMS:
            s = by_system[system]
            if not s.pages:
                continue
            meta = ["-"] * 7
            if system == "ours":
                meta = [
                    _ratio(s.docnum_right, s.pages, s.docnum_false),
                    _ratio(s.right["title"], s.labeled["title"], s.false["title"]),
                    _ratio(s.right["title_ws"], s.labeled["title_ws"]),
                    *(_ratio(s.right[f], s.labeled[f], s.false[f]) for f in FIELDS[1:]),
                ]
            lines.append(
                _row(
                    [
                        group if system == "ours" else "",
                        str(s.pages) if system == "ours" else "",
                        system,
                        *meta,
                        f"{s.precision:.3f}",
                        f"{s.recall:.3f}",
                        f"{s.f1:.3f}",
                        f"{s.junk}/{s.junk_total}",
                    ]
                )
            )
    legend = (
        "docno: own 文号 right (none = right when we say none) / pages, xN = false numbers given.\n"
        "title…index: right / pages with a gold value, xN = wrong values given (also where the page has none);\n"
        "title~ ignores whitespace. P/R/F1: character bigrams against the gold body, averaged over pages.\n"
        "junk: page-chrome markers surviving in the output / markers the pages show."
    )
    return "\n".join(lines) + "\n\n" + legend


def render_acceptance(criteria: list[Criterion]) -> str:
    lines = ["Acceptance:"]
    lines += [f"  {'PASS' if c.passed else 'FAIL'}  {c.name}: {c.detail}" for c in criteria]
    return "\n".join(lines)


def _plain(value: object) -> object:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _fmt(value: object) -> str:
    return "None" if value is None else repr(_plain(value))


def render_mistakes(results: dict[str, list[PageResult]]) -> str:
    """Every page where we are wrong: fields, weak bodies, surviving junk."""
    lines = []
    bare_by_id = {r.page_id: r for r in results["bare"]}
    for r in results["ours"]:
        problems = []
        if "error" in r.got:
            problems.append(f"  extraction failed: {r.got['error']}")
        for name in ("doc_number", *FIELDS):
            verdict = r.fields.get(name)
            if verdict in ("wrong", "missed"):
                problems.append(f"  {name} {verdict}: got {_fmt(r.got.get(name))}, want {_fmt(r.want.get(name))}")
        bare = bare_by_id[r.page_id]
        if r.body.f1 < 0.95:
            problems.append(
                f"  body P={r.body.precision:.3f} R={r.body.recall:.3f} F1={r.body.f1:.3f} (bare F1={bare.body.f1:.3f})"
            )
        if r.junk:
            problems.append(f"  junk kept: {', '.join(r.junk)}")
        if problems:
            lines.append(f"{r.page_id}")
            lines.extend(problems)
    return "\n".join(lines) if lines else "no mistakes"


def as_json(stats: dict[str, dict[str, GroupStats]], results: dict[str, list[PageResult]], seconds: float) -> dict:
    def page(r: PageResult) -> dict:
        return {
            "id": r.page_id,
            "group": r.group,
            "body": {"precision": r.body.precision, "recall": r.body.recall, "f1": r.body.f1},
            "junk": r.junk,
            "junk_markers": r.junk_total,
            "fields": r.fields,
            "got": {k: _plain(v) for k, v in r.got.items()},
        }

    return {
        "seconds": round(seconds, 2),
        "acceptance": [{"name": c.name, "passed": c.passed, "detail": c.detail} for c in acceptance(stats)],
        "groups": {g: {s: st.as_dict() for s, st in by.items()} for g, by in stats.items()},
        "pages": {system: [page(r) for r in rows] for system, rows in results.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--verbose", action="store_true", help="also list every page where we are wrong")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    labels = load_labels()
    pages = load_corpus(labels)
    results = evaluate(pages, labels)
    stats = group_stats(results)
    seconds = time.perf_counter() - started

    if args.json:
        print(json.dumps(as_json(stats, results, seconds), ensure_ascii=False, indent=1))
        return 0
    print(f"Extraction on {len(pages)} labeled pages: policy-archive (ours) vs bare trafilatura (bare)\n")
    print(render_table(stats))
    if args.verbose:
        print("\nWhere we are wrong:\n" + render_mistakes(results))
    criteria = acceptance(stats)
    print("\n" + render_acceptance(criteria))
    print(f"\n{seconds:.1f} s")
    return 0 if all(c.passed for c in criteria) else 1


if __name__ == "__main__":
    sys.exit(main())
