"""The worker side of a distributed round (crawler/run/distributed.py): Scrapy with
scrapy-redis's scheduler and fingerprint set, the family spiders seeding once, a
Redis-wide politeness delay per host, and a worker that leaves when the work is done.

scrapy-redis 0.9.1 is used for its Scheduler, queue and RFPDupeFilter only. Its
RedisSpider still starts through ``start_requests()``, which Scrapy 2.16 removed
(scrapy-redis issues #305, #316, #317): the family spiders keep their own
``async def start()``, and the worker subclass below only decides whether to seed.
"""
from __future__ import annotations

import os
import socket
import time
from typing import Any
from urllib.parse import urlsplit

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.task import deferLater

from crawler.run.distributed import HEARTBEAT_SECONDS, HEARTBEAT_TTL, JOB_TTL, Keys, job_sources
from crawler.components.hostmap import META_ORIGINAL

# ---- spiders --------------------------------------------------------------------------


def worker_spider(family: str) -> type:
    """The family's spider, seeding its listings only in the first worker of a round."""
    from spiders import spider_for_family

    base = spider_for_family(family)

    class WorkerSpider(base):  # type: ignore[misc, valid-type]
        # One queue per family: the coordinator names the keys the same way.
        name = family

        async def start(self) -> Any:
            keys = Keys(self.settings.get("POLICY_REDIS_PREFIX"), self.settings.get("POLICY_JOB_ID"))
            server = _server(self.settings)
            # SET NX: of all the workers of the round, exactly one seeds the listing
            # requests; the others take their work from the shared queue.
            if server.set(keys.seeded(self.name), _worker_id(), nx=True, ex=JOB_TTL):
                async for request in super().start():
                    yield request

    WorkerSpider.__name__ = WorkerSpider.__qualname__ = f"Worker{base.__name__}"
    return WorkerSpider


def _server(settings: Any) -> Any:
    from scrapy_redis.connection import get_redis_from_settings

    return get_redis_from_settings(settings)


_WORKER_ID = f"{socket.gethostname()}-{os.getpid()}"


def _worker_id() -> str:
    return _WORKER_ID


# ---- politeness across workers ---------------------------------------------------------

# When a host may next be asked, in Redis server time (no worker machine's clock is
# trusted). A request may go when that moment has passed, and moves it on by the delay;
# otherwise it learns how long to wait and asks again then. Nothing is reserved ahead:
# a worker whose reactor was busy for a while does not wake up holding several slots
# at once and send their requests together.
_TRY_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local delay = tonumber(ARGV[1])
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
if now >= free then
  redis.call('SET', KEYS[1], string.format('%.6f', now + delay), 'PX', math.ceil(delay * 1000) + 60000)
  return '0'
end
return string.format('%.6f', free - now)
"""


class SharedPoliteness:
    """One request per ``delay`` to a host, from all workers together."""

    def __init__(self, server: Any, keys: Keys, delay: float) -> None:
        self.server = server
        self.keys = keys
        self.delay = delay
        self._script = server.register_script(_TRY_ACQUIRE)

    def try_acquire(self, host: str) -> float:
        """0 when a request to ``host`` may go now (and the turn is taken), else the
        seconds until it may ask again."""
        return float(self._script(keys=[self.keys.polite(host)], args=[self.delay]))


class PoliteDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP download handler, waiting first for its host's slot in Redis.

    CONCURRENT_REQUESTS_PER_DOMAIN and DOWNLOAD_DELAY hold per worker (per Scrapy
    process); this spaces each host's requests by POLICY_SHARED_DELAY (default:
    DOWNLOAD_DELAY) across every worker of every machine. It waits in the download
    handler, not in a downloader middleware: requests leave a middleware long before
    they are sent (the robots.txt check and the downloader's slot queue hold them
    back, then release them together), so a slot taken there would not space them.
    """

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        keys = Keys(settings.get("POLICY_REDIS_PREFIX"), settings.get("POLICY_JOB_ID"))
        delay = settings.getfloat("POLICY_SHARED_DELAY", settings.getfloat("DOWNLOAD_DELAY"))
        self.politeness = SharedPoliteness(_server(settings), keys, delay) if delay > 0 else None

    async def download_request(self, request: Any) -> Any:
        if self.politeness is not None:
            # The real site's host, also when the host map sends it to a fixture server.
            url = request.meta.get(META_ORIGINAL) or request.url
            host = (urlsplit(url).netloc or "").lower()
            while (wait := self.politeness.try_acquire(host)) > 0:
                # Imported here: importing the reactor at module level would install
                # Twisted's default one before Scrapy installs the asyncio reactor.
                from twisted.internet import reactor

                await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))
        return await super().download_request(request)


# ---- the worker's lifetime and its runs -----------------------------------------------


# How often an idle worker looks into the shared queue.
POLL_SECONDS = 0.5


