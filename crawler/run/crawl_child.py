"""The crawl child's entry point: ``python -m crawler.run.crawl_child SPEC``, the one entry of
every crawler process a parent starts (crawler/run/crawl_process.py): the CLI's crawl and demo,
the scheduler's, ``sources check`` and ``sources test``. SPEC is a CrawlSpec in JSON
(crawler/run/crawl_spec.py).

A module of its own that imports nothing at its top: multiprocessing makes every
extraction worker import the main module of the process that started it (as
``__mp_main__``), and a module with the crawl's imports as that module would load
SQLAlchemy and the archive's models into each worker, which never touches the archive.
"""
import sys

if __name__ == "__main__":
    from crawler.run.crawl_spec import child_main

    sys.exit(child_main(sys.argv[1]))
