"""Commands of scale-out: worker (one crawler process of a distributed round)."""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from typing import Any

from crawler.cli.common import PROG, CliError, common


def register(sub: Any) -> None:
    p = sub.add_parser("worker", parents=[common(json_flag=False)],
                       help="crawl distributed rounds from Redis (see `crawl --distributed`)")
    add_redis_options(p)
    p.add_argument("--job", metavar="ID", help="this round only (default: the newest open round)")
    p.add_argument("--idle", type=float, metavar="SECONDS",
                   help="exit once the shared queue has stayed empty this long (default: the round's)")
    p.add_argument("--wait", type=float, default=60.0, metavar="SECONDS",
                   help="how long to wait for a round to be published (default 60)")
    p.add_argument("--forever", action="store_true",
                   help="after a round, wait for the next one (a crawler process per round)")
    p.set_defaults(func=cmd_worker)


def add_redis_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--redis", metavar="URL", help="Redis URL (default: $POLICY_ARCHIVE_REDIS or redis://127.0.0.1:6379/0)")
    p.add_argument("--prefix", metavar="NAME", help="prefix of every Redis key (default: policy-archive)")


def cmd_worker(args: argparse.Namespace) -> int:
    from crawler.run import distributed

    url = distributed.redis_url(args.redis)
    prefix = args.prefix or distributed.DEFAULT_PREFIX
    try:
        server = distributed.connect(url)
        if args.forever:
            return _forever(args, server, url, prefix)
        job = distributed.wait_for_job(server, prefix, args.job, args.wait)
        if job is None:
            raise CliError(f"no {'round ' + args.job if args.job else 'open round'} in Redis at {url} (prefix {prefix})")
    except distributed.DistributedError as exc:
        raise CliError(str(exc)) from None
    from crawler.run.distributed_worker import run_worker

    return run_worker(job, url, prefix, db_url=args.db, idle_seconds=args.idle)


def _forever(args: argparse.Namespace, server: Any, url: str, prefix: str) -> int:
    """Wait for rounds; crawl each in a child process (a Twisted reactor runs once per
    process), so this waiting parent stays small."""
    from crawler.run import distributed

    done: set[str] = set()
    while True:
        job = distributed.wait_for_job(server, prefix, None, 3600, skip=done)
        if job is None:
            continue
        done.add(job["id"])
        argv = distributed.worker_argv(url, prefix, job["id"], args.idle if args.idle is not None else job["idle_seconds"])
        env = {**os.environ, **({"POLICY_ARCHIVE_DB": args.db} if args.db else {})}
        code = subprocess.call(argv, env=env)
        print(f"{PROG}: round {job['id']} done (exit {code})", file=sys.stderr, flush=True)
