"""The text of a notice's attachment (附件): bytes in, text out, one module per format.

When a notice's page body is two lines, the attachment IS the document, so its text is
read here, cleaned the way page text is: one paragraph per line, NFC, no page furniture.

| where | what |
|---|---|
| ``kinds``      | the attachment kinds, one list for links, sniffing, readers and spiders |
| ``sniff``      | what the bytes are (``sniff_kind``) |
| ``pdf``        | PDF (pdfminer), printed lines joined into paragraphs |
| ``word``       | DOCX (python-docx), DOC and WPS (antiword, catdoc) |
| ``sheet``      | XLSX (its XML), XLS (xlrd) |
| ``ofd``        | OFD (ofdkit) |
| ``officehtml`` | Word/Excel "save as web page" files served as .doc/.xls |
| ``cleaning``   | NFC, one paragraph a line, page numbers and running headers |
| ``limits``     | the one error type, unpacked-size caps (zip, PDF streams), time limits |

Errors, one rule: a kind nobody can read as text (images, archives, an HTML page that
is not an Office export) gives ``""``; a file of a readable kind that cannot be read
(corrupt, encrypted, a tool that fails, times out or is not installed) raises
:class:`AttachmentError` with a one-line reason and a failure kind (``too_large`` past a
size cap or out of memory, ``timeout`` past a time limit, else ``parse``), so the caller
can record why.
"""
from __future__ import annotations

from collections.abc import Callable

from crawler.extract.attachment.cleaning import clean_text, page_furniture
from crawler.extract.attachment.kinds import SNIFFED_KINDS, TEXT_KINDS
from crawler.extract.attachment.limits import AttachmentError, read_deadline
from crawler.vocab.failures import TOO_LARGE
from crawler.extract.attachment.sniff import sniff_kind

__all__ = ["AttachmentError", "SNIFFED_KINDS", "TEXT_KINDS", "attachment_text", "clean_text", "page_furniture", "sniff_kind"]


def _reader(kind: str | None) -> Callable[[bytes], str] | None:
    """The reader of a kind, imported on first use (pdfminer, python-docx, xlrd and
    ofdkit are not loaded by a caller that only sniffs)."""
    if kind == "pdf":
        from crawler.extract.attachment.pdf import pdf_text

        return pdf_text
    if kind == "docx":
        from crawler.extract.attachment.word import docx_text

        return docx_text
    if kind in ("doc", "wps"):
        from crawler.extract.attachment.word import doc_text

        return doc_text
    if kind == "xlsx":
        from crawler.extract.attachment.sheet import xlsx_text

        return xlsx_text
    if kind == "xls":
        from crawler.extract.attachment.sheet import xls_text

        return xls_text
    if kind == "ofd":
        from crawler.extract.attachment.ofd import ofd_text

        return ofd_text
    if kind == "html":
        from crawler.extract.attachment.officehtml import office_html_text

        return office_html_text
    return None


_READABLE = (*TEXT_KINDS, "html")


def attachment_text(body: bytes, kind: str | None = None, name: str | None = None) -> str:
    """The clean text of an attachment file: one paragraph per line, table rows as
    tab-joined cells.

    ``kind`` is what :func:`sniff_kind` says (sniffed from ``body`` and ``name`` when
    None); bytes that clearly are another readable kind win over it. Returns ``""`` for
    kinds with no readable text (images, archives) and for files that hold no text (a
    scanned PDF); raises :class:`AttachmentError` when a readable kind cannot be read.
    """
    if not body:
        raise AttachmentError("empty file")
    sniffed = sniff_kind(body)  # the bytes alone
    if sniffed in _READABLE and sniffed != kind and not (kind in ("doc", "wps") and sniffed in ("doc", "wps")):
        kind = sniffed
    elif kind is None:
        kind = sniff_kind(body, name)
    reader = _reader(kind)
    if reader is None:
        return ""
    try:
        with read_deadline():
            return reader(body)
    except AttachmentError as exc:
        # The readers turn whatever their library raised into one line; an allocation
        # that failed (a worker's memory ceiling) is a file too large to read.
        if isinstance(exc.__context__, MemoryError):
            exc.kind = TOO_LARGE
        raise
    except MemoryError:
        raise AttachmentError(f"{kind} file too large to read in this worker's memory", TOO_LARGE) from None
