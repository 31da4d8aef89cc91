"""The crawl service's entry point: ``python -m crawler.run.service_child``, started once by
the scheduler (crawler/run/service_client.py); the service is crawler/run/crawl_service.py.

A module of its own that imports nothing at its top, for the reason crawl_child.py gives:
every extraction worker imports the main module of the process that started it.
"""
import sys

if __name__ == "__main__":
    from crawler.run.crawl_service import service_main

    sys.exit(service_main())
