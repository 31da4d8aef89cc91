"""A page's CPU work off the reactor: the pool of extraction worker processes, and what one
page's work is (decode, extract, prepare for ingest)."""
