"""The archive: models, ingest (document identity and versions), runs and queries.

Its Python API is storage/api.py. This package module re-exports nothing, on purpose: an
extraction worker imports storage.prepared and storage.neardup, and a package that pulled
SQLAlchemy and the models in would load them into a process that never opens the archive.
"""
