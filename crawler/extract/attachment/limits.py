"""How a hostile or broken attachment is kept in bounds: the one error type with a
one-line reason (and the failure kind a crawl records it under), the unpacked-size caps of
zip containers and of a PDF's compressed streams, checked before any reading library
sees the bytes, converters run on a private temporary file with an argument list (never
a shell) and a time limit, and a soft time limit for the readers that run in Python.

Why before the library: python-docx reads a 190 MiB ``document.xml`` into one lxml tree
(2.5 GB resident, 15 minutes), and pdfminer inflates a stream with one unbounded
``zlib.decompress``; once either has started, only killing its process stops it.
"""
from __future__ import annotations

import ctypes
import io
import re
import signal
import struct
import subprocess
import tempfile
import threading
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from crawler.vocab.failures import PARSE, TIMEOUT, TOO_LARGE

TOOL_TIMEOUT = 30  # seconds; a hostile or huge .doc must not hang a crawl
MAX_UNPACKED = 160 * 1024 * 1024  # bytes a DOCX/XLSX/OFD may unpack to, all its members together
# One XML member (a DOCX's document.xml, an XLSX sheet): parsed whole into an lxml tree of
# about ten times its size. The largest in the test corpus is under 2 MiB.
MAX_XML_MEMBER = 32 * 1024 * 1024
# One PDF stream, inflated (pdfminer holds a decoded content stream whole), and all of
# them together; a scanned page's raw bitmap is about 26 MB at 300 dpi.
MAX_PDF_STREAM = 64 * 1024 * 1024
MAX_PDF_INFLATED = 256 * 1024 * 1024
# Cells of an XLS as xlrd lays its sheets out, all sheets together: every row as long as
# the sheet's widest, so one number at row 65535 and one at column 255 make 16.7 million
# (a 2 MB file that xlrd holds in 210 MB). A real list of 50,000 rows by 30 columns is 1.5
# million.
MAX_XLS_CELLS = 4_000_000
READ_SECONDS = 60.0  # one attachment's reading in Python (pdfminer, python-docx, xlrd …)

_CHUNK = 1 << 20


class AttachmentError(ValueError):
    """A file of a readable kind whose text could not be read; the message is one line,
    ``kind`` the failure kind a crawl records (crawler/vocab/failures.py)."""

    def __init__(self, message: str, kind: str = PARSE) -> None:
        super().__init__(message)
        self.kind = kind


def one_line(exc: BaseException) -> str:
    message = " ".join(str(exc).split())[:200]
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _mib(n: int) -> str:
    return f"{n / 2**20:.0f} MiB"


def too_large(what: str) -> AttachmentError:
    return AttachmentError(what, TOO_LARGE)


def check_unpacked_size(body: bytes, kind: str) -> None:
    """Refuse a zip container whose members unpack past the caps: first by the sizes it
    declares, then by inflating each member (without keeping it) to see what it really
    holds; zipfile stops a member at its declared size, so a header that lies shows as a
    member that does not inflate to what it declares."""
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as zf:
            infos = zf.infolist()
            total = sum(info.file_size for info in infos)
            if total > MAX_UNPACKED:
                raise too_large(f"{kind} unpacks to {_mib(total)}, over the {_mib(MAX_UNPACKED)} cap")
            for info in infos:
                if info.file_size > MAX_XML_MEMBER and not info.is_dir() and _is_markup(info.filename):
                    raise too_large(f"{kind} member {info.filename} unpacks to {_mib(info.file_size)}, "
                                    f"over the {_mib(MAX_XML_MEMBER)} cap")
            for info in infos:
                _inflate_member(zf, info, kind)
    except AttachmentError:
        raise
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, zlib.error, NotImplementedError) as exc:
        raise AttachmentError(f"unreadable {kind}: {one_line(exc)}") from None


def _is_markup(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels", ".vml"))


def _inflate_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, kind: str) -> None:
    size = 0
    with zf.open(info) as member:
        while chunk := member.read(_CHUNK):
            size += len(chunk)
    if size != info.file_size:
        raise AttachmentError(f"unreadable {kind}: member {info.filename} inflates to {size} bytes, "
                              f"not the {info.file_size} it declares")


# "stream" then its end of line opens a PDF stream's data ("endstream" closes one)
_PDF_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")


def check_pdf_streams(body: bytes) -> None:
    """Refuse a PDF one of whose zlib (FlateDecode) streams, or all of them together,
    inflate past the caps. Each stream is inflated in pieces and counted, never kept;
    streams of other filters fail at zlib's header and are passed over."""
    total = 0
    for match in _PDF_STREAM.finditer(body):
        size = _inflated_size(body, match.end(), MAX_PDF_STREAM + 1)
        if size > MAX_PDF_STREAM:
            raise too_large(f"PDF stream at byte {match.end()} inflates past the {_mib(MAX_PDF_STREAM)} cap")
        total += size
        if total > MAX_PDF_INFLATED:
            raise too_large(f"PDF streams inflate past {_mib(MAX_PDF_INFLATED)} together")


