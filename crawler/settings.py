"""Scrapy settings: polite by default (robots.txt, AutoThrottle, two requests per
domain at a time, an honest User-Agent, retries that skip anti-bot answers)."""

import os

# Scrapy's cookie middleware splits domains with tldextract, which would download the
# public suffix list from the internet on first use: read its bundled snapshot instead
# (an empty URL list; set before the middleware module is imported).
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

BOT_NAME = "policy_archive"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

USER_AGENT = "policy-archive/0.1 (policy research archive; polite crawler)"
ROBOTSTXT_OBEY = True
# Many sources, each on its own host (2 at a time per host): 16 in all lets 30+ hosts
# start within seconds of each other.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
# A working resolver answers in well under 5 s; a dead one must not hold 30+ sources up
# (`make run` without network ends in seconds, one failure line per source).
DNS_TIMEOUT = 5
DOWNLOAD_TIMEOUT = 20
RETRY_ENABLED = True
RETRY_TIMES = 2
# "No such host" is an answer, not a hiccup: retrying it only delays the failure report.
RETRY_EXCEPTIONS = [
    "scrapy.exceptions.DownloadConnectionRefusedError",
    "scrapy.exceptions.DownloadFailedError",
    "scrapy.exceptions.DownloadTimeoutError",
    "scrapy.exceptions.ResponseDataLossError",
    "twisted.internet.error.ConnectionDone",
    "twisted.internet.error.ConnectError",
    "twisted.internet.error.ConnectionLost",
    "builtins.OSError",
    "scrapy.core.downloader.handlers.http11.TunnelError",
]
# 403/412/521 are anti-bot answers: retrying only annoys the site (NOTES.md).
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# A notice page is rarely over a few hundred KB: past POLICY_MAX_PAGE_BYTES a page is kept
# raw and not extracted; past DOWNLOAD_MAXSIZE the download is cancelled (too_large), so
# an endless or huge answer never fills the memory.
POLICY_MAX_PAGE_BYTES = 4 * 1024 * 1024
DOWNLOAD_WARNSIZE = POLICY_MAX_PAGE_BYTES
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
# Archive writes run in the reactor's thread pool, extraction in worker processes
# (crawler/components/pipelines.py; POLICY_EXTRACT_WORKERS, default one per core but one, 0 = in the thread
# pool; POLICY_EXTRACT_IN_FLIGHT pages at most between the pipeline's door and their write).
# Pages waiting for their write go several to a transaction, each page in a savepoint:
# POLICY_WRITE_GROUP_PAGES (default 16; 1 = a commit per page) and POLICY_WRITE_GROUP_SECONDS
# (default 0.5) bound a transaction (crawler/components/page_writer.py).
REACTOR_THREADPOOL_MAXSIZE = 4
# Bounded work (issue 21): each item's extraction has POLICY_ITEM_DEADLINE seconds (default
# 300) and each worker POLICY_WORKER_MEMORY_MB of address space beyond its start (default
# 384); a whole crawl has POLICY_CRAWL_DEADLINE_MINUTES, or the largest registry
# ``deadline_minutes`` of its sources; past it its spiders close and its runs close
# partial, with a note (crawler/run/crawl_spec.py). A source whose own deadline is
# shorter stops asking for pages when it passes (SourceDeadlineMiddleware), the others go on.
POLICY_CRAWL_DEADLINE_MINUTES = 240
# The scheduler's crawl service (crawler/run/crawl_service.py) crawls this many sources at
# once, the others wait their turn: enough to keep a core busy fetching while some sources
# wait on their servers, few enough that the crawlers' memory stays small.
POLICY_SERVICE_SOURCES = int(os.environ.get("POLICY_ARCHIVE_SERVICE_SOURCES", "8"))
# Scrapy starts this many asyncio tasks for every response's output, used or not (the
# default, 100, was a fifth of the reactor thread's time): a detail page yields one
# item, a listing a few dozen requests that take no time each.
CONCURRENT_ITEMS = 4
TELNETCONSOLE_ENABLED = False
# Scrapy 2.19 starts, in every crawl, an HTTP server on loopback that runs code sent to it
# (with a token from a job file it writes under the user's state directory): like the
# telnet console, not something a background archiver should listen with; it also
# loads aiohttp into the crawl process.
REMOTE_CONTROL_ENABLED = False
# Depth is never limited here (listings are walked page by page, incremental stops
# decide), so its middleware is only a per-request layer on the reactor thread.
SPIDER_MIDDLEWARES = {"scrapy.spidermiddlewares.depth.DepthMiddleware": None}
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"

DOWNLOADER_MIDDLEWARES = {
    "crawler.components.middlewares.SourceDeadlineMiddleware": 20,
    "crawler.components.middlewares.ConditionalRecheckMiddleware": 30,
    "crawler.components.hostmap.HostMapMiddleware": 40,
    "crawler.components.middlewares.LoopbackGuardMiddleware": 50,
    "crawler.components.browser.BrowserStatusMiddleware": 60,
}
ITEM_PIPELINES = {
    "crawler.components.pipelines.ArchivePipeline": 300,
}
EXTENSIONS = {
    "crawler.components.extensions.RunRecorder": 100,
}

# Our own settings
# POLICY_ARCHIVE_DB: archive URL (default: env POLICY_ARCHIVE_DB or ./data/archive.db)
# POLICY_RUN_IDS: {source_id: run_id} prepared by crawler/run/crawl_process.py; else runs are opened here
# POLICY_TRIGGER: "cli" | "schedule"
# POLICY_HOST_MAP: {origin: loopback prefix}: serve a real site's URLs from a fixture server
# POLICY_BROWSER: guarded sources (registry browser = true) go through scrapy-playwright;
# set per crawl by crawler.components.browser.crawl_settings, with the DOWNLOAD_HANDLERS and PLAYWRIGHT_*
# settings it needs (POLICY_BROWSER_PROBLEM says why not, when the browser is missing)
# LOOPBACK_ONLY: refuse every request to a host that is not a loopback address
# (the test suite turns it on for every crawl through the environment)
LOOPBACK_ONLY = os.environ.get("POLICY_ARCHIVE_LOOPBACK_ONLY") == "1"
