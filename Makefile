# The two commands of the README: `make test` and `make demo`. Everything they need is installed
# here, into .venv, so a fresh clone needs nothing but Python >= 3.11.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev
PYTEST_ARGS ?=

.PHONY: install test lint check-format typecheck imports docs unit demo bench clean

$(STAMP): pyproject.toml examples/csv_source/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m pip install --quiet -e examples/csv_source
	touch $@

install: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check src tests examples
	$(BIN)/ruff format --check src tests examples

imports: $(STAMP)
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy
	$(BIN)/mypy --strict examples/csv_source/src

docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet --site-dir $$(mktemp -d)

test: lint imports typecheck docs
	$(BIN)/pytest $(PYTEST_ARGS)

unit: $(STAMP)
	$(BIN)/pytest tests/unit -q

demo: $(STAMP)
	$(BIN)/hexstudio demo

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache site
