"""What every command module shares: the error type, the parser class, --db/--json, the archive."""
from __future__ import annotations

import argparse
from typing import Any, NoReturn

PROG = "policy-archive"


class CliError(Exception):
    """Bad input: the message is shown as one line."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def common(json_flag: bool) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--db", metavar="URL", help="archive URL (default: $POLICY_ARCHIVE_DB or sqlite:///data/archive.db)")
    if json_flag:
        p.add_argument("--json", action="store_true", help="print JSON instead of text")
    return p


def open_db(args: argparse.Namespace, read_only: bool | None = None) -> Any:
    """The archive of --db; read commands (``read_only``, or set_defaults(read_only=True))
    open an existing one without writing to it."""
    from storage.api import open_archive

    if read_only is None:
        read_only = getattr(args, "read_only", False)
    return open_archive(args.db, read_only=read_only)
