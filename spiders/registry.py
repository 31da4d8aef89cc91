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
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import tomli_w

from crawler.vocab.regions import DISCOVER, NATIONAL, PROVINCES, PUBLISHER_KINDS, SOURCE_STATES
from crawler.vocab.sources import SOURCE_KINDS as KINDS

BUILTIN_REGISTRY = Path(__file__).with_name("sources.toml")

FAMILIES = ("gov_portal", "policy_api", "hanweb", "gkmlpt", "aggregator", "docshare", "generic")
HTTP_METHODS = ("GET", "POST")


# ``User-Agent = "browser"`` in a source's headers stands for this string: some WAFs
# (gov.cn's search API among them) refuse crawler user agents outright.
BROWSER_USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
# Who we are, for a site that must see a browser's User-Agent (RFC 9110 From).
DEFAULT_CONTACT = "policy-archive crawler (set POLICY_ARCHIVE_CONTACT to your address)"


def request_headers(source: "Source") -> dict[str, str]:
    """The extra headers every request of this source carries.

    A browser-like User-Agent hides who we are, so the contact goes in ``From``.
    """
    headers = dict(source.headers)
    ua = headers.get("User-Agent")
    if ua == "browser":
        headers["User-Agent"] = BROWSER_USER_AGENT
    if ua:
        headers.setdefault("From", os.environ.get("POLICY_ARCHIVE_CONTACT") or DEFAULT_CONTACT)
    return headers


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
    # An empty items_path means the document itself is the array of items.
    # ``queries``: the same walk once per query, ``{q}`` in page_url (URL-encoded) or body.
    queries: tuple[str, ...] = ()
    method: str = "GET"
    # POST: a JSON body; ``page_field`` (dotted) and ``query_field`` are set in it per request.
    body: dict[str, Any] | None = field(default=None, hash=False)
    page_field: str | None = None
    query_field: str | None = None
    # Dates given as epoch numbers (gkmlpt, gov.cn ``ptime``): "s" or "ms".
    date_epoch: str | None = None


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
    # what the site publishes for us (养老, 医疗, 医保, 卫生健康, 中医药 …): for people and reports
    topics: tuple[str, ...] = ()
    # Extra request headers (Referer, Accept, a browser User-Agent where a WAF demands it);
    # a source that sets User-Agent also sends our contact in From (see request_headers).
    headers: dict[str, str] = field(default_factory=dict, hash=False)
    # Fetch through a real browser (a JavaScript cookie challenge stands in front).
    browser: bool = False
    # Only notices whose listing title matches (an aggregator of another trade's notices).
    title_filter: str | None = None
    # Listing pages by number when no next link is on the page: ``list_{n}.shtml`` is taken
    # relative to the first listing URL, the second page has n = page_start.
    page_pattern: str | None = None
    page_start: int = 1
    # gkmlpt: category names to follow (default: every leaf category of the site's tree)
    categories: tuple[str, ...] = ()
    # How much we know (crawler/vocab/regions.py): ``evidence`` (a listing confirmed by public
    # evidence), ``discover`` (only ``home`` is known: the crawl finds the listings from it),
    # ``blocked`` (a plain client is refused).
    state: str = "evidence"
    home: str | None = None
    # Whose notices, for the coverage grid: a province (or 全国) and a publisher kind.
    province: str | None = None
    publisher: str | None = None
    # How long a crawl of this source may run before it is closed (partial, with a note);
    # default POLICY_CRAWL_DEADLINE_MINUTES (crawler/settings.py)
    deadline_minutes: float | None = None

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
                "home": sub(self.home),
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
    for key in ("boilerplate", "topics", "categories"):
        values[key] = tuple(values.get(key, ()))
    if not isinstance(values.get("headers", {}), dict):
        raise RegistryError(f"{origin}: source {sid!r}: headers must be a table of strings")
    deadline = values.get("deadline_minutes")
    if deadline is not None and (isinstance(deadline, bool) or not isinstance(deadline, (int, float)) or deadline <= 0):
        raise RegistryError(f"{origin}: source {sid!r}: deadline_minutes must be a number of minutes above 0")
    if not isinstance(values.get("browser", False), bool):
        raise RegistryError(f"{origin}: source {sid!r}: browser must be true or false")
    if "api" in values:
        try:
            api = dict(values["api"])
            api["queries"] = tuple(api.get("queries", ()))
            values["api"] = ApiConfig(**api)
        except TypeError as exc:
            raise RegistryError(f"{origin}: source {sid!r}: bad [api] table: {exc}") from None
        if values["api"].method not in HTTP_METHODS:
            raise RegistryError(f"{origin}: source {sid!r}: api method must be one of {', '.join(HTTP_METHODS)}")
    if values["family"] == "policy_api" and not values.get("api"):
        raise RegistryError(f"{origin}: source {sid!r}: family policy_api needs an [source.api] table")
    _check_coverage_keys(values, origin, sid)
    if values["family"] != "policy_api" and not values["start_urls"] and values["state"] != DISCOVER:
        raise RegistryError(f"{origin}: source {sid!r} has no start_urls")
    return Source(**values)


