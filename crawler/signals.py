"""Signals of our own, so spiders can report without knowing who records."""

# sent by a spider when a request fails: source_id, role, kind, message, url, attempts
fetch_failed = object()
# sent by a spider after each listing page it read: source_id, listing (the URL of
# the listing's first page), page_no (0-based), next_url (None: the walk ends here),
# limited (the page offered a next one, left unread at the source's max_pages)
listing_walked = object()

# sent by a spider that read a listing page by discovery (no selectors, or they matched
# nothing): source_id, url, reason, links
listing_discovered = object()

# sent by a spider for each page it reached from a source's home page while looking for
# its listings (spiders/homepage.py): source_id, home, url, label (the link's words),
# level (0: the home page itself, 1: linked from it, 2: from a 信息公开 page), notices (notice
# links found on it; on the home page, the links followed)
home_listing_found = object()

# request.meta key the crawl sets on a request it did not make because its source's own
# deadline had passed (crawler/components/middlewares.py): the spider records no failure
DEADLINE_PASSED = "source_deadline_passed"
