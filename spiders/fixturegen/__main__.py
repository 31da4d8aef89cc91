"""Write spiders/fixtures/ (sites + expected.toml) from the registry and the dialects.

    python -m spiders.fixturegen           # rewrite the fixtures
    python -m spiders.fixturegen --check   # exit 1 if they differ from a fresh build

Deterministic: the same registry gives the same bytes. Never edit spiders/fixtures by hand.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from spiders.fixturegen import aggregators, cms, govsites
from spiders.fixturegen.common import Built
from spiders.registry import BUILTIN_REGISTRY, load_registry

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _trs(agency: str, region: str, prefix: str, column: str, seq: int, code: str, container: str) -> tuple:
    return cms.trs_tdate, dict(agency=agency, region=region, prefix=prefix, column=column, seq=seq, code=code,
                               container=container)


# source id -> (dialect, what the site's made-up notices look like)
PLAN = {
    "gov_cn_gw": (govsites.govcn_api, dict(agency="国务院办公厅", prefix="国办发", path="content")),
    "gov_cn_bm": (govsites.govcn_api, dict(agency="国家卫生健康委", prefix="国卫老龄发", path="zhengceku")),
    "gov_cn_zuixin": (govsites.govcn_feed, dict(agency="国务院", prefix="国发")),
    "nhc_gfxwj": (govsites.nhc, dict(agency="国家卫生健康委员会", prefix="国卫医政发", dept="wjw", col="100375",
                                     office="医政司", column="规范性文件")),
    "nhc_zcjd": (govsites.nhc, dict(agency="国家卫生健康委员会", prefix="国卫老龄函", dept="wjw", col="100376",
                                    office="老龄健康司", column="政策解读")),
    "mca_tzgg": (govsites.mca, dict(agency="民政部", prefix="民发")),
    "nhsa_zcfg": (cms.hanweb, dict(agency="国家医疗保障局", region="全国", prefix="医保发", col="104",
                                   column="政策法规", code="bm79000001")),
    "natcm_zcwj": (govsites.natcm, dict(agency="国家中医药管理局", prefix="国中医药医政发", dept="yizhengsi",
                                        office="医政司", column="政策文件")),
    "natcm_tzgg": (govsites.natcm, dict(agency="国家中医药管理局", prefix="国中医药办医政函", dept="bangongshi",
                                        office="办公室", column="通知公告")),
    "cncaprc_zcfg": (govsites.cncaprc, dict(agency="全国老龄工作委员会办公室", prefix="全国老龄办发")),
    "bj_wjw": _trs("北京市卫生健康委员会", "北京市", "京卫老龄", "政策文件", 3612345, "1100000088", ".TRS_UEDITOR"),
    "bj_ybj": _trs("北京市医疗保障局", "北京市", "京医保发", "通知公告", 3401200, "1100000171", ".TRS_UEDITOR"),
    "cq_wsjkw": _trs("重庆市卫生健康委员会", "重庆市", "渝卫发", "行政规范性文件", 12933001, "5000000035", "#zoom"),
    "cq_mzj": _trs("重庆市民政局", "重庆市", "渝民发", "行政规范性文件", 12800410, "5000000020", "#zoom"),
    "cq_ylbzj": _trs("重庆市医疗保障局", "重庆市", "渝医保发", "规范性文件", 12700333, "5000000155", "#zoom"),
    "nx_wsjkw": _trs("宁夏回族自治区卫生健康委员会", "宁夏回族自治区", "宁卫发", "政策法规", 4188002, "6400000044", ".TRS_Editor"),
    "nx_mca": _trs("宁夏回族自治区民政厅", "宁夏回族自治区", "宁民发", "养老服务", 4100777, "6400000017", ".TRS_Editor"),
    "nx_ylbz": _trs("宁夏回族自治区医疗保障局", "宁夏回族自治区", "宁医保发", "政策法规", 4055901, "6400000149", ".TRS_Editor"),
    "fj_wjw": _trs("福建省卫生健康委员会", "福建省", "闽卫老龄", "法律法规", 6501234, "3500000038", ".TRS_Editor"),
    "fj_mzt": _trs("福建省民政厅", "福建省", "闽民养老", "养老服务政策解读", 6400221, "3500000019", ".TRS_Editor"),
    "fj_ybj": _trs("福建省医疗保障局", "福建省", "闽医保", "政策法规", 6300987, "3500000149", ".TRS_Editor"),
    "xz_ylbzj": _trs("西藏自治区医疗保障局", "西藏自治区", "藏医保发", "政策文件", 540012, "5400000102", "#zoom"),
    "shenyang_gov": _trs("沈阳市人民政府办公室", "辽宁省沈阳市", "沈政办发", "重要动态", 3998877, "2101000027", ".TRS_Editor"),
    "js_wjw": (cms.hanweb, dict(agency="江苏省卫生健康委员会", region="江苏省", prefix="苏卫老龄", col="49491",
                                unitid="404345", webid="31", column="政策文件", code="3200000053")),
    "js_mzt": (cms.hanweb, dict(agency="江苏省民政厅", region="江苏省", prefix="苏民规", col="55087",
                                unitid="417020", webid="39", column="政策文件", code="3200000029")),
    "js_ybj": (cms.hanweb, dict(agency="江苏省医疗保障局", region="江苏省", prefix="苏医保发", col="73935",
                                unitid="400108", webid="67", column="政策文件", code="3200000173")),
    "gd_wsjkw": (cms.gkmlpt, dict(agency="广东省卫生健康委员会", region="广东省", prefix="粤卫规", sid="2",
                                  cat=3025, code="4400000059")),
    "gd_smzt": (cms.gkmlpt, dict(agency="广东省民政厅", region="广东省", prefix="粤民规", sid="2", cat=1833,
                                 code="4400000029")),
    "gd_hsa": (cms.gkmlpt, dict(agency="广东省医疗保障局", region="广东省", prefix="粤医保规", sid="2", cat=2611,
                                code="4400000167")),
    "sz_wjw": (cms.gkmlpt, dict(agency="深圳市卫生健康委员会", region="广东省深圳市", prefix="深卫健规", sid="755021",
                                cat=4217, code="4403000033")),
    "sh_mzj": (cms.sh_hex, dict(agency="上海市民政局", prefix="沪民养老发", col="jicxx", column="基层信息",
                                code="3100000086")),
    "sh_ybj": (cms.sh_hex, dict(agency="上海市医疗保障局", prefix="沪医保规", col="gfxwj", column="规范性文件",
                                code="3100000160")),
    "ln_szfwj": (cms.ln_webidx, dict(agency="辽宁省人民政府", prefix="辽政发", column="省政府文件",
                                     code="2100000040")),
    "baoshan_search": (cms.vsb_search, dict(agency="保山市民政局", prefix="保民发", tree="1021")),
    "shui5_difang": (aggregators.shui5, dict(agency="国家医疗保障局", prefix="医保办发", dir="a5")),
    "cn_healthcare": (aggregators.cn_healthcare, dict(agency="国家卫生健康委员会", prefix="国卫办医政函")),
    "yanglaocn_news": (aggregators.yanglaocn, dict(agency="江西省民政厅", prefix="赣民发")),
}


def build(root: Path) -> None:
    registry = load_registry(BUILTIN_REGISTRY)
    missing = sorted(set(registry) - set(PLAN))
    if missing:
        raise SystemExit(f"no fixture plan for: {', '.join(missing)}")
    files: dict[str, bytes] = {}
    charsets: dict[str, object] = {}
    expected: dict[str, dict] = {}
    for sid, (dialect, cfg) in PLAN.items():
        built: Built = dialect(registry[sid], cfg)
        for rel, body in built.files.items():
            if files.get(rel, body) != body:
                raise SystemExit(f"{sid}: {rel} is also another source's fixture, with other bytes")
            files[rel] = body
        charsets.update(built.charsets)
        expected[sid] = built.expected
    for rel, body in sorted(files.items()):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
    for host, charset in sorted(charsets.items()):
        value = json.dumps(charset) if charset else "false"
        (root / host / "_site.toml").write_text(f"charset_header = {value}\n", encoding="utf-8")
    lines = ["# Ground truth of the built-in sources' fixtures: written by `python -m spiders.fixturegen`.\n"]
    for sid, exp in expected.items():
        lines.append(f"\n[source.{sid}]\n")
        for key, value in exp.items():
            if isinstance(value, dict):
                inner = ", ".join(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in value.items())
                lines.append(f"{key} = {{ {inner} }}\n")
            else:
                lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}\n")
    (root / "expected.toml").write_text("".join(lines), encoding="utf-8")


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            build(Path(tmp))
            same = _tree(Path(tmp)) == _tree(FIXTURES)
        print("fixtures are up to date" if same else "fixtures differ from a fresh build")
        return 0 if same else 1
    if FIXTURES.exists():
        shutil.rmtree(FIXTURES)
    FIXTURES.mkdir(parents=True)
    build(FIXTURES)
    print(f"wrote {sum(1 for p in FIXTURES.rglob('*') if p.is_file())} files under {FIXTURES}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
