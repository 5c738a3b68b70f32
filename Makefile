# The two commands of the README: `make run` and `make test`. Everything they need is set up here.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

GRAPHIQL := gateway/static/graphiql

.PHONY: run test lint bench assets browser redis clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

## GraphiQL's files, from the npm registry, checked against the integrity hashes Strawberry pins.
assets: $(GRAPHIQL)/.installed

$(GRAPHIQL)/.installed: $(VENV)/.installed
	$(BIN)/python -m gateway.assets $(GRAPHIQL)
	touch $@

## Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser).
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

## Debian's redis-server: the tests and benchmarks start their own, on free ports.
redis:
	@command -v redis-server >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server; }

## make run: install, generate the demo fleet if missing, mint a test key the first time, serve.
run: $(VENV)/.installed assets
	$(BIN)/crate fleet generate --if-missing
	$(BIN)/crate snapshots publish --if-missing
	$(BIN)/crate keys create --mode test --name "make run" --if-none
	$(BIN)/crate serve

## make test: lint, type-check and the whole suite (real servers included).
test: $(VENV)/.installed-test assets browser redis lint
	$(BIN)/pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## make bench: the benchmarks; the report lands in .crate/bench/report.md.
bench: $(VENV)/.installed-test assets redis
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	$(BIN)/python -m tests.bench

clean:
	rm -rf $(VENV) .crate .pytest_cache .mypy_cache .ruff_cache gateway/static
