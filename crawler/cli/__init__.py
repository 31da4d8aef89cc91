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

from crawler.cli.common import PROG, CliError, Parser, VersionAction

# Order here is the order of `--help`.
COMMAND_MODULES = ("crawl", "archive", "history", "runs", "sources", "watch", "serve", "extract", "samples", "worker")
# Each command → the module that adds it (tests/test_startup.py holds this to what the
# modules register): a command builds only its own module's parser, since importing the
# others is most of the parser's cost (a search would pay for the crawl's, the sources'
# and the samples' imports); --help, --version and a mistyped command build them all.
COMMANDS = {
    "crawl": "crawl", "demo": "crawl", "schedule": "crawl",
    "search": "archive", "show": "archive", "stats": "archive", "new": "archive", "export": "archive",
    "reindex": "archive", "attachment": "archive",
    "history": "history", "diff": "history", "reextract": "history",
    **{name: name for name in ("runs", "sources", "watch", "serve", "extract", "samples", "worker")},
}

__all__ = ["PROG", "CliError", "build_parser", "main"]


def build_parser(command: str | None = None) -> Parser:
    """The parser of every command, or only of ``command``'s module when it names one."""
    parser = Parser(prog=PROG, description="Archive of Chinese health and eldercare policy notices.")
    parser.add_argument("--version", action=VersionAction)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    for name in (COMMANDS[command],) if command in COMMANDS else COMMAND_MODULES:
        importlib.import_module(f"crawler.cli.{name}").register(sub)
    return parser


# Errors that are the user's input, shown as one line with exit 2. Named by module, not
# imported: `--help` and a bad argument must not pay for SQLAlchemy (storage.db). An
# error of a module nobody imported cannot have been raised, so looking only at the
# modules already loaded misses nothing.
USER_ERRORS = (("spiders.registry", "RegistryError"), ("storage.db", "ArchiveError"),
               ("storage.search_query", "QueryError"))
# The database refused or failed (a read-only archive, a lost server): one line, exit 1.
DATABASE_ERRORS = (("sqlalchemy.exc", "SQLAlchemyError"),)


def _loaded(names: tuple[tuple[str, str], ...]) -> tuple[type[BaseException], ...]:
    found = []
    for module, name in names:
        loaded = sys.modules.get(module)
        if loaded is not None:
            found.append(getattr(loaded, name))
    return tuple(found)


def _quiet_stdout() -> None:
    """The reader of our output went away (`export | head -1`): drop what is still
    buffered, or the interpreter reports the broken pipe again when it flushes at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is no file descriptor (tests capture it)
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every way it can fail ends here as one line and an exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser(argv[0] if argv else None).parse_args(argv)
        code = args.func(args)
        # Flushed here, where a closed pipe is caught, not at exit, where it is not.
        sys.stdout.flush()
        return code
    except (CliError, FileNotFoundError, *_loaded(USER_ERRORS)) as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _quiet_stdout()
        return 0
    except _loaded(DATABASE_ERRORS) as exc:
        from storage.db import error_line

        print(f"{PROG}: error: the database refused: {error_line(exc)}", file=sys.stderr)
        return 1
    except Exception as exc:
        if os.environ.get("POLICY_ARCHIVE_DEBUG"):
            raise
        print(f"{PROG}: error: {type(exc).__name__}: {exc} (POLICY_ARCHIVE_DEBUG=1 shows a traceback)", file=sys.stderr)
        return 1
