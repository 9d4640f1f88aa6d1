"""Schemathesis against the service: no input makes it answer 5xx or an error that is no document.

The JSON:API cases come from the OpenAPI document at /api/openapi.json (positive and negative
generation: wrong types, missing members, out-of-range values); the GraphQL cases from the
introspected schema. Some cases are then made hostile the way schemathesis never makes them: a
lone surrogate in a string or a member name, a value nested past the depth limit. A third test
sends raw bodies (any bytes, surrogate-laden JSON, deep nesting, scalars) to every write and to
/graphql. Every request carries the write token so writes reach the domain instead of stopping
at the 401 (test_abuse.py covers the refusals).

Bounded in the default run; ``HYPOTHESIS_PROFILE=soak`` (``make soak``) runs many more.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
from collections import Counter
from collections.abc import Callable, Iterator
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
EXAMPLES = {
    "openapi": 3000 if SOAK else 120,
    "graphql": 2000 if SOAK else 80,
    "raw": 3000 if SOAK else 150,
}

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
    "too_many_errors",
)

# Decimal (money amounts) travels as a string: valid ones, NaN/Infinity, and any text.
schemathesis.graphql.scalar(
    "Decimal",
    st.one_of(st.decimals().map(str), st.text(max_size=40)).map(nodes.String),
)


# Text as hostile clients send it: hypothesis' text never holds a surrogate unless asked to, and
# a lone one ("\ud800", a legal JSON escape that is no Unicode text) made the service answer 500.
_SURROGATES = st.characters(categories=["Cs"])
_HOSTILE_TEXT = st.one_of(
    st.text(max_size=12),
    st.text(_SURROGATES, min_size=1, max_size=2),
    st.tuples(st.text(max_size=6), _SURROGATES, st.text(max_size=6)).map("".join),
)
_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _HOSTILE_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_HOSTILE_TEXT, inner, max_size=4),
    max_leaves=12,
)
_EDITS = st.sampled_from([None, None, "surrogate", "name", "deep"])
"""How a generated JSON:API body is made hostile at one of its members (None: as generated)."""

_EDIT: dict[str, Callable[[Any], Any]] = {
    "surrogate": lambda value: (value if isinstance(value, str) else "") + "\ud800",
    "name": lambda value: {**value, "x\udc00": 1},
    "deep": lambda value: functools.reduce(lambda inner, _: [inner], range(100), value),
}


def _paths(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """The path of ``value`` and of every member and item in it, depth first."""
    yield path
    if isinstance(value, (dict, list)):
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            yield from _paths(item, (*path, key))


def _at(value: Any, path: tuple[str | int, ...]) -> Any:
    return functools.reduce(lambda inner, key: inner[key], path, value)


def _replaced(value: Any, path: tuple[str | int, ...], edit: Callable[[Any], Any]) -> Any:
    """A copy of ``value`` with ``edit`` applied to the member at ``path``."""
    if not path:
        return edit(value)
    head, *rest = path
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[head] = _replaced(value[head], tuple(rest), edit)
    return copy


def _hostile(value: Any, edit: str | None, data: st.DataObject) -> Any:
    """``value`` made hostile at a member ``data`` picks (``value`` itself when not edited).

    A string gets a lone surrogate (anything else becomes one), an object a member name holding
    one, or a member is nested 100 deep (past the 64 levels the edge accepts).
    """
    if edit is None or not isinstance(value, (dict, list)):
        return value
    # Objects take a new name; only leaves (values that reach the domain) take the others.
    wanted = dict if edit == "name" else (str, int, float, bool, type(None))
    paths = [p for p in _paths(value) if isinstance(_at(value, p), wanted)]
    if not paths:
        return value
    return _replaced(value, data.draw(st.sampled_from(paths)), _EDIT[edit])


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


@pytest.fixture(scope="module")
def client(fuzz_app: FastAPI) -> Iterator[Any]:
    """Schemathesis' in-process client of the app, for requests it would not build itself."""
    with schemathesis_asgi.get_client(fuzz_app) as session:  # starts the lifespan if need be
        yield session


def _problems_of_jsonapi(status: int, content_type: str, text: str) -> list[str]:
    """Why a response is not an acceptable JSON:API answer (empty when it is)."""
    if status >= 500:
        return [f"server error {status}: {text[:300]}"]
    if status == 204:
        return []
    if not content_type.startswith(MEDIA):
        return [f"{status} with Content-Type {content_type!r}"]
    body = json.loads(text)
    problems = [e.message for e in _JSONAPI.iter_errors(body)] if "errors" in body else []
    if status >= 400 and not body.get("errors"):
        problems.append(f"{status} without an errors member")
    if "Traceback" in text:
        problems.append("a stack trace in the body")
    return problems


def test_openapi_fuzz_never_5xx_and_every_error_is_a_jsonapi_document(
    fuzz_app: FastAPI, client: Any
) -> None:
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
    @given(case=cases, edit=_EDITS, data=st.data())
    def check(case: Any, edit: str | None, data: st.DataObject) -> None:
        body = _hostile(case.body, edit, data)
        if body is case.body:
            response = case.call(headers=AUTH)
            status, text = response.status_code, response.text
            content_type = response.headers.get("content-type", [""])[0]
        else:  # past schemathesis, which revalidates an edited body and cannot encode "\ud800"
            reply = client.request(
                case.method,
                case.formatted_path,
                params=case.query if isinstance(case.query, dict) else None,
                data=json.dumps(body).encode(),
                headers={**AUTH, "Content-Type": case.media_type},
            )
            status, text = reply.status_code, reply.text
            content_type = reply.headers.get("content-type", "")
        statuses[status] += 1
        problems = _problems_of_jsonapi(status, content_type, text)
        assert not problems, (case.method, case.formatted_path, case.query, body, problems)

    check()
    assert sum(statuses.values()) >= EXAMPLES["openapi"] // 2
    # Both halves of the API were reached: some requests succeeded, some were refused.
    assert any(s < 300 for s in statuses), statuses
    assert any(s >= 400 for s in statuses), statuses
    _record("fuzz /api", statuses)