class WorkerLifetime:
    """Keeps an idle worker waiting for work other workers may still queue, tells the
    coordinator it is alive, and lets it go once its queue has been empty for
    POLICY_IDLE_SECONDS."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.keys = Keys(settings.get("POLICY_REDIS_PREFIX"), settings.get("POLICY_JOB_ID"))
        self.idle_seconds = settings.getfloat("POLICY_IDLE_SECONDS")
        self.server = _server(settings)
        self.idle_since: float | None = None
        self.beat: Any = None
        self.responses = 0

    @classmethod
    def from_crawler(cls, crawler: Any) -> "WorkerLifetime":
        from scrapy import signals

        ext = cls(crawler)
        crawler.signals.connect(ext.engine_started, signal=signals.engine_started)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(ext.busy, signal=signals.request_scheduled)
        crawler.signals.connect(ext.response_received, signal=signals.response_received)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def _key(self, spider: Any) -> str:
        return self.keys.worker(_worker_id(), spider.name)

    def engine_started(self) -> None:
        # An idle engine asks its scheduler for work on a heartbeat, every 5 s: work
        # another worker queued would wait that long here, long enough for a worker
        # that seeds a small round to do it all alone. The attribute is Scrapy's own
        # (ExecutionEngine._SLOT_HEARTBEAT_INTERVAL); without it, the 5 s stay.
        engine = self.crawler.engine
        if hasattr(engine, "_SLOT_HEARTBEAT_INTERVAL"):
            engine._SLOT_HEARTBEAT_INTERVAL = POLL_SECONDS

    def spider_opened(self, spider: Any) -> None:
        from twisted.internet.task import LoopingCall

        self.beat = LoopingCall(lambda: self.server.set(self._key(spider), "alive", ex=HEARTBEAT_TTL))
        self.beat.start(HEARTBEAT_SECONDS, now=True)

    def busy(self, *args: Any, **kwargs: Any) -> None:
        self.idle_since = None

    def response_received(self, *args: Any, **kwargs: Any) -> None:
        self.idle_since = None
        self.responses += 1

    def spider_idle(self, spider: Any) -> None:
        from scrapy.exceptions import DontCloseSpider

        now = time.monotonic()
        if self.idle_since is None:
            self.idle_since = now
        if now - self.idle_since < self.idle_seconds:
            raise DontCloseSpider

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.beat is not None and self.beat.running:
            self.beat.stop()
        # What this worker did, for the coordinator's summary (who crawled how much).
        self.server.hincrby(self.keys.responses, _worker_id(), self.responses)
        self.server.delete(self._key(spider))


# ---- the worker process ---------------------------------------------------------------


def worker_spec(job: dict[str, Any], db_url: str | None) -> Any:
    """The round's crawl as this worker's CrawlSpec (its sources travel in the job)."""
    from crawler.run.crawl_spec import CrawlSpec

    return CrawlSpec(sources=[s["id"] for s in job["sources"]], db_url=db_url or os.environ.get("POLICY_ARCHIVE_DB"),
                     run_ids=job["run_ids"], trigger=job.get("trigger", "cli"), settings=job.get("settings", {}))


def worker_settings(job: dict[str, Any], redis: str, prefix: str, idle_seconds: float | None) -> dict[str, Any]:
    """What a worker adds to a crawl's settings: the round's queue, fingerprints and
    politeness in Redis, its lifetime, and runs it counts for but does not close."""
    from crawler import settings as project

    keys = Keys(prefix, job["id"])
    handlers = {"http": f"{__name__}.PoliteDownloadHandler", "https": f"{__name__}.PoliteDownloadHandler"}
    return {
        "POLICY_CLOSE_RUNS": False,
        "POLICY_REDIS_PREFIX": prefix,
        "POLICY_JOB_ID": job["id"],
        "POLICY_IDLE_SECONDS": idle_seconds if idle_seconds is not None else job["idle_seconds"],
        # scrapy-redis: the shared queue and fingerprint set of this round; kept when
        # a worker closes (the others go on, and a restarted worker resumes).
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_QUEUE_KEY": keys.queue(),
        "SCHEDULER_DUPEFILTER_KEY": keys.dupefilter(),
        "REDIS_URL": redis,
        "DOWNLOAD_HANDLERS": handlers,
        "EXTENSIONS": {**project.EXTENSIONS, f"{__name__}.WorkerLifetime": 110},
    }


def run_worker(job: dict[str, Any], redis: str, prefix: str, db_url: str | None = None,
               idle_seconds: float | None = None) -> int:
    """Crawl one round's share of work in this process, until the queues stay empty."""
    import warnings

    from scrapy.exceptions import ScrapyDeprecationWarning

    from crawler.run.crawl_spec import crawl_here

    # scrapy-redis 0.9.1 passes spider= to the stats collector on every request.
    warnings.filterwarnings("ignore", category=ScrapyDeprecationWarning, module="scrapy_redis")
    # Its download handler is the shared-politeness one: no browser in a worker.
    return crawl_here(worker_spec(job, db_url), job_sources(job), extra=worker_settings(job, redis, prefix, idle_seconds),
                      spider_for=worker_spider, browser=False)
