"""Builds the fixtures of the built-in sources (spiders/fixtures/): ``python -m spiders.fixturegen``.

Each real site is modeled on the public evidence cited in its registry entry's ``notes``
(markup structure, URL shapes, pagination, encoding); the notices on it are made up
here, deterministically, and their ground truth goes to ``spiders/fixtures/expected.toml``.
"""
