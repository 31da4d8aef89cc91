"""The bundled sample sites, for trying the crawler and the scheduler offline:
samples serve, samples registry."""
from __future__ import annotations

import argparse
import inspect
import signal
import sys
import threading
from typing import Any

from crawler.cli.common import CliError, Parser


def register(sub: Any) -> None:
    p = sub.add_parser("samples", help="serve the sample sites on 127.0.0.1, print a registry for them")
    samples = p.add_subparsers(dest="samples_command", required=True, parser_class=Parser)

    s = samples.add_parser("serve", help="serve the sample sites until stopped; prints the base URL")
    s.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any free one)")
    s.add_argument("--faults", action="store_true",
                   help="also serve the fault site with its faults on (5xx, slow, reset, truncated, …)")
    s.add_argument("--state", metavar="STATE", help="the sites as they look later (e.g. 'later')")
    s.set_defaults(func=cmd_serve)

    r = samples.add_parser("registry", help="print a source registry (TOML) for a running sample server: its "
                           "URLs are the sites' own origin, mapped to the server, as in demo")
    r.add_argument("--base", required=True, metavar="URL", help="the base URL `samples serve` printed")
    r.add_argument("--faults", action="store_true", help="include the fault site's entry")
    r.set_defaults(func=cmd_registry)


def cmd_serve(args: argparse.Namespace) -> int:
    from crawler.samples.server import SampleServer, sample_root

    options: dict[str, Any] = {"port": args.port, "faults": args.faults, "fault_site": True}
    if args.state is not None:
        if "state" not in inspect.signature(SampleServer).parameters:
            raise CliError("--state is not available yet")
        options["state"] = args.state
    try:
        server = SampleServer(sample_root(), **options).start()
    except OSError as exc:
        raise CliError(f"cannot listen on port {args.port}: {exc.strerror or exc}") from None
    print(server.base_url, flush=True)
    print(f"serving the sample sites{' with faults' if args.faults else ''} (Ctrl-C to stop)", file=sys.stderr)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    try:
        done.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def cmd_registry(args: argparse.Namespace) -> int:
    import tomli_w

    from crawler.components.loopback import is_loopback_url
    from crawler.samples.faults import FAULT_SOURCE
    from crawler.samples.server import SAMPLE_ORIGIN, sample_registry_path
    from spiders.registry import HOSTS_KEY

    base = args.base.rstrip("/")
    if not base.startswith(("http://", "https://")) or not is_loopback_url(base):
        raise CliError(f"--base must be the loopback URL `samples serve` printed, not {args.base!r}")
    text = sample_registry_path().read_text(encoding="utf-8")
    if args.faults:
        text += FAULT_SOURCE
    # The archive records the sites' own origin, as demo does, and the crawl is sent to this
    # server: a URL's identity does not depend on the port, and demo and a crawl of the
    # served sites archive the same URLs instead of each its own copy.
    hosts = tomli_w.dumps({HOSTS_KEY: {SAMPLE_ORIGIN: base}})
    print(text.replace("{base}", SAMPLE_ORIGIN) + "\n# where the crawl fetches them\n" + hosts, end="")
    return 0
