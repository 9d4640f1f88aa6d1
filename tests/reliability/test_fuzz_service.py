"""Schemathesis against the service: no input makes it answer 5xx or an error that is no document.

The JSON:API cases come from the OpenAPI document at /api/openapi.json (positive and negative
generation: wrong types, missing members, out-of-range values); the GraphQL cases from the
introspected schema. Every request carries the write token so writes reach the domain instead
of stopping at the 401 (test_abuse.py covers the refusals).

Bounded in the default run; ``HYPOTHESIS_PROFILE=soak`` (``make soak``) runs many more.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from schemathesis import GenerationMode
from schemathesis.graphql import nodes
from schemathesis.python import asgi as schemathesis_asgi

from adapters.sql.migrate import upgrade
from app.service import create_app_from_settings
from app.settings import Settings
from tests.reliability.figures import count

TOKEN = "fuzz-token-not-secret"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
MEDIA = "application/vnd.api+json"

# The global hypothesis profile belongs to tests/property; these tests size themselves so
# that the default run stays in seconds whichever profile is loaded.
SOAK = os.environ.get("HYPOTHESIS_PROFILE") == "soak"
EXAMPLES = {"openapi": 3000 if SOAK else 120, "graphql": 2000 if SOAK else 80}

_SCHEMA = json.loads(
    (Path(__file__).parents[1] / "support" / "jsonapi-1.1-schema.json").read_text()
)
_JSONAPI = Draft202012Validator(_SCHEMA)

# Error codes the GraphQL edge gives for the client's mistakes and the domain's refusals.
# ``internal_error`` (a bug) is deliberately absent.
_GRAPHQL_CODES = (
    "invalid_query",
    "unauthorized",
    "payload_too_large",
    "not_found",
    "conflict",
    "rule_violation",
    "invalid_input",
)

# Decimal (money amounts) travels as a string: valid ones, NaN/Infinity, and any text.
schemathesis.graphql.scalar(
    "Decimal",
    st.one_of(st.decimals().map(str), st.text(max_size=40)).map(nodes.String),
)


def _fuzz_settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        # The bounded run is the same every time, so CI is reproducible; the soak run is random
        # and finds the rare cases.
        derandomize=not SOAK,
        suppress_health_check=list(HealthCheck),
        # Shrinking repeats requests for minutes; the failing case is reported as found.
        phases=list(Phase) if SOAK else [Phase.explicit, Phase.reuse, Phase.generate],
    )


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    """The service as ``hexstudio serve`` builds it, over a migrated SQLite file."""
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.db'}"
    asyncio.run(upgrade(url))
    app = create_app_from_settings(
        Settings(
            data_source={"default": "sql", "sql": {"url": url}},  # type: ignore[arg-type]
            service={"data_source": "sql", "token": TOKEN},  # type: ignore[arg-type]
        )
    )
    try:
        yield app
    finally:
        # Schemathesis keeps the app's lifespan (the open engine) until the process exits.
        schemathesis_asgi.shutdown_lifespans()


def _problems_of_jsonapi(status: int, response: Any) -> list[str]:
    """Why ``response`` is not an acceptable JSON:API answer (empty when it is)."""
    if status >= 500:
        return [f"server error {status}: {response.text[:300]}"]
    if status == 204:
        return []
    content_type = response.headers.get("content-type", [""])[0]
    if not content_type.startswith(MEDIA):
        return [f"{status} with Content-Type {content_type!r}"]
    body = response.json()
    problems = [e.message for e in _JSONAPI.iter_errors(body)] if "errors" in body else []
    if status >= 400 and not body.get("errors"):
        problems.append(f"{status} without an errors member")
    if "Traceback" in response.text:
        problems.append("a stack trace in the body")
    return problems


def test_openapi_fuzz_never_5xx_and_every_error_is_a_jsonapi_document(fuzz_app: FastAPI) -> None:
    # The document also lists strawberry's /graphql routes; the GraphQL test below fuzzes those.
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", fuzz_app).include(
        path_regex="^/api/"
    )
    cases = st.one_of(
        schema.as_strategy(generation_mode=GenerationMode.POSITIVE),
        schema.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )
    statuses: Counter[int] = Counter()

    @_fuzz_settings(EXAMPLES["openapi"])
    @given(case=cases)
    def check(case: Any) -> None:
        response = case.call(headers=AUTH)
        statuses[response.status_code] += 1
        problems = _problems_of_jsonapi(response.status_code, response)
        assert not problems, (case.method, case.formatted_path, case.query, case.body, problems)

    check()
    assert sum(statuses.values()) >= EXAMPLES["openapi"] // 2
    # Both halves of the API were reached: some requests succeeded, some were refused.
    assert any(s < 300 for s in statuses), statuses
    assert any(s >= 400 for s in statuses), statuses
    _record("fuzz /api", statuses)


def test_graphql_fuzz_never_5xx_and_every_error_carries_a_code(fuzz_app: FastAPI) -> None:
    schema = schemathesis.graphql.from_asgi("/graphql", fuzz_app)
    statuses: Counter[int] = Counter()
    codes: Counter[str] = Counter()

    @_fuzz_settings(EXAMPLES["graphql"])
    @given(case=schema.as_strategy())
    def check(case: Any) -> None:
        response = case.call(headers=AUTH)
        statuses[response.status_code] += 1
        assert response.status_code < 500, (case.body, response.text[:300])
        body = response.json()
        assert "Traceback" not in response.text
        for error in body.get("errors") or []:
            code = error.get("extensions", {}).get("code", "")
            codes[code] += 1
            assert code.split(".")[0] in _GRAPHQL_CODES, (case.body, error)

    check()
    assert sum(statuses.values()) >= EXAMPLES["graphql"] // 2
    assert codes, "no GraphQL case was refused: the fuzzer never reached validation"
    _record("fuzz /graphql", statuses)


def _record(name: str, statuses: Counter[int]) -> None:
    """The figures docs/reliability.md quotes: requests sent, and how many got a 5xx."""
    count(f"{name} requests", sum(statuses.values()))
    count(f"{name} 5xx", sum(n for status, n in statuses.items() if status >= 500))
