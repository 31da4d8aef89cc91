"""Extraction speed against its reference: bare ``trafilatura.extract`` (default options)
and ``extract_page`` on the same raw page bytes.

    python tests/bench/extract_speed.py [--rounds N]

Pages: the real eval corpus pages and the sample sites' detail pages (first part of each
article in ``crawler/samples/expected.toml``). The real pages are third-party data kept
outside the repository (``tests/third_party.py``): without them only the sample pages are
timed, and the JSON's ``real_pages`` says which it was. Each round
runs both sides on every page, one right after the other, the side that goes first
alternating from round to round; the report takes the median round per side. Load from
other processes on the machine hits both sides alike, so the ratio holds while the
absolute rates move. Time is this process's CPU time (one core), so the pages/s are per
core and a busy machine lowers them less than it would wall-clock rates.
Prints JSON: pages, both pages/s and their ratio, overall and per group.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402

from crawler.extract import extract_page  # noqa: E402
from crawler.samples.server import sample_registry_path, sample_root  # noqa: E402
from tests import third_party  # noqa: E402

Page = tuple[str, bytes]  # (url, raw bytes)


def real_dir() -> Path:
    return third_party.eval_corpus_path("real")


def real_pages() -> list[Page]:
    return [(f"http://eval.local/{p.name}", p.read_bytes()) for p in sorted(real_dir().glob("*.html"))]


def sample_pages() -> list[Page]:
    expected = tomllib.loads((sample_registry_path().parent / "expected.toml").read_text(encoding="utf-8"))
    www = sample_root()
    return [
        ("http://sample.local" + p["path"], (www / p["parts"][0].lstrip("/")).read_bytes())
        for p in expected["page"]
    ]


def _bare(page: Page) -> None:
    trafilatura.extract(page[1])


def _ours(page: Page) -> None:
    extract_page(page[1], page[0])


def _time(fn: Callable[[Page], None], page: Page) -> float:
    # CPU time of this process: time the machine gave to other processes is not counted
    start = time.process_time()
    fn(page)
    return time.process_time() - start


def measure(rounds: int = 3) -> dict:
    """Pages/s of both sides and the ratio ours/bare, overall and per group."""
    real = real_pages()
    groups = {"real": real, "sample": sample_pages()} if real else {"sample": sample_pages()}
    for pages in groups.values():  # warm-up: lazy imports and caches of both sides
        for page in pages[:5]:
            _bare(page)
            _ours(page)
    sides = {"bare": _bare, "ours": _ours}
    # seconds[side][group] = one total per round
    seconds: dict[str, dict[str, list[float]]] = {s: {g: [] for g in groups} for s in sides}
    for r in range(rounds):
        # page by page, both sides back to back, who goes first alternating by round: a
        # burst of load from elsewhere falls on both sides of the same pages
        order = ("bare", "ours") if r % 2 == 0 else ("ours", "bare")
        for group, pages in groups.items():
            spent = dict.fromkeys(sides, 0.0)
            for page in pages:
                for side in order:
                    spent[side] += _time(sides[side], page)
            for side in sides:
                seconds[side][group].append(spent[side])

    def report(names: list[str]) -> dict:
        n = sum(len(groups[g]) for g in names)
        per_round = {s: [sum(seconds[s][g][r] for g in names) for r in range(rounds)] for s in sides}
        bare = n / statistics.median(per_round["bare"])
        ours = n / statistics.median(per_round["ours"])
        return {
            "pages": n,
            "bare_trafilatura_pages_per_s": round(bare, 1),
            "extract_page_pages_per_s": round(ours, 1),
            "ratio": round(ours / bare, 3),
        }

    out = report(list(groups))
    out["rounds"] = rounds
    out["real_pages"] = (
        {"present": True, "dir": str(real_dir())} if real else {"present": False, "note": third_party.absent("real pages")}
    )
    out["groups"] = {g: report([g]) for g in groups}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(json.dumps(measure(args.rounds), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
