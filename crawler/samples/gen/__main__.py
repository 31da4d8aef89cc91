"""``python -m crawler.samples.gen``: build (or check) the demo sites, the fixtures or a bench site."""
from __future__ import annotations

import argparse
import sys

from . import bench, demo, fixtures
from .tree import check, write


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.samples.gen", description=__doc__.splitlines()[0])
    family = parser.add_subparsers(dest="family", required=True)
    for name, module in (("demo", demo), ("fixtures", fixtures)):
        sub = family.add_parser(name, help=module.__doc__.splitlines()[0])
        sub.add_argument("--check", action="store_true", help="compare with a fresh build, write nothing")
    sub = family.add_parser("bench", help=bench.__doc__.splitlines()[0])
    sub.add_argument("out")
    sub.add_argument("--notices", type=int, default=2000)
    sub.add_argument("--seed", type=int, default=0)
    sub.add_argument("--chrome", choices=bench.CHROMES, default="portal")
    args = parser.parse_args(argv)
    if args.family == "bench":
        site = bench.build_site(args.out, args.notices, args.seed, args.chrome)
        sizes = [p.stat().st_size for p in site.detail_files()]
        print(f"{len(sizes)} notices, {site.listing_pages} listing pages, {min(sizes)}–{max(sizes)} bytes, "
              f"registry {site.registry}")
        return 0
    module = demo if args.family == "demo" else fixtures
    files = module.build()
    if args.check:
        diffs = check(module.HERE, files, module.OWNED)
        for path in diffs:
            print(f"differs: {path}")
        return 1 if diffs else 0
    write(module.HERE, files, module.OWNED)
    print(f"wrote {len(files)} files under {module.HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