def _inflated_size(body: bytes, start: int, limit: int) -> int:
    """How many bytes the zlib stream at ``start`` inflates to, counting up to ``limit``;
    0 when no zlib stream starts there."""
    inflater = zlib.decompressobj()
    view = memoryview(body)
    size, at = 0, start
    try:
        while at < len(body) and not inflater.eof and size < limit:
            pending = view[at:at + _CHUNK]
            at += len(pending)
            while pending and size < limit:
                out = inflater.decompress(pending, _CHUNK)
                size += len(out)
                pending = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error:
        pass  # not zlib data, or a broken stream: the reader says what it makes of it
    return size


# BIFF8 records that hold a cell's value, each opening with its row and column (u16, u16);
# blank cells are not kept by xlrd without formatting_info. MULRK holds a run of columns.
_BOF, _EOF, _MULRK = 0x0809, 0x000A, 0x00BD
_VALUE_RECORDS = frozenset({0x0006, 0x00D6, 0x00FD, 0x0203, 0x0204, 0x0205, 0x027E, _MULRK})
_WORKSHEET = 0x0010


def check_xls_cells(body: bytes) -> None:
    """Refuse an XLS whose sheets xlrd would lay out past MAX_XLS_CELLS, read from its
    records (xlrd's own compound-document reader finds the workbook stream; the records
    are walked, nothing is kept). A file too broken to walk is left to xlrd to refuse."""
    from xlrd import compdoc

    try:
        doc = compdoc.CompDoc(body, logfile=io.StringIO())
        mem, at, size = doc.locate_named_stream("Workbook")
        if mem is None:
            mem, at, size = doc.locate_named_stream("Book")
    except Exception:  # xlrd's CompDocError, struct.error, IndexError …: not an OLE2 workbook
        return
    if mem is None:
        return
    total, end = 0, min(at + size, len(mem))
    rows = cols = -1
    in_sheet = False
    while at + 4 <= end:
        record, length = struct.unpack_from("<HH", mem, at)
        data, at = at + 4, at + 4 + length
        if record == _BOF and length >= 4:
            in_sheet = struct.unpack_from("<H", mem, data + 2)[0] == _WORKSHEET
            rows = cols = -1
        elif record == _EOF and in_sheet:
            total += (rows + 1) * (cols + 1)
            in_sheet, rows, cols = False, -1, -1
        elif in_sheet and record in _VALUE_RECORDS and length >= 4 and at <= end:
            row, col = struct.unpack_from("<HH", mem, data)
            if record == _MULRK and length >= 6:
                col = struct.unpack_from("<H", mem, at - 2)[0]
            rows, cols = max(rows, row), max(cols, col)
        if total + (rows + 1) * (cols + 1) > MAX_XLS_CELLS:
            raise too_large(f"XLS sheets lay out past {MAX_XLS_CELLS:,} cells")


class _ReadTimedOut(BaseException):
    """Raised by the alarm into the reading code; a BaseException so that the readers'
    ``except Exception`` (a broken file) does not take it for a broken file."""


@contextmanager
def read_deadline(seconds: float | None = None) -> Iterator[None]:
    """Stop the reading inside after ``seconds`` with an AttachmentError of kind
    ``timeout``. A soft limit, seen between bytecodes: a C call that never returns is
    stopped only by the extraction pool's per-item deadline (it replaces the worker). On
    the main thread an alarm signal raises it; on any other (a crawl extracting in its own
    process, POLICY_EXTRACT_WORKERS=0, reads in the reactor's thread pool, where no signal
    arrives) a timer thread raises it asynchronously in the reading thread."""
    seconds = READ_SECONDS if seconds is None else seconds
    if seconds <= 0:
        yield
        return
    limit = _alarm if threading.current_thread() is threading.main_thread() else _thread_timer
    try:
        with limit(seconds):
            yield
    except _ReadTimedOut:
        raise AttachmentError(f"reading took longer than {seconds:g} s", TIMEOUT) from None


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    def alarm(_signum: int, _frame: object) -> None:
        raise _ReadTimedOut()

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _thread_timer(seconds: float) -> Iterator[None]:
    """_ReadTimedOut raised in this thread after ``seconds`` (CPython's
    PyThreadState_SetAsyncExc), only while the block runs: the timer and the block's end
    take one lock, and an exception set but not yet raised when the block ends is taken
    back (the same call with NULL), so none can land after it."""
    thread = ctypes.c_ulong(threading.get_ident())
    lock = threading.Lock()
    state = {"inside": True, "fired": False}

    def fire() -> None:
        with lock:
            if state["inside"]:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(thread, ctypes.py_object(_ReadTimedOut))
                state["fired"] = True

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            state["inside"] = False
            if state["fired"]:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(thread, None)


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
            raise AttachmentError(f"{args[0]} took longer than {TOOL_TIMEOUT} s", TIMEOUT) from None
        except OSError as exc:
            raise AttachmentError(f"{args[0]} could not run: {one_line(exc)}") from None
    out = done.stdout.decode("utf-8", "replace")
    err = " ".join(done.stderr.decode("utf-8", "replace").split())[:200]
    return done.returncode, out, err


def has_text(text: str) -> bool:
    return any(ch.isalnum() for ch in text)