def test_graphql_fuzz_never_5xx_and_every_error_carries_a_code(
    fuzz_app: FastAPI, client: Any
) -> None:
    schema = schemathesis.graphql.from_asgi("/graphql", fuzz_app)
    statuses: Counter[int] = Counter()
    codes: Counter[str] = Counter()

    @_fuzz_settings(EXAMPLES["graphql"])
    @given(case=schema.as_strategy(), edit=st.sampled_from([None, None, "name", "comment"]))
    def check(case: Any, edit: str | None) -> None:
        if edit is None:
            response = case.call(headers=AUTH)
            status, text = response.status_code, response.text
        else:  # an operationName or a comment with a lone surrogate: no Unicode text
            hostile: dict[str, Any] = {"query": case.body}
            if edit == "name":
                hostile["operationName"] = "Q\ud800"
            else:
                hostile["query"] += "\n# \ud800"
            headers = {**AUTH, "Content-Type": "application/json"}
            reply = client.post("/graphql", data=json.dumps(hostile).encode(), headers=headers)
            status, text = reply.status_code, reply.text
        statuses[status] += 1
        assert status < 500, (case.body, text[:300])
        body = json.loads(text)
        assert "Traceback" not in text
        for error in body.get("errors") or []:
            code = error.get("extensions", {}).get("code", "")
            codes[code] += 1
            assert code.split(".")[0] in _GRAPHQL_CODES, (case.body, error)

    check()
    assert sum(statuses.values()) >= EXAMPLES["graphql"] // 2
    assert codes, "no GraphQL case was refused: the fuzzer never reached validation"
    _record("fuzz /graphql", statuses)


_ID = "00000000-0000-4000-8000-000000000001"
_TARGETS = [
    ("POST", "/api/movies", MEDIA),
    ("POST", "/api/locations", MEDIA),
    ("PATCH", f"/api/movies/{_ID}", MEDIA),
    ("POST", "/api/operations", f'{MEDIA}; ext="https://jsonapi.org/ext/atomic"'),
    ("POST", "/api/onboardings", MEDIA),
    ("POST", "/graphql", "application/json"),
]
_QUERIES = [
    "query($c: String) { locations(filter: {city: $c}) { edges { cursor } } }",
    "mutation($t: String!) { registerMovie(input: {title: $t}) { id } }",
    "query($n: Int) { movies(first: $n) { edges { cursor } } } query B { __typename }",
]


def _document(kind: str, attributes: dict[str, Any]) -> Any:
    return {"data": {"type": kind, "attributes": attributes}}


_RAW_JSON = st.one_of(
    _JSON_VALUES,
    st.builds(
        _document,
        st.sampled_from(["movies", "locations", "onboardings"]) | _HOSTILE_TEXT,
        st.dictionaries(st.sampled_from(["title", "name", "genres"]) | _HOSTILE_TEXT, _JSON_VALUES),
    ),
    st.builds(lambda ops: {"atomic:operations": ops}, st.lists(_JSON_VALUES, max_size=3)),
    st.fixed_dictionaries(
        {"query": st.sampled_from(_QUERIES) | _HOSTILE_TEXT},
        optional={
            "variables": st.dictionaries(st.sampled_from(["c", "t", "n"]), _JSON_VALUES),
            "operationName": st.none() | _HOSTILE_TEXT,
        },
    ),
)
_RAW_BODIES = st.one_of(
    _RAW_JSON.map(lambda value: json.dumps(value).encode()),  # ASCII: surrogates escaped
    st.binary(max_size=40),  # mostly not UTF-8, or not JSON
    st.integers(60, 3000).map(lambda depth: b"[" * depth + b"]" * depth),
    st.integers(60, 3000).map(lambda depth: b'{"data": ' + b"[" * depth),  # and unterminated
)


def test_raw_body_fuzz_never_5xx_and_every_error_is_a_document(client: Any) -> None:
    statuses: Counter[int] = Counter()

    @_fuzz_settings(EXAMPLES["raw"])
    @given(target=st.sampled_from(_TARGETS), body=_RAW_BODIES)
    def check(target: tuple[str, str, str], body: bytes) -> None:
        method, path, media = target
        headers = {**AUTH, "Content-Type": media}
        response = client.request(method, path, data=body, headers=headers)
        status, text = response.status_code, response.text
        statuses[status] += 1
        if path.startswith("/api"):
            content_type = response.headers.get("content-type", "")
            problems = _problems_of_jsonapi(status, content_type, text)
            assert not problems, (method, path, body[:200], problems)
            return
        assert status < 500, (body[:200], text[:300])
        assert "Traceback" not in text
        for error in json.loads(text).get("errors") or []:
            code = error.get("extensions", {}).get("code", "")
            assert code.split(".")[0] in _GRAPHQL_CODES, (body[:200], error)

    check()
    assert any(s >= 400 for s in statuses), statuses
    _record("fuzz raw bodies", statuses)


def _record(name: str, statuses: Counter[int]) -> None:
    """The figures docs/reliability.md quotes: requests sent, and how many got a 5xx."""
    count(f"{name} requests", sum(statuses.values()))
    count(f"{name} 5xx", sum(n for status, n in statuses.items() if status >= 500))
