"""The Scrapy components a crawl plugs in (settings.py names them): downloader middlewares
(conditional re-checks, the loopback guard, the host map, the browser path), the archive
pipeline, the run recorder extension and its writer thread."""
