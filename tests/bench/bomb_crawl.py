"""Peak memory of a crawl whose notices link hostile attachments (issue 21's acceptance).

    python tests/bench/bomb_crawl.py [--notices 40] [--workers N]

Serves a small government-style site on loopback: ``--notices`` ordinary notices, one
notice linking a DOCX whose document.xml unpacks to 190 MiB (710 KB on the wire), one
linking a PDF whose one Flate stream inflates to 200 MB; crawls it into a fresh SQLite
archive with ``run_crawl`` while /proc is sampled every 0.05 s for the crawl's process
tree (crawl process, fork server, extraction workers), and prints JSON: wall time, run
status, what the archive holds for the two notices and their attachments, and the peak
summed RSS of the tree (the goal: at most 600 MB). Not a test: peaks depend on the machine.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.crawl_speed import TreeSampler  # noqa: E402
from tests.extract.bomb_files import MIB, docx_bomb, pdf_bomb  # noqa: E402

GOAL_MIB = 600


_PHRASES = ("加强老年健康服务", "推进医养结合", "完善长期护理保险制度", "提升基层医疗卫生机构服务能力",
            "发展社区居家养老", "规范养老机构管理", "落实医保支付政策", "培育养老护理人才", "建设智慧健康平台",
            "开展家庭医生签约", "保障失能老人照护", "推动中医药进社区")


def _notice(title: str, extra: str = "") -> str:
    # each notice its own text: near-identical ones would join one Document
    pick = random.Random(title)
    body = "".join(f"<p>第{i}条 各级部门要{'，'.join(pick.sample(_PHRASES, 5))}。</p>" for i in range(15))
    return (f"<html><head><title>{title}</title></head><body><div id='zoom'><h1>{title}</h1>{body}{extra}"
            f"<p>市卫生健康委员会</p><p>2024年5月6日</p></div></body></html>")


def build(root: Path, notices: int) -> Path:
    from tests.tiny_sites import gov_portal, listing, write_registry, write_site

    pages = {f"n{i}.html": _notice(f"关于做好第{i}批养老服务工作的通知") for i in range(notices)}
    pages["docx.html"] = _notice("关于印发养老服务清单的通知", "<p>附件：<a href='qingdan.docx'>养老服务清单.docx</a></p>")
    pages["pdf.html"] = _notice("关于印发医养结合方案的通知", "<p>附件：<a href='fangan.pdf'>医养结合方案.pdf</a></p>")
    site = write_site(root, {"index.html": listing({name: name for name in pages}), **pages})
    (site / "qingdan.docx").write_bytes(docx_bomb(190 * MIB))
    (site / "fangan.pdf").write_bytes(pdf_bomb())
    return write_registry(root, gov_portal("bombs", "index.html"))


def measure(notices: int, workers: int | None) -> dict[str, Any]:
    from sqlalchemy import select

    from crawler.run.crawl_process import run_crawl
    from crawler.samples.server import SampleServer
    from spiders.registry import load_registry
    from storage.api import open_archive
    from storage.models import Attachment, Document, RunFailure

    with tempfile.TemporaryDirectory(prefix="bomb-crawl-") as tmp:
        root = Path(tmp)
        registry = build(root, notices)
        url = f"sqlite:///{root / 'archive.db'}"
        settings = {} if workers is None else {"POLICY_EXTRACT_WORKERS": workers}
        with SampleServer(root) as server, TreeSampler(interval=0.05) as sampler:
            start = time.perf_counter()
            summary = run_crawl(list(load_registry(registry).values()), db_url=url, registry_path=registry,
                                base=server.base_url, settings=settings, progress=False)
            wall = time.perf_counter() - start
        with open_archive(url) as archive, archive.session() as s:
            titles = {d.title for d in s.scalars(select(Document))}
            files = [{"url": a.url.rsplit("/", 1)[1], "kind": a.kind, "error": a.error}
                     for a in s.scalars(select(Attachment))]
            failures = [{"kind": f.kind, "url": f.url.rsplit("/", 1)[1]} for f in s.scalars(select(RunFailure))]
    peak = sampler.peak_rss_kib / 1024
    return {
        "wall_s": round(wall, 1),
        "status": [r.status for r in summary.sources],
        "documents": len(titles),
        "bomb_notices_archived": sorted(t for t in titles if "清单" in t or "方案" in t),
        "attachments": files,
        "run_failures": failures,
        "peak_rss_tree_mib": round(peak, 1),
        "peak_rss_mib_crawl_forkserver_workers": [round(sampler.peak_rss_by_depth.get(d, 0) / 1024, 1) for d in (1, 2, 3)],
        "goal_mib": GOAL_MIB,
        "met": peak <= GOAL_MIB,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=40)
    parser.add_argument("--workers", type=int, default=None, help="POLICY_EXTRACT_WORKERS (default: the setting's)")
    args = parser.parse_args()
    print(json.dumps(measure(args.notices, args.workers), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
