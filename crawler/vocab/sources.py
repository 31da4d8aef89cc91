"""What a source is, and how well it is doing: named once for the registry, the schema,
ingest, health reports, the CLI and the scheduler."""
from __future__ import annotations

# The kinds of source, most authoritative first: a government site beats an aggregator,
# which beats a document-sharing site. The registry, the schema and ingest all use these.
SOURCE_KINDS = ("gov", "aggregator", "docshare")
SOURCE_RANK = {kind: len(SOURCE_KINDS) - i for i, kind in enumerate(SOURCE_KINDS)}

# A source's health, from its runs (storage/health.py judges which).
OK = "ok"
EMPTY = "empty"  # the last run went fine but yielded no page
FAILING = "failing"  # the last run failed
BLOCKED = "blocked"  # anti-bot answers and no page: a browser is needed
NEVER = "never"  # not crawled yet
HEALTH_STATES = (OK, EMPTY, FAILING, BLOCKED, NEVER)
# The states a crawl's summary and the scheduler's log call out.
UNWELL_STATES = (EMPTY, FAILING, BLOCKED)
