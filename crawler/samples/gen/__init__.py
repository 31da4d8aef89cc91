"""The one generator of every site the crawler is tested on, served on loopback by the sample server.

    python -m crawler.samples.gen demo [--check]       # crawler/samples/www, www-later, expected.toml
    python -m crawler.samples.gen fixtures [--check]   # spiders/fixtures: the built-in sources' pages
    python -m crawler.samples.gen bench OUT [--notices 2000] [--seed 0] [--chrome portal|minimal]

One notice model (notice.py), one tree builder, ground-truth format and checker (tree.py),
the HTML every template shares (markup.py), and the families of sites built with them:
demo/ (the sample sites, from crawler/samples/notices), fixtures/ (each built-in source's
listing and detail pages, from its registry entry) and bench/ (a generated TRS portal of
thousands of notices). Every build is deterministic: the same input gives the same bytes.
"""
