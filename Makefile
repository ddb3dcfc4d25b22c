# ccops — the two commands a new user needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
DB ?= data/ccops.duckdb
PORT ?= 8501
ADDRESS ?= 127.0.0.1

.PHONY: run test check bench install install-test system-deps demo clean lint

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PIP) install -q -e '.[test,spark]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

system-deps:
	bash scripts/system-deps.sh

$(DB): | $(VENV)/.installed
	$(VENV)/bin/ccops demo --db $(DB)

demo: $(DB)

run: install $(DB)
	$(VENV)/bin/ccops dashboard --db $(DB) --port $(PORT) --address $(ADDRESS)

test: install-test system-deps
	$(PY) -m pytest

check: install-test
	$(VENV)/bin/ruff format --check ops dashboard tests bench
	$(VENV)/bin/ruff check ops dashboard tests bench
	$(VENV)/bin/mypy ops
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m pytest

lint:
	$(VENV)/bin/ruff format ops dashboard tests bench
	$(VENV)/bin/ruff check --fix ops dashboard tests bench

bench: install-test
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache tests/artifacts
