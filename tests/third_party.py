"""Where the test data taken from public repositories lives: outside this repository.

The tool library's rule is that data brought out of fetched repositories is kept only
under the steering repository's shared/, never committed here. So the real pages of the
evaluation corpus, their gold bodies and one third-party attachment sit in a data
directory: ``$POLICY_THIRD_PARTY_DATA`` if set, else ``<repo>/../shared/third_party``.
Its layout::

    eval-corpus/real/<file>    real saved pages (labels.toml ``file`` = "real/<file>")
    eval-corpus/gold/<file>    their gold bodies (labels.toml ``gold`` = "gold/<file>")
    home-pages/<file>          real saved home pages (home_pages.toml ``file``)
    frozen/<file>              real captures the family spiders crawl (test_frozen_real_pages.py)
    attachments/word97_fastsaved_small.doc

Every file of the directory has a row in ``tests/eval/corpus/third_party.toml`` (origin
repository, commit, path, how it is taken out, sha256); ``tests/eval/layout_third_party.py``
lays the directory out from repository snapshots and checks it.

Everything that reads these files asks here, so a fresh clone without them skips in one
way everywhere (the sha256 in labels.toml says whether a present page is the right one).
"""
from __future__ import annotations

import os
from pathlib import Path

ENV = "POLICY_THIRD_PARTY_DATA"
REPO = Path(__file__).resolve().parents[1]

EVAL_CORPUS = "eval-corpus"
WORD97_FASTSAVED = "attachments/word97_fastsaved_small.doc"


def data_dir() -> Path:
    """The data directory, read from the environment at each call (tests may set it)."""
    configured = os.environ.get(ENV)
    return Path(configured).expanduser() if configured else REPO.parent / "shared" / "third_party"


def path(relative: str) -> Path:
    """Where a file of the data directory would be, present or not."""
    return data_dir() / relative


def eval_corpus_path(labels_path: str) -> Path:
    """A labels.toml ``file`` or ``gold`` value ("real/x.html", "gold/x.txt") of a real page."""
    return path(f"{EVAL_CORPUS}/{labels_path}")


def find(relative: str) -> Path | None:
    """The file, or None when the data directory does not hold it."""
    found = path(relative)
    return found if found.is_file() else None


def where() -> str:
    """Where we looked, for messages: the directory and how to point elsewhere."""
    source = f"${ENV}" if os.environ.get(ENV) else f"the default; set ${ENV} to change it"
    return f"{data_dir()} ({source})"


def absent(what: str) -> str:
    """One message for every skip and notice: what is missing, where we looked, why."""
    return f"{what} not present: third-party data, kept outside the repository; looked in {where()}"
