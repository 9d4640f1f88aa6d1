# The two commands of the README: `make test` and `make demo`. Everything they need is installed
# here, into .venv, so a fresh clone needs nothing but Python >= 3.11.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev
# Two workers: the suite is mostly waiting on databases and loopback servers, and each worker
# starts its own (free ports, its own databases), so the 2 cores are both kept busy.
PYTEST_ARGS ?= -n 2

.PHONY: install test lint check-format typecheck imports docs unit demo bench soak clean \
	graphql-clients jsonapi-clients

$(STAMP): pyproject.toml examples/csv_source/pyproject.toml examples/medium_graph/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m pip install --quiet -e examples/csv_source
	$(BIN)/python -m pip install --quiet -e examples/medium_graph
	touch $@

install: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check src tests examples bench
	$(BIN)/ruff format --check src tests examples bench

imports: $(STAMP)
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy
	$(BIN)/mypy --strict examples/csv_source/src
	$(BIN)/mypy --strict examples/medium_graph/src

docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet --site-dir $$(mktemp -d)

# The npm GraphQL clients the tests run against a real service (tests/clients/graphql), from the
# committed lockfile. Without npm their tests skip, saying so; CI has it, and requires them.
GRAPHQL_CLIENTS := tests/clients/graphql
$(GRAPHQL_CLIENTS)/node_modules/.package-lock.json: $(GRAPHQL_CLIENTS)/package-lock.json
	if command -v npm >/dev/null 2>&1; then \
		cd $(GRAPHQL_CLIENTS) && npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: the npm GraphQL client tests will skip"; fi

graphql-clients: $(GRAPHQL_CLIENTS)/node_modules/.package-lock.json

# The JSON:API clients of tests/clients/jsonapi: kitsu from npm (as above), and the
# openapi-python-client generator from PyPI in a venv of its own (it pins typer and httpx below
# the project's versions). Without npm the kitsu test skips, saying so; CI requires both.
JSONAPI_CLIENTS := tests/clients/jsonapi
$(JSONAPI_CLIENTS)/node_modules/.package-lock.json: $(JSONAPI_CLIENTS)/package-lock.json
	if command -v npm >/dev/null 2>&1; then \
		cd $(JSONAPI_CLIENTS) && npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: the npm JSON:API client tests will skip"; fi

$(JSONAPI_CLIENTS)/.venv/.installed: $(JSONAPI_CLIENTS)/requirements.txt $(STAMP)
	test -x $(JSONAPI_CLIENTS)/.venv/bin/python || $(BIN)/python -m venv $(JSONAPI_CLIENTS)/.venv
	$(JSONAPI_CLIENTS)/.venv/bin/python -m pip install --quiet -r $(JSONAPI_CLIENTS)/requirements.txt
	touch $@

jsonapi-clients: $(JSONAPI_CLIENTS)/node_modules/.package-lock.json $(JSONAPI_CLIENTS)/.venv/.installed

test: lint imports typecheck docs graphql-clients jsonapi-clients
	$(BIN)/pytest $(PYTEST_ARGS)

unit: $(STAMP)
	$(BIN)/pytest tests/unit -q

# The long profiles (docs/reliability.md): many more fuzz and property examples, the
# migration's fallback, dual writes, dialing and copy/compare at volume from a new seed
# (printed; HEXSTUDIO_SOAK_SEED=N replays it), then the load runs. PostgreSQL parts run when
# HEXSTUDIO_TEST_POSTGRES_URL names a server.
soak: $(STAMP)
	HYPOTHESIS_PROFILE=soak $(BIN)/pytest tests/reliability tests/property -q
	$(BIN)/python bench/load.py
	if [ -n "$$HEXSTUDIO_TEST_POSTGRES_URL" ]; then \
		$(BIN)/python bench/load.py --postgres "$$HEXSTUDIO_TEST_POSTGRES_URL"; fi

# Every performance target's benchmark (docs/performance.md), a few minutes on 2 cores. The
# figures are medians of interleaved rounds: rerun on a quiet machine before comparing them.
bench: $(STAMP)
	$(BIN)/python bench/sql_slate.py --rounds 50
	$(BIN)/python bench/jsonapi_service.py --rounds 7 --requests 100
	$(BIN)/python bench/graphql_service.py --rounds 5 --requests 50
	$(BIN)/python bench/jsonapi_adapter.py --rounds 15 --repeat 10
	$(BIN)/python bench/graphql_adapter.py --rounds 5 --calls 15
	$(BIN)/python bench/cache_reads.py --rounds 30
	$(BIN)/python bench/cache_overview.py --rounds 15 --repeat 20
	$(BIN)/python bench/shadow_reads.py --rounds 7 --reads 300
	$(BIN)/python bench/telemetry_overhead.py --rounds 30 --sample 1.0
	$(BIN)/python bench/migration_copy.py --movies 20000

demo: $(STAMP)
	$(BIN)/hexstudio demo

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache site $(GRAPHQL_CLIENTS)/node_modules \
		$(JSONAPI_CLIENTS)/node_modules $(JSONAPI_CLIENTS)/.venv
