"""What every command module shares: the error type, the parser class, --db/--json, the archive."""
from __future__ import annotations

import argparse
import os
from typing import Any, NoReturn

PROG = "policy-archive"


class CliError(Exception):
    """Bad input: the message is shown as one line."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


# The demo's fictional notices never go into the real archive unless --db asks for it.
DEMO_DB = "data/demo.db"


def common(json_flag: bool) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--db", metavar="URL", help="archive URL (default: $POLICY_ARCHIVE_DB or sqlite:///data/archive.db)")
    if json_flag:
        p.add_argument("--json", action="store_true", help="print JSON instead of text")
    return p


def open_db(args: argparse.Namespace, read_only: bool | None = None, create: bool = False) -> Any:
    """The archive of --db; read commands (``read_only``, or set_defaults(read_only=True))
    open an existing one without writing to it. Only a crawl (``create``) makes a new
    archive: elsewhere a mistyped path is an error, not a new empty archive."""
    from storage.api import NoArchive, open_archive

    if read_only is None:
        read_only = getattr(args, "read_only", False)
    try:
        return open_archive(args.db, read_only=read_only, create=create)
    except NoArchive as exc:
        # `make demo` then a read without --db: the demo's archive is kept apart on purpose
        if args.db is None and not os.environ.get("POLICY_ARCHIVE_DB") and os.path.exists(DEMO_DB):
            raise CliError(f"{exc} (the demo's archive is {DEMO_DB}: --db sqlite:///{DEMO_DB})") from None
        raise


def positive_int(value: str) -> int:
    """An argparse type: a whole number of at least 1 (a --limit, a --page)."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {number}")
    return number


def positive_number(value: str) -> float:
    """An argparse type: a number of seconds above 0 (a --timeout)."""
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not number > 0 or number == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number, not {value}")
    return number


class VersionAction(argparse.Action):
    """--version: the installed package's version, looked up only when asked for."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="print the version and exit", **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any) -> NoReturn:
        print(f"{PROG} {package_version()}")  # on stdout, like argparse's own --version
        parser.exit(0)


def package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(PROG)
    except PackageNotFoundError:  # run from a checkout that was never installed
        import tomllib
        from pathlib import Path

        pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
        return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
