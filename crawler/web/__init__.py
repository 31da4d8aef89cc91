"""`policy-archive serve`: a read-only web page and JSON API over the archive.

Everything it shows comes through storage.api (the CLI's functions and dicts); crawled
text reaches the page only through Jinja2's autoescape. See app.py for the safety rules.
"""
