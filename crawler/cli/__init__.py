"""`policy-archive`: the command line.

Each module of this package owns a group of commands and adds them with
``register(sub)``. Every command takes --db; every read command has --json. Errors are
one line on stderr and a non-zero exit: a user never sees a traceback for bad input.
"""
from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence

from crawler.cli.common import PROG, CliError, Parser

# Order here is the order of `--help`.
COMMAND_MODULES = ("crawl", "archive", "history", "runs", "sources", "serve", "extract", "samples", "worker")

__all__ = ["PROG", "CliError", "build_parser", "main"]


def build_parser() -> Parser:
    parser = Parser(prog=PROG, description="Archive of Chinese health and eldercare policy notices.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(f"crawler.cli.{name}").register(sub)
    return parser


# Errors that are the user's input, shown as one line with exit 2. Named by module, not
# imported: `--help` and a bad argument must not pay for SQLAlchemy (storage.db). An
# error of a module nobody imported cannot have been raised, so looking only at the
# modules already loaded misses nothing.
USER_ERRORS = (("spiders.registry", "RegistryError"), ("storage.db", "ArchiveError"))


def _user_errors() -> tuple[type[BaseException], ...]:
    found: list[type[BaseException]] = [CliError, FileNotFoundError]
    for module, name in USER_ERRORS:
        loaded = sys.modules.get(module)
        if loaded is not None:
            found.append(getattr(loaded, name))
    return tuple(found)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except _user_errors() as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        if os.environ.get("POLICY_ARCHIVE_DEBUG"):
            raise
        print(f"{PROG}: error: {type(exc).__name__}: {exc} (POLICY_ARCHIVE_DEBUG=1 shows a traceback)", file=sys.stderr)
        return 1