def _check_coverage_keys(values: dict[str, Any], origin: str, sid: str) -> None:
    values.setdefault("state", "evidence")
    if values["state"] not in SOURCE_STATES:
        raise RegistryError(f"{origin}: source {sid!r}: state must be one of {', '.join(SOURCE_STATES)}")
    if values.get("publisher") is not None and values["publisher"] not in PUBLISHER_KINDS:
        raise RegistryError(f"{origin}: source {sid!r}: publisher must be one of {', '.join(PUBLISHER_KINDS)}")
    province = values.get("province")
    if province is not None and province != NATIONAL and province not in PROVINCES:
        raise RegistryError(f"{origin}: source {sid!r}: province {province!r} is not one of the 31 provinces "
                            f"(full name, e.g. 河南省) nor {NATIONAL}")
    home = values.get("home")
    if home is not None and not re.match(r"(https?://|\{base\})", str(home)):
        raise RegistryError(f"{origin}: source {sid!r}: home must be an http(s) URL")
    if values["state"] == DISCOVER and not home:
        raise RegistryError(f"{origin}: source {sid!r}: state discover needs a home page (home = URL)")


USER_REGISTRY_ENV = "POLICY_ARCHIVE_SOURCES"
DEFAULT_USER_REGISTRY = Path("data") / "sources.toml"


def user_registry_path() -> Path:
    """Where ``sources add`` writes: ``$POLICY_ARCHIVE_SOURCES``, else ./data/sources.toml."""
    return Path(os.environ.get(USER_REGISTRY_ENV) or DEFAULT_USER_REGISTRY)


def load_registry(path: str | os.PathLike | None = None) -> dict[str, Source]:
    """Read a registry file into {id: Source}. Without a path: the built-in registry with
    the user registry merged over it (when that file exists), its overrides applied."""
    if path:
        return read_registry(path)
    sources = read_registry(BUILTIN_REGISTRY)
    user = user_registry_path()
    if user.is_file():
        sources.update(read_registry(user))
        for override in _document(user).get("override", []):
            sid = override.get("id")
            if set(override) != {"id", "enabled"} or not isinstance(override["enabled"], bool):
                raise RegistryError(f"{user}: an [[override]] has an id and enabled = true|false, nothing else")
            if sid not in sources:
                raise RegistryError(f"{user}: override of unknown source {sid!r}")
            sources[sid] = replace(sources[sid], enabled=override["enabled"])
    return sources


