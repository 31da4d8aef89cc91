"""A document's attachments: the text read from one (a page, and JSON), and its raw file as
fetched, a download. An attachment is reached by its id in the archive, so the only bytes
served are blobs the archive recorded as an attachment; no route takes a path or a digest.

The download's name comes from the crawled page (hostile): it is kept printable, without
path separators, and travels as RFC 6266's ``filename*`` (percent-encoded UTF-8), so no
byte of it can end the header or add another. Its type comes from the kind sniffed from
the bytes, never from what the crawled server claimed.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from crawler.extract.attachment.kinds import MEDIA_TYPES, OPAQUE_MEDIA_TYPE, kind_of_extension
from crawler.web.pages import render
from crawler.web.responses import JSONResponse, get_routes

MAX_NAME_CHARS = 120
# A page stays a page: a 300-page PDF's text is read in the download or the JSON.
MAX_PAGE_TEXT_CHARS = 200_000
_PRINTABLE = {"C": " ", "Z": " "}  # a control, format or space character: a plain space
_ASCII_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._() -]*")


def _detail(request: Request) -> Any:
    from storage.api import get_attachment

    attachment_id = request.path_params["attachment_id"]
    found = get_attachment(request.app.state.archive, attachment_id) if attachment_id < 2**31 else None
    if found is None:
        raise HTTPException(404, f"no attachment {attachment_id} in the archive")
    return found


def download_name(attachment_id: int, name: str | None, url: str, kind: str) -> str:
    """The file name a download is saved under: the attachment's name, else its URL's last
    segment, else attachment-ID; printable characters only, no path, ending in its kind's
    extension when the name ends in none of that kind."""
    raw = name or unquote(urlsplit(url).path.rpartition("/")[2])
    kept = "".join(_PRINTABLE.get(unicodedata.category(c)[0], c) if c not in "/\\" else "_" for c in raw)
    kept = " ".join(kept.split()).strip(" .")[:MAX_NAME_CHARS] or f"attachment-{attachment_id}"
    suffix = PurePosixPath(kept).suffix.lstrip(".")
    if kind in MEDIA_TYPES and kind_of_extension(suffix) != kind:
        kept += f".{kind}"
    return kept


def content_disposition(attachment_id: int, filename: str) -> str:
    """``attachment`` with the name twice: as ASCII for old clients (attachment-ID.ext when the
    name is not plain ASCII), and whole as percent-encoded UTF-8."""
    suffix = PurePosixPath(filename).suffix
    fallback = filename if _ASCII_NAME.fullmatch(filename) else f"attachment-{attachment_id}{suffix if suffix.isascii() else ''}"
    fallback = re.sub(r"[^A-Za-z0-9._() -]", "_", fallback)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _raw(request: Request) -> Response:
    from storage.api import attachment_body

    found = _detail(request)
    body = attachment_body(request.app.state.archive, found.id)
    if body is None:
        raise HTTPException(404, f"no file kept for attachment {found.id}")
    filename = download_name(found.id, found.name, found.url, found.kind)
    return Response(body, media_type=MEDIA_TYPES.get(found.kind, OPAQUE_MEDIA_TYPE),
                    headers={"content-disposition": content_disposition(found.id, filename)})


def _page(request: Request) -> Response:
    found = _detail(request)
    return render(request, "attachment.html", a=found, text=found.text[:MAX_PAGE_TEXT_CHARS],
                  cut=len(found.text) > MAX_PAGE_TEXT_CHARS,
                  filename=download_name(found.id, found.name, found.url, found.kind))


def _json(request: Request) -> JSONResponse:
    return JSONResponse(_detail(request).to_dict())


def routes() -> list[Route]:
    return get_routes({
        "/attachments/{attachment_id:int}": _page,
        "/attachments/{attachment_id:int}/raw": _raw,
    })


def api_routes() -> list[Route]:
    return get_routes({
        "/attachments/{attachment_id:int}": _json,
        "/attachments/{attachment_id:int}/raw": _raw,
    })
