"""The archive pipeline: extract, filter by topic, ingest: one transaction per page.

A page's CPU work (decode, extraction, normalized text and MinHash: crawler/work/page_work.py)
runs in a pool of worker processes (POLICY_EXTRACT_WORKERS, default one per core but one; 0 runs
it in the reactor's thread pool); its archive write then runs in the reactor's thread
pool. Never on the reactor thread: a slow page (or a slow archive) must not stall
fetching or fire timeouts late. Writes happen one page at a time in the order pages
reached the pipeline, whichever worker finishes first, so a crawl's archive decisions do
not depend on worker timing; at most POLICY_EXTRACT_IN_FLIGHT pages are between the
pipeline's door and their write (the rest wait with their responses, and Scrapy stops
downloading while its scraper holds too many), so memory stays flat. A page that cannot
be extracted, or is larger than POLICY_MAX_PAGE_BYTES, is kept raw with the reason.

Every item's work is bounded (issue 21): each worker has a memory ceiling
(POLICY_WORKER_MEMORY_MB of address space beyond its start) and each item a deadline
(POLICY_ITEM_DEADLINE seconds), past which its worker is killed and replaced. An item
that overran or ran out of memory with attachments is tried once more without reading
them: the notice is archived with its own text, and each attachment is kept with why it
was not read and recorded as a failure of its URL (``timeout`` or ``too_large``), as an
attachment refused by a size cap is. With POLICY_EXTRACT_WORKERS=0 (extraction in this
process's thread pool) the size caps and each attachment's read deadline hold as in a
worker (crawler/extract/attachment/limits.py raises it in the reading thread); what
needs a process of its own, killing a C call that never returns and the memory
ceiling, does not: that mode is for tests and debugging, not for untrusted sites.

Pages waiting to be written go in one transaction (crawler/components/page_writer.py,
storage/write_group.py), each page in a savepoint of its own: at most
POLICY_WRITE_GROUP_PAGES pages (default 16; 1 commits every page on its own) and
POLICY_WRITE_GROUP_SECONDS (0.5) per transaction. A page's run counters are written with
it, so a kill loses a page and its count together or neither.
"""
from __future__ import annotations

import logging
from typing import Any

from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import defer
from twisted.internet.threads import deferToThread

from crawler.extract.model import Extraction
from crawler.items import PageItem, PageRecord
from crawler.components.page_writer import PageWriter
from crawler.run.crawl_state import RunContext, run_context
from crawler.vocab.failures import PARSE, TIMEOUT, TOO_LARGE
from crawler.work.page_pool import (ItemOverran, PagePool, Sequencer, WorkerLost, close_shared_pool, default_workers,
                                    open_shared_pool)
from crawler.work.page_work import PrepareFailed, prepare_in_worker, prepare_item, with_bytes, worker_init
from crawler.work.pool_worker import MEMORY_HEADROOM
from storage import crawl_runs
from storage.ingest import ingest, record_offtopic, record_unextracted
from storage.known_pages import mark_unchanged
from storage.write_group import DEFAULT_MAX_PAGES, DEFAULT_MAX_SECONDS, WriteGroup

log = logging.getLogger(__name__)

DEFAULT_MAX_PAGE_BYTES = 4 * 1024 * 1024
# A worker's memory grows with the odd huge page (lxml keeps its arenas): renew it now
# and then. Not often: a new worker imports the extraction stack again (about 0.35 s of
# CPU) and, the only worker on two cores, stalls every page meanwhile; at 500 pages
# that cost a 2,000-page crawl about 5% of its worker time.
DEFAULT_TASKS_PER_CHILD = 2000
# A page with its attachments: pdfminer reads a long PDF in well under a minute, and each
# attachment's reading stops itself after READ_SECONDS (crawler/extract/attachment/limits.py)
# where Python code runs; the deadline is for what does not return to Python.
DEFAULT_ITEM_DEADLINE = 300.0
# Failure kinds recorded against an attachment's URL (a broken file is only noted on it).
BOUNDED_KINDS = (TOO_LARGE, TIMEOUT)


def page_bytes(item: PageItem) -> int:
    return sum(len(p.body) for p in item.parts)