def _document(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RegistryError(f"source registry not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"source registry {path} is not valid TOML: {exc}") from None


def _tables(path: Path) -> dict[str, dict[str, Any]]:
    """A registry file's ``[[source]]`` tables by id, unchecked (a bad entry can be removed)."""
    return {t.get("id"): t for t in _document(path).get("source", [])}


def read_registry(path: str | os.PathLike) -> dict[str, Source]:
    """One registry file's ``[[source]]`` entries into {id: Source}."""
    path = Path(path)
    sources: dict[str, Source] = {}
    for table in _document(path).get("source", []):
        src = _source_from_table(table, str(path))
        if src.id in sources:
            raise RegistryError(f"{path}: source id {src.id!r} appears twice")
        sources[src.id] = src
    return sources


# A registry's ``[hosts]`` table: origin → the loopback server that answers for it (the
# sample sites' registry printed by `samples registry`); a crawl of it maps its requests.
HOSTS_KEY = "hosts"


def registry_hosts(path: str | os.PathLike | None) -> dict[str, str]:
    """The ``[hosts]`` of a registry file ({} for none, or for the default registry)."""
    if not path:
        return {}
    hosts = _document(Path(path)).get(HOSTS_KEY, {})
    if not isinstance(hosts, dict) or not all(isinstance(v, str) for v in hosts.values()):
        raise RegistryError(f"{path}: [{HOSTS_KEY}] maps origins to loopback URLs (strings)")
    from crawler.components.loopback import is_loopback_url

    remote = [v for v in hosts.values() if not is_loopback_url(v)]
    if remote:
        raise RegistryError(f"{path}: [{HOSTS_KEY}] may only send requests to loopback addresses, not {remote[0]}")
    return hosts


def registry_holding(source_id: str, path: str | os.PathLike | None = None) -> Path:
    """The file a source of load_registry(path) comes from: the user registry's entry
    wins over the built-in one, as in the merge."""
    if path:
        return Path(path)
    user = user_registry_path()
    if user.is_file() and source_id in _tables(user):
        return user
    return BUILTIN_REGISTRY


def check_schedule(expression: str) -> None:
    """Raise ValueError (APScheduler's reason) unless ``expression`` is a 5-field crontab."""
    # the scheduler's own parser, so what is accepted here is what it runs
    from apscheduler.triggers.cron import CronTrigger

    CronTrigger.from_crontab(expression)


def add_user_source(table: dict[str, Any], path: str | os.PathLike | None = None) -> Source:
    """Append one source to the user registry (made when missing) and return it; refuses
    an id the merged registry already has, and a schedule the scheduler could not run."""
    path = Path(path) if path else user_registry_path()
    source = _source_from_table(table, str(path))
    try:
        check_schedule(source.schedule)
    except ValueError as exc:
        raise RegistryError(f"bad schedule {source.schedule!r}: {exc} (a crontab: minute hour day month weekday)") from None
    existing = read_registry(path) if path.is_file() else {}
    if source.id in existing or source.id in read_registry(BUILTIN_REGISTRY):
        raise RegistryError(f"a source with id {source.id!r} exists already (choose another with --id)")
    # TOML has no null, and an empty list is the default: both are left out
    entry = tomli_w.dumps({"source": [{k: v for k, v in table.items() if v not in (None, (), [])}]})
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.exists() or path.stat().st_size == 0
    with path.open("a", encoding="utf-8") as fh:
        if new:
            fh.write(_USER_HEADER)
        fh.write("\n" + entry)
    read_registry(path)  # what we wrote must read back
    return source


_USER_HEADER = "# Your own sources (policy-archive sources add), merged over the built-in registry.\n"


def set_enabled(source_id: str, enabled: bool, path: str | os.PathLike | None = None) -> str:
    """Enable or disable a source for the default registry: a user source in its own entry,
    a built-in one by an ``[[override]]`` in the user registry. Returns what was done."""
    path = Path(path) if path else user_registry_path()
    doc = _document(path) if path.is_file() else {}
    tables = doc.get("source", [])
    overrides = [o for o in doc.get("override", []) if o.get("id") != source_id]
    state = "enabled" if enabled else "disabled"
    mine = [t for t in tables if t.get("id") == source_id]
    if mine:
        mine[0]["enabled"] = enabled
        done = f"{source_id} {state} in {path}"
    else:
        builtin = read_registry(BUILTIN_REGISTRY)
        if source_id not in builtin:
            raise RegistryError(f"unknown source: {source_id}")
        if builtin[source_id].enabled != enabled:
            overrides.append({"id": source_id, "enabled": enabled})
            done = f"built-in source {source_id} {state} (an override in {path})"
        else:
            done = f"built-in source {source_id} {state}, as built in (no override left in {path})"
    _rewrite(path, tables, overrides)
    return done


def remove_user_source(source_id: str, path: str | os.PathLike | None = None) -> str:
    """Take a source out of the user registry; a built-in one cannot go (disable it)."""
    path = Path(path) if path else user_registry_path()
    doc = _document(path) if path.is_file() else {}
    tables = doc.get("source", [])
    builtin = source_id in read_registry(BUILTIN_REGISTRY)
    kept = [t for t in tables if t.get("id") != source_id]
    if len(kept) == len(tables):
        if builtin:
            raise RegistryError(f"{source_id} is a built-in source and cannot be removed: "
                                f"`sources disable {source_id}` stops crawling it")
        raise RegistryError(f"unknown source: {source_id} (not in {path})")
    _rewrite(path, kept, doc.get("override", []))
    return f"removed {source_id} from {path}" + ("; the built-in entry of that id applies again" if builtin else "")


def _rewrite(path: Path, tables: list[dict[str, Any]], overrides: list[dict[str, Any]]) -> None:
    doc = {k: v for k, v in (("source", tables), ("override", overrides)) if v}
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(path.name + ".new")
    temp.write_text(_USER_HEADER + "\n" + tomli_w.dumps(doc), encoding="utf-8")
    temp.replace(path)  # a reader never sees half a file
