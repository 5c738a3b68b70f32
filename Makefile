# The two commands of the README: `make run` and `make test`. Everything they need is set up here.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

## make run: install, generate the demo fleet if missing, mint a test key the first time, serve.
run: $(VENV)/.installed
	$(BIN)/crate fleet generate --if-missing
	$(BIN)/crate keys create --mode test --name "make run" --if-none
	$(BIN)/crate serve

## make test: lint, type-check and the whole suite (real servers included).
test: $(VENV)/.installed-test lint
	$(BIN)/pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## make bench: the benchmarks; the report lands in .crate/bench/report.md.
bench: $(VENV)/.installed-test
	$(BIN)/python -m tests.bench

clean:
	rm -rf $(VENV) .crate .pytest_cache .mypy_cache .ruff_cache