def extraction_pool_options(settings: Any) -> dict[str, Any]:
    """open_shared_pool()'s arguments from a crawl's settings (the pipeline's, and the crawl
    service's, which holds the pool open between its crawls: crawler/run/crawl_service.py)."""
    workers = settings.get("POLICY_EXTRACT_WORKERS")
    return {
        "workers": default_workers() if workers in (None, "") else int(workers),
        "initializer": worker_init,
        "max_tasks_per_child": settings.getint("POLICY_EXTRACT_TASKS_PER_CHILD", DEFAULT_TASKS_PER_CHILD) or None,
        "deadline": settings.getfloat("POLICY_ITEM_DEADLINE", DEFAULT_ITEM_DEADLINE) or None,
        "memory_headroom": settings.getint("POLICY_WORKER_MEMORY_MB", MEMORY_HEADROOM // 2**20) * 2**20 or None,
    }


class ArchivePipeline:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.max_page_bytes = settings.getint("POLICY_MAX_PAGE_BYTES", DEFAULT_MAX_PAGE_BYTES)
        self.pool_options = extraction_pool_options(settings)
        self.workers = self.pool_options["workers"]
        self.item_deadline = self.pool_options["deadline"]
        self.pool: PagePool | None = None
        self.restarts_at_open = self.overruns_at_open = 0
        in_flight = settings.getint("POLICY_EXTRACT_IN_FLIGHT", 0) or 4 * max(self.workers, 1) + 2
        self.slots = defer.DeferredSemaphore(in_flight)
        self.sequencer = Sequencer()
        self.group_pages = settings.getint("POLICY_WRITE_GROUP_PAGES", DEFAULT_MAX_PAGES)
        self.group_seconds = settings.getfloat("POLICY_WRITE_GROUP_SECONDS", DEFAULT_MAX_SECONDS)
        self.writes: WriteGroup | None = None
        self.page_writer = PageWriter(self.write_page, self.commit_writes, self.group_pages)

    @classmethod
    def from_crawler(cls, crawler: Any) -> "ArchivePipeline":
        return cls(crawler)

    def open_spider(self) -> None:
        if self.workers > 0:
            self.pool = open_shared_pool(**self.pool_options)
            self.restarts_at_open = self.pool.restarts
            self.overruns_at_open = self.pool.overruns

    def close_spider(self) -> None:
        # Every item is through (Scrapy closes pipelines after its last item, and before
        # spider_closed, when the runs are closed): the last group's pages go in first.
        self.commit_writes()
        if self.writes is not None and self.crawler.stats is not None:  # how well pages grouped
            self.crawler.stats.set_value("archive/pages_grouped", self.writes.written)
            self.crawler.stats.set_value("archive/group_commits", self.writes.commits)
        if self.pool is None:
            return
        pool, self.pool = self.pool, None
        lost, overran = pool.restarts - self.restarts_at_open, pool.overruns - self.overruns_at_open
        notes = [f"an extraction worker died; the pool was restarted {lost} time(s)"] if lost else []
        if overran:
            notes.append(f"{overran} item(s) overran the {self.item_deadline:g} s extraction deadline; "
                         f"their worker was replaced")
        # Their pages were tried again in a new worker; the run says it happened.
        ctx = run_context(self.crawler)
        for source_id in getattr(self.crawler.spider, "sources", {}) if notes else ():
            if (run_id := ctx.run_for(source_id)) is not None:
                for note in notes:
                    crawl_runs.add_note(ctx.archive, run_id, note)
        close_shared_pool()

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem):
            return item
        ctx = run_context(self.crawler)
        source = self.crawler.spider.sources[item.source_id]
        # The turn is taken before the first await: turns follow the order items arrive,
        # and the slots (first come, first served) are granted in that order too.
        my_turn, done = self.sequencer.take()
        await maybe_deferred_to_future(self.slots.acquire())
        try:
            work = None if item.not_modified or self.too_large(item) else self.prepare(item, source)
            outcome = await maybe_deferred_to_future(work) if work is not None else None
            await maybe_deferred_to_future(my_turn)
            written = self.page_writer.put(ctx, item, source, outcome)
            done()  # the writer's queue keeps the order from here: the next page may queue behind
            await maybe_deferred_to_future(written)
        finally:
            done()
            self.slots.release()
        return item

    def too_large(self, item: PageItem) -> bool:
        return page_bytes(item) > self.max_page_bytes

    def prepare(self, item: PageItem, source: Any) -> defer.Deferred:
        """The prepared page, or the exception that stopped it (as a value: the write that
        follows decides what to record, in its turn)."""
        if self.pool is None:
            work = deferToThread(prepare_item, item, source)
        else:
            work = self.pool.run(prepare_in_worker, item, source)
            work.addCallback(with_bytes, item)
            work.addErrback(self.without_attachments, item, source)
        return work.addErrback(lambda failure: failure.value)

    def without_attachments(self, failure: Any, item: PageItem, source: Any) -> Any:
        """The page once more, its attachments left unread, when its first try overran its
        deadline or its memory with them: the notice's own text is not lost to a file."""
        if not item.attachments or not failure.check(ItemOverran, MemoryError, WorkerLost):
            return failure
        kind = TIMEOUT if failure.check(ItemOverran) else TOO_LARGE if failure.check(MemoryError) else PARSE
        why = f"not read: the page's extraction with its attachments failed ({type(failure.value).__name__}: {failure.value})"
        unread = {part.url: (kind, why) for part in item.attachments}
        work = self.pool.run(prepare_in_worker, item, source, unread) if self.pool is not None else None
        return work.addCallback(with_bytes, item) if work is not None else failure

    def writer(self, ctx: RunContext) -> Any:
        """Where page writes go: the open WriteGroup on ctx's archive (None in a check)."""
        if ctx.archive is None or self.group_pages <= 1:
            return ctx.archive
        if self.writes is None or self.writes.archive is not ctx.archive:
            self.commit_writes()
            self.writes = WriteGroup(ctx.archive, self.group_pages, self.group_seconds)
        return self.writes

    def commit_writes(self) -> None:
        if self.writes is not None:
            try:
                self.writes.commit()
            except Exception as exc:  # the group logged its lost pages; the crawl goes on with the next
                log.warning("archive commit failed: %s: %s", type(exc).__name__, exc)

    def record_failure(self, ctx: RunContext, *args: Any, **kwargs: Any) -> None:
        """``ctx.record_failure``, after the open group's commit: it writes through the archive
        on a connection of its own, which on SQLite would wait for this thread's group."""
        self.commit_writes()
        ctx.record_failure(*args, **kwargs)

    def write_page(self, ctx: RunContext, item: PageItem, source: Any,
                   outcome: PageRecord | BaseException | None) -> None:
        run_id = ctx.run_for(item.source_id)
        if item.not_modified:
            self.recheck_unchanged(ctx, item, run_id)
            return
        if outcome is None:
            self.keep_raw(ctx, item, source, TOO_LARGE,
                          f"{page_bytes(item)} bytes, over POLICY_MAX_PAGE_BYTES ({self.max_page_bytes}): kept raw, not extracted")
            return
        if isinstance(outcome, PrepareFailed):
            log.warning("ingest failed for %s: %s", item.url, outcome)
            self.record_failure(ctx, item.source_id, "ingest", str(outcome), url=item.url, role="detail")
            return
        if isinstance(outcome, BaseException):  # one bad page must not end the crawl, nor lose its bytes
            log.warning("extraction failed for %s: %s", item.url, outcome)
            detail = str(outcome) if isinstance(outcome, (WorkerLost, ItemOverran)) else f"{type(outcome).__name__}: {outcome}"
            kind = TIMEOUT if isinstance(outcome, ItemOverran) else TOO_LARGE if isinstance(outcome, MemoryError) else PARSE
            self.keep_raw(ctx, item, source, kind, detail)
            return
        self.record_attachment_failures(ctx, outcome)
        try:
            if not outcome.extraction.on_topic:
                record_offtopic(self.writer(ctx), outcome, run_id)
                ctx.page_done(item.source_id, "off-topic")
                return
            result = ingest(self.writer(ctx), outcome, run_id)
        except Exception as exc:
            log.warning("ingest failed for %s: %s", item.url, exc)
            self.record_failure(ctx, item.source_id, "ingest", f"{type(exc).__name__}: {exc}", url=item.url, role="detail")
            return
        ctx.page_done(item.source_id, result.outcome.replace("_", " "))

    def record_attachment_failures(self, ctx: RunContext, record: PageRecord) -> None:
        for file in record.attachments:
            if file.error_kind in BOUNDED_KINDS:
                self.record_failure(ctx, record.source_id, file.error_kind, f"attachment: {file.error}",
                                   url=file.part.url, role="attachment")

    def keep_raw(self, ctx: RunContext, item: PageItem, source: Any, kind: str, error: str) -> None:
        record = PageRecord(source_id=source.id, source_kind=source.kind, parts=item.parts, extraction=Extraction())
        try:
            record_unextracted(self.writer(ctx), record, kind, error, ctx.run_for(item.source_id))
        except Exception as exc:
            error = f"{error}; and the raw page could not be stored: {type(exc).__name__}: {exc}"
        self.record_failure(ctx, item.source_id, kind, error, url=item.url, role="detail")

    def recheck_unchanged(self, ctx: RunContext, item: PageItem, run_id: int | None) -> None:
        first = item.parts[0]
        try:
            outcome = mark_unchanged(self.writer(ctx), item.source_id, first.url, first.fetched_at, run_id)
        except Exception as exc:
            self.record_failure(ctx, item.source_id, "ingest", f"{type(exc).__name__}: {exc}", url=item.url, role="detail")
            return
        ctx.page_done(item.source_id, f"{outcome} (not modified)")
