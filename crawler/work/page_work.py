"""A page's CPU work, from the PageItem to the PageRecord ingest writes: decode, extract,
then storage's preparation (normalized text, its hash, the MinHash signature, tokens).

``prepare_in_worker`` is what an extraction worker process runs (crawler/work/page_pool.py);
the pipeline runs ``prepare_item`` itself when POLICY_EXTRACT_WORKERS is 0. Nothing here
touches the archive.

The crawl process imports this module too (it hands these functions to the pool), but
with workers it never extracts: the extraction stack (trafilatura and what it pulls, ~20
MB) is imported where a page is first extracted, and by ``warm_up`` in each worker.
"""
from __future__ import annotations

import signal
from dataclasses import replace
from typing import TYPE_CHECKING

from crawler.items import PageItem, PageRecord
from spiders.registry import Source
from storage.prepared import prepare

if TYPE_CHECKING:  # the crawl process does not import the extraction stack
    from crawler.work.item_extraction import Unread


class PrepareFailed(Exception):
    """The page was extracted, but storage's preparation refused the record: an ingest
    failure (as it was when ingest prepared it), not a page to keep raw as ``parse``."""


def prepare_item(item: PageItem, source: Source, unread: Unread | None = None) -> PageRecord:
    """The item's record, prepared for ingest. Extraction errors propagate as they are (the
    page is kept raw, kind ``parse``). Attachments in ``unread`` are recorded, not read."""
    from crawler.work.item_extraction import extract_item

    extraction, files = extract_item(item, source, unread)
    record = PageRecord(source.id, source.kind, item.parts, extraction, files)
    try:
        return prepare(record)
    except Exception as exc:
        raise PrepareFailed(f"{type(exc).__name__}: {exc}") from None


def prepare_in_worker(item: PageItem, source: Source, unread: Unread | None = None) -> PageRecord:
    """``prepare_item``, answered without the raw bytes: the pipeline holds them (it sent
    them), and sending them back would more than double the answer (on the bench's pages
    37 KB instead of 14 KB; a page's attachments can be megabytes). ``with_bytes`` joins
    the answer with the item again."""
    record = prepare_item(item, source, unread)
    return replace(
        record,
        parts=[replace(p, body=b"") for p in record.parts],
        attachments=[replace(f, part=replace(f.part, body=b"")) for f in record.attachments],
    )


def with_bytes(record: PageRecord, item: PageItem) -> PageRecord:
    """A worker's answer with the item's bytes (each part keeps the encoding the worker
    decoded it with)."""
    parts = [replace(back, body=sent.body) for back, sent in zip(record.parts, item.parts, strict=True)]
    files = [replace(f, part=replace(f.part, body=sent.body))
             for f, sent in zip(record.attachments, item.attachments, strict=True)]
    return replace(record, parts=parts, attachments=files)


def worker_init(crawl_pid: int) -> None:
    """In each worker: Ctrl-C is the crawl's to handle (a worker that dies of the terminal's
    SIGINT breaks the pool), and the worker goes when the crawl process does."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with(crawl_pid)
    warm_up()


def _exit_with(crawl_pid: int) -> None:
    """End this worker when ``crawl_pid`` ends, however it ends (SIGKILL included).

    Nothing else would: a worker waits on its task queue, whose write end every worker
    holds too, and its parent is the fork server, which every worker keeps alive.
    """
    import os
    import select
    import threading

    try:
        handle = os.pidfd_open(crawl_pid)
    except ProcessLookupError:  # the crawl ended while this worker was starting
        os._exit(1)
    except (AttributeError, OSError):  # not Linux ≥ 5.3: the pool's own shutdown only
        return

    def watch() -> None:
        select.select([handle], [], [])
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-crawl", daemon=True).start()


def warm_up() -> None:
    """Import and build what the first page would otherwise pay for: the extraction
    stack and the MinHash permutation table (the fork server preloads nothing)."""
    import crawler.work.item_extraction  # noqa: F401
    from storage import neardup

    neardup.minhash_signature("预热" * neardup.MIN_CHARS)
