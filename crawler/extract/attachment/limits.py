"""How a hostile or broken attachment is kept in bounds: the one error type with a
one-line reason, the unpacked-size cap of zip containers, and converters run on a private
temporary file with an argument list (never a shell) and a time limit."""
from __future__ import annotations

import io
import subprocess
import tempfile
import zipfile
from pathlib import Path

TOOL_TIMEOUT = 30  # seconds; a hostile or huge .doc must not hang a crawl
MAX_UNPACKED = 200 * 1024 * 1024  # bytes a DOCX/XLSX/OFD may unpack to: a zip bomb is no notice


class AttachmentError(ValueError):
    """A file of a readable kind whose text could not be read; the message is one line."""


def one_line(exc: BaseException) -> str:
    message = " ".join(str(exc).split())[:200]
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def check_unpacked_size(body: bytes, kind: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as zf:
            total = sum(info.file_size for info in zf.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise AttachmentError(f"unreadable {kind}: {one_line(exc)}") from None
    if total > MAX_UNPACKED:
        raise AttachmentError(f"unreadable {kind}: unpacks to {total // 2**20} MiB")


def run_tool(args: list[str], body: bytes, suffix: str) -> tuple[int, str, str]:
    """Run a converter on the bytes in a private temporary file: (returncode, stdout, stderr)."""
    with tempfile.TemporaryDirectory(prefix="attachment-") as tmp:
        path = Path(tmp) / f"attachment{suffix}"
        path.write_bytes(body)
        try:
            done = subprocess.run(
                [*args, str(path)], capture_output=True, timeout=TOOL_TIMEOUT, check=False, stdin=subprocess.DEVNULL
            )
        except subprocess.TimeoutExpired:
            raise AttachmentError(f"{args[0]} took longer than {TOOL_TIMEOUT} s") from None
        except OSError as exc:
            raise AttachmentError(f"{args[0]} could not run: {one_line(exc)}") from None
    out = done.stdout.decode("utf-8", "replace")
    err = " ".join(done.stderr.decode("utf-8", "replace").split())[:200]
    return done.returncode, out, err


def has_text(text: str) -> bool:
    return any(ch.isalnum() for ch in text)
