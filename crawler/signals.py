"""Signals of our own, so spiders can report without knowing who records."""

# sent by a spider when a request fails: source_id, role, kind, message, url
fetch_failed = object()
