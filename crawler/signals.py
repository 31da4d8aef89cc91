"""Signals of our own, so spiders can report without knowing who records."""

# sent by a spider when a request fails: source_id, role, kind, message, url
fetch_failed = object()

# sent by a spider that read a listing page by discovery (no selectors, or they matched
# nothing): source_id, url, reason, links
listing_discovered = object()
