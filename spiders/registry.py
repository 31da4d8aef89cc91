"""The source registry: every site we crawl is a data entry, not code.

A registry is a TOML file with one ``[[source]]`` table per site. The built-in one is
``spiders/sources.toml``; the bundled sample sites have their own
(``crawler/samples/sources.toml``) whose URLs use a ``{base}`` placeholder that the
sample server fills in with its loopback address.

The user's own sources (``policy-archive sources add``) live in a user registry,
``$POLICY_ARCHIVE_SOURCES`` or ``./data/sources.toml`` (beside the default archive); the
default registry is the built-in one with the user's merged over it (a user entry with a
built-in id replaces that entry: the way to fix a source a site redesign broke).
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

BUILTIN_REGISTRY = Path(__file__).with_name("sources.toml")

KINDS = ("gov", "aggregator", "docshare")
FAMILIES = ("gov_portal", "policy_api", "aggregator", "docshare", "generic")


class RegistryError(ValueError):
    """A registry file that cannot be used; the message is one line for the user."""


@dataclass(frozen=True)
class ApiConfig:
    """How to read a JSON listing API (family ``policy_api``).

    Paths are dotted keys into the JSON document (``searchVO.listVO``).
    ``page_url`` is a template with ``{page}``; pages count from ``first_page``.
    """

    page_url: str
    items_path: str
    url_field: str = "url"
    title_field: str = "title"
    date_field: str | None = None
    doc_number_field: str | None = None
    agency_field: str | None = None
    total_pages_path: str | None = None
    first_page: int = 0


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    kind: str
    family: str
    start_urls: tuple[str, ...] = ()
    region: str | None = None
    base_url: str | None = None
    schedule: str = "0 3 * * *"
    enabled: bool = True
    # listing walk
    list_links: str | None = None  # CSS selector yielding detail <a> elements
    next_page: str | None = None  # CSS selector of the next listing page link
    max_pages: int = 20
    detail_pattern: str | None = None  # regex a detail URL must match
    # detail pages
    article_pager: str | None = None  # CSS selector of continuation pages (multi-page articles)
    container: str | None = None  # CSS selector of the notice body, when generic detection misses it
    boilerplate: tuple[str, ...] = ()  # extra regexes of lines to drop, for this site only
    api: ApiConfig | None = None
    notes: str | None = None
    browser: bool = False  # fetch through a real browser (sites that answer plain clients with a JS challenge)

    def with_base(self, base: str) -> "Source":
        """This source with ``{base}`` in its URLs replaced (sample sites on loopback)."""
        sub = lambda s: s.replace("{base}", base.rstrip("/")) if s else s  # noqa: E731
        api = self.api
        if api is not None:
            api = ApiConfig(**{**api.__dict__, "page_url": sub(api.page_url)})
        return Source(
            **{
                **self.__dict__,
                "start_urls": tuple(sub(u) for u in self.start_urls),
                "base_url": sub(self.base_url),
                "api": api,
            }
        )


def _source_from_table(table: dict[str, Any], origin: str) -> Source:
    known = {f.name for f in fields(Source)}
    unknown = set(table) - known
    sid = table.get("id", "?")
    if unknown:
        raise RegistryError(f"{origin}: source {sid!r} has unknown keys: {', '.join(sorted(unknown))}")
    for key in ("id", "name", "kind", "family"):
        if not table.get(key):
            raise RegistryError(f"{origin}: source {sid!r} lacks {key!r}")
    if table["kind"] not in KINDS:
        raise RegistryError(f"{origin}: source {sid!r}: kind must be one of {', '.join(KINDS)}")
    if table["family"] not in FAMILIES:
        raise RegistryError(f"{origin}: source {sid!r}: family must be one of {', '.join(FAMILIES)}")
    values = dict(table)
    values["start_urls"] = tuple(values.get("start_urls", ()))
    values["boilerplate"] = tuple(values.get("boilerplate", ()))
    if "api" in values:
        try:
            values["api"] = ApiConfig(**values["api"])
        except TypeError as exc:
            raise RegistryError(f"{origin}: source {sid!r}: bad [api] table: {exc}") from None
    if values["family"] == "policy_api" and not values.get("api"):
        raise RegistryError(f"{origin}: source {sid!r}: family policy_api needs an [source.api] table")
    if values["family"] != "policy_api" and not values["start_urls"]:
        raise RegistryError(f"{origin}: source {sid!r} has no start_urls")
    return Source(**values)


USER_REGISTRY_ENV = "POLICY_ARCHIVE_SOURCES"
DEFAULT_USER_REGISTRY = Path("data") / "sources.toml"


def user_registry_path() -> Path:
    """Where ``sources add`` writes: ``$POLICY_ARCHIVE_SOURCES``, else ./data/sources.toml."""
    return Path(os.environ.get(USER_REGISTRY_ENV) or DEFAULT_USER_REGISTRY)


def load_registry(path: str | os.PathLike | None = None) -> dict[str, Source]:
    """Read a registry file into {id: Source}. Without a path: the built-in registry with
    the user registry merged over it (when that file exists)."""
    if path:
        return read_registry(path)
    sources = read_registry(BUILTIN_REGISTRY)
    user = user_registry_path()
    if user.is_file():
        sources.update(read_registry(user))
    return sources


def read_registry(path: str | os.PathLike) -> dict[str, Source]:
    """One registry file into {id: Source}."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RegistryError(f"source registry not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"source registry {path} is not valid TOML: {exc}") from None
    sources: dict[str, Source] = {}
    for table in data.get("source", []):
        src = _source_from_table(table, str(path))
        if src.id in sources:
            raise RegistryError(f"{path}: source id {src.id!r} appears twice")
        sources[src.id] = src
    return sources
