"""The crawl child's entry point: ``python -m crawler.run.crawl_child SPEC`` (see
crawler/run/crawl_process.py, which starts it).

A module of its own that imports nothing at its top: multiprocessing makes every
extraction worker import the main module of the process that started it (as
``__mp_main__``), and crawler.run.crawl_process as that module would load SQLAlchemy and the
archive's models into each worker, which never touches the archive.
"""
import sys

if __name__ == "__main__":
    from crawler.run.crawl_process import child_main

    sys.exit(child_main(sys.argv[1]))
