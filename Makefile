# Every target makes or refreshes the virtual environment at .venv first.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PYTHON ?= python3

.PHONY: venv run demo test eval bench bench-search clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,browser]'
	touch $(STAMP)

venv: $(STAMP)

## run: crawl every enabled built-in source once into ./data/archive.db
run: $(STAMP)
	$(VENV)/bin/policy-archive crawl

## demo: the same pipeline, offline, against the bundled sample sites on 127.0.0.1
demo: $(STAMP)
	$(VENV)/bin/policy-archive demo
	@echo "read it in a browser: $(VENV)/bin/policy-archive serve --db sqlite:///data/demo.db, then open http://127.0.0.1:8080/"

## test: the whole test suite (PostgreSQL and Redis tests use the local servers)
test: $(STAMP)
	$(VENV)/bin/pytest -q

## eval: score extraction on the labeled corpus (dev | test | regression), side by side with bare trafilatura and GNE; and home-page discovery on real saved home pages
eval: $(STAMP)
	$(PY) tests/eval/run_eval.py

## bench: one JSON report of every speed and memory goal (issue 12), each figure beside its reference
bench: $(STAMP)
	$(PY) tests/bench/report.py --out bench-report.json

## bench-search: search p50/p95 over a generated archive of 100k notices, SQLite and PostgreSQL
bench-search: $(STAMP)
	$(PY) tests/bench/search_bench.py --docs 100000

clean:
	rm -rf $(VENV) build *.egg-info
