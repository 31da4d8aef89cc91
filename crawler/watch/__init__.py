"""Watches after a crawl: match the saved searches (storage/watch_match.py), deliver what
the outbox owes through apprise (e-mail, webhooks, chat), and each watch's Atom feed."""
