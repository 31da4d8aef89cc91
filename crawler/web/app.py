"""The web application: routes, the security headers, errors as one line.

Safe by construction: Jinja2 autoescapes every value (crawled titles and texts are
attacker-controlled), the CSP forbids inline script, style and any other origin, every
route answers GET (and HEAD) only, query strings are bounded (params.py), and the only
files served are the package's own static folder, through StaticFiles (no path leaves it).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from crawler.web.params import BadParam
from crawler.web.responses import SecurityHeaders, bad_param, http_error

HERE = Path(__file__).resolve().parent


def create_app(db_url: str | None = None, archive: Any = None) -> Starlette:
    """The application over the archive at ``db_url`` (opened read-only), or over ``archive``."""
    from crawler.web import api, archive_pages, attachment_pages, citation_pages, pages
    from storage.api import open_archive

    if archive is None:
        archive = open_archive(db_url, read_only=True)
    routes = [
        *pages.routes(),
        *archive_pages.routes(),
        *citation_pages.routes(),
        *attachment_pages.routes(),
        Mount("/api/v1", routes=api.routes()),
        Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={BadParam: bad_param, HTTPException: http_error})
    app.state.archive = archive
    app.state.templates = pages.templates()
    app.add_middleware(SecurityHeaders)
    return app

