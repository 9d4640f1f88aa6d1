"""Abuse of the service is refused cleanly: injection, oversize, depth, width, batches, no token.

Everything runs in process (httpx's ASGI transport) over a migrated SQLite file seeded with the
demo scenario; after each attack the seeded data is read back unchanged.
"""

from __future__ import annotations

import json
import logging
import socket
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from jsonschema import Draft202012Validator

from adapters.sql.migrate import upgrade
from app.bootstrap import Container, bootstrap
from app.scenario import run_scenario, scenario_id
from app.service import create_app
from app.service.graphql.schema import MAX_ALIASES, MAX_DEPTH
from app.service.limits import MAX_ERRORS, MAX_OPERATIONS
from app.settings import Settings
from domain import LOCATIONS, MOVIES, PRODUCTIONS
from tests.reliability.figures import count
from tests.support.live_service import live_service

pytestmark = pytest.mark.asyncio(loop_scope="session")

TOKEN = "abuse-token-0123456789abcdef"
MEDIA = "application/vnd.api+json"
ATOMIC = f'{MEDIA}; ext="https://jsonapi.org/ext/atomic"'
WRITE = {"Content-Type": MEDIA, "Authorization": f"Bearer {TOKEN}"}
_AUTH = {"Authorization": f"Bearer {TOKEN}"}
MOVIE = str(scenario_id("movie"))
PRODUCTION = str(scenario_id("production"))
HARBOUR = str(scenario_id("harbour"))

_SCHEMA = json.loads(
    (Path(__file__).parents[1] / "support" / "jsonapi-1.1-schema.json").read_text()
)
_JSONAPI = Draft202012Validator(_SCHEMA)

NASTY = [
    "' OR '1'='1",
    "'; DROP TABLE movies; --",
    '" OR ""="',
    "1) OR (1=1",
    "%",
    "_",
    "\\",
    "%00",
    "\x00",
    "\U0001d573\U0001d58a\U0001d59d \u202eevil",  # look-alike letters, right-to-left override
    "ﷺ" * 50,
    "x" * 20_000,
    "9" * 400,
    "-1",
    "1e309",
    "NaN",
    "{}",
    "[]",
    "$where",
]
"""Values an attacker tries: SQL metacharacters, LIKE wildcards, NUL, unicode, huge values."""


@dataclass
class Service:
    """A client of the in-process service and the container behind it."""

    client: httpx.AsyncClient
    container: Container

    async def snapshot(self) -> Any:
        """Every stored entity, to compare before and after an attack."""
        async with self.container.interactors.uow() as uow:
            movies = await uow.repository(MOVIES).get_many([scenario_id("movie")])
            production = await uow.repository(PRODUCTIONS).get(scenario_id("production"))
            locations = await uow.repository(LOCATIONS).get_many(
                [scenario_id("harbour"), scenario_id("dunes")]
            )
            return movies, production, locations, await _counts(self.client)

    async def gql(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> httpx.Response:
        """POST one GraphQL operation."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )


async def _counts(client: httpx.AsyncClient) -> dict[str, int]:
    sizes = {}
    for kind in ("movies", "locations", "productions", "shoot-days"):
        response = await client.get(f"/api/{kind}", params={"page[size]": "500"}, headers=_AUTH)
        sizes[kind] = len(response.json()["data"])
    return sizes


@asynccontextmanager
async def _seeded(**service: Any) -> AsyncIterator[Service]:
    """The service over a migrated SQLite file seeded with the scenario, with ``service`` set."""
    with tempfile.TemporaryDirectory(prefix="hexstudio-abuse-") as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/abuse.db"
        await upgrade(url)
        settings = Settings(
            data_source={"default": "sql", "sql": {"url": url}},  # type: ignore[arg-type]
            service={"data_source": "sql", "max_body_bytes": 64_000, **service},  # type: ignore[arg-type]
        )
        async with bootstrap(settings) as container:
            await run_scenario(container.interactors)
            transport = httpx.ASGITransport(app=create_app(container))
            async with httpx.AsyncClient(transport=transport, base_url="http://abuse") as client:
                yield Service(client, container)


@pytest.fixture(scope="module")
async def service() -> AsyncIterator[Service]:
    async with _seeded(token=TOKEN) as seeded:
        yield seeded


@pytest.fixture(scope="module", params=["token", "read_token"])
async def guarded(request: pytest.FixtureRequest) -> AsyncIterator[Service]:
    """The write token set, or only a read token (which must close writes too: issue 11)."""
    async with _seeded(**{request.param: TOKEN}) as seeded:
        yield seeded


def jsonapi_error(response: httpx.Response, *statuses: int) -> dict[str, Any]:
    """The first error object of a refusal, after checking status, media type and schema."""
    assert response.status_code in statuses, (response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith(MEDIA)
    body = response.json()
    problems = [e.message for e in _JSONAPI.iter_errors(body)]
    assert not problems, (problems, body)
    error: dict[str, Any] = body["errors"][0]
    assert error["status"] == str(response.status_code)
    return error


def graphql_error(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    """The first error of a refused operation; it has a code and produced no data."""
    assert response.status_code == status, response.text[:300]
    body = response.json()
    assert not any((body.get("data") or {}).values()), body
    error: dict[str, Any] = body["errors"][0]
    assert error["extensions"]["code"], error
    return error


# --- injection ------------------------------------------------------------------------------


async def test_unhappy_path_injection_through_every_filter_is_harmless(service: Service) -> None:
    before = await service.snapshot()
    spec = (await service.client.get("/api/openapi.json")).json()
    filters = [
        (path, parameter["name"])
        for path, item in spec["paths"].items()
        if "{" not in path and "get" in item and path.startswith("/api/")
        for parameter in item["get"].get("parameters", [])
        if parameter["name"].startswith("filter[")
    ]
    assert len(filters) >= 10, filters
    sent = 0
    for path, name in filters:
        for value in NASTY:
            response = await service.client.get(path, params={name: value})
            sent += 1
            if response.status_code == 200:
                # A string filter matched nothing: the value was data, not SQL.
                assert response.json()["data"] == [], (path, name, value)
            else:
                jsonapi_error(response, 400, 422)
    assert await service.snapshot() == before
    count("abuse injection requests", sent)


async def test_unhappy_path_injected_cursors_are_400_naming_page_after(service: Service) -> None:
    for value in [*NASTY, "eyJpZCI6IjEnIE9SIDE9MSJ9", "a" * 4000]:
        response = await service.client.get("/api/movies", params={"page[after]": value})
        error = jsonapi_error(response, 400)
        assert error["source"] == {"parameter": "page[after]"}
        refused = await service.gql(
            "query($after: String) { movies(first: 2, after: $after) { edges { cursor } } }",
            {"after": value},
        )
        assert graphql_error(refused)["extensions"]["code"] == "invalid_input"


async def test_unhappy_path_injection_through_graphql_variables_is_harmless(
    service: Service,
) -> None:
    before = await service.snapshot()
    for value in NASTY:
        by_id = await service.gql("query($id: ID!) { movie(id: $id) { title } }", {"id": value})
        assert graphql_error(by_id)["extensions"]["code"] in {"invalid_input", "not_found"}
        filtered = await service.gql(
            "query($c: String) { locations(filter: {city: $c}) { edges { node { id } } } }",
            {"c": value},
        )
        body = filtered.json()
        assert filtered.status_code == 200, body
        if "errors" in body:
            assert body["errors"][0]["extensions"]["code"] == "invalid_input"
        else:
            assert body["data"]["locations"]["edges"] == []
        registered = await service.gql(
            "mutation($t: String!) { registerMovie(input: {title: $t}) { title } }",
            {"t": value},
            token=TOKEN,
        )
        body = registered.json()
        if "errors" in body:  # too long, blank...: refused, not stored
            assert body["errors"][0]["extensions"]["code"] == "invalid_input"
        else:  # stored verbatim, as data
            assert body["data"]["registerMovie"]["title"] in {value, value.strip()}
    after = await service.snapshot()
    assert after[:3] == before[:3]


async def test_unhappy_path_huge_values_are_refused_with_a_pointer(service: Service) -> None:
    attempts = [
        ("movies", {"title": "Big", "release_year": 10**30}, "/data/attributes/release_year"),
        ("movies", {"title": "x" * 10_000}, "/data/attributes/title"),
        (
            "locations",
            {"name": "n", "city": "c", "country": "PT", "latitude": 1e308, "longitude": 0},
            "/data/attributes/latitude",
        ),
    ]
    for kind, attributes, pointer in attempts:
        body = {"data": {"type": kind, "attributes": attributes}}
        response = await service.client.post(
            f"/api/{kind}", content=json.dumps(body), headers=WRITE
        )
        assert jsonapi_error(response, 400, 422)["source"] == {"pointer": pointer}
    big = await service.gql(
        'mutation { registerMovie(input: {title: "Big", releaseYear: 99999999999}) { id } }',
        token=TOKEN,
    )
    assert graphql_error(big)["extensions"]["code"] == "invalid_query"


async def test_regression_member_names_with_pointer_syntax_are_escaped(service: Service) -> None:
    # Found by the fuzzer: an unknown member "~" or "a/b" gave the pointer "/data/~", which is
    # not a JSON pointer, so the error document failed the JSON:API schema.
    for name, token in (("~", "~0"), ("a/b", "a~1b")):
        for where, pointer in (
            ({name: 1}, f"/data/{token}"),
            ({"attributes": {name: 1}}, f"/data/attributes/{token}"),
            ({"relationships": {name: {}}}, f"/data/relationships/{token}"),
        ):
            body = {"data": {"type": "movies", **where}}
            response = await service.client.post(
                "/api/movies", content=json.dumps(body), headers=WRITE
            )
            assert jsonapi_error(response, 400)["source"] == {"pointer": pointer}
        onboarding = {"data": {"type": "onboardings", name: 1}}
        response = await service.client.post(
            "/api/onboardings", content=json.dumps(onboarding), headers=WRITE
        )
        assert jsonapi_error(response, 400)["source"] == {"pointer": f"/data/{token}"}


# --- size, pages, depth, width, batches -----------------------------------------------------


async def test_unhappy_path_oversized_bodies_are_413_on_both_apis(service: Service) -> None:
    big = {"data": {"type": "movies", "attributes": {"title": "t", "logline": "x" * 100_000}}}
    response = await service.client.post("/api/movies", content=json.dumps(big), headers=WRITE)
    assert jsonapi_error(response, 413)["code"] == "payload_too_large"

    async def streamed() -> AsyncIterator[bytes]:  # no Content-Length: counted as it arrives
        for _ in range(100):
            yield b" " * 1000

    headers = {**WRITE, "Content-Type": ATOMIC}
    response = await service.client.post("/api/operations", content=streamed(), headers=headers)
    assert jsonapi_error(response, 413)["code"] == "payload_too_large"
    query = "{ movies { edges { cursor } } }" + " " * 100_000
    assert graphql_error(await service.gql(query), 413)["extensions"]["code"] == (
        "payload_too_large"
    )


async def test_unhappy_path_huge_pages_are_refused(service: Service) -> None:
    for size in ("10000", "501", "0", "-1", "1e3", "99999999999999999999"):
        response = await service.client.get("/api/productions", params={"page[size]": size})
        assert jsonapi_error(response, 400)["source"] == {"parameter": "page[size]"}
    ids = ",".join([MOVIE] * 501)
    response = await service.client.get("/api/movies", params={"filter[id]": ids})
    assert jsonapi_error(response, 400)["source"] == {"parameter": "filter[id]"}
    for first in (100_000, 501, 0, -5):
        refused = await service.gql(f"{{ productions(first: {first}) {{ edges {{ cursor }} }} }}")
        assert graphql_error(refused)["extensions"] == {"code": "invalid_input", "field": "first"}
    nested = await service.gql(
        "{ movies(first: 1) { edges { node { productions(first: 100000) { edges { cursor } } } } }"
        " }"
    )
    assert nested.json()["errors"][0]["extensions"]["code"] == "invalid_input"


async def test_unhappy_path_deep_queries_are_refused_even_through_fragments(
    service: Service,
) -> None:
    loop = "productions { edges { node { movie { "
    direct = "{ movies { edges { node { " + loop * 3 + "title" + " } } } }" * 3 + " } } } }"
    fragments = (
        "query { ...A } fragment A on Query { movies { edges { node { ...B } } } } "
        "fragment B on Movie { " + loop * 3 + "title" + " } } } }" * 3 + " }"
    )
    for query in (direct, fragments):
        error = graphql_error(await service.gql(query))
        assert error["extensions"]["code"] == "invalid_query"
        assert f"exceeds maximum operation depth of {MAX_DEPTH}" in error["message"]
    cyclic = "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }"
    assert graphql_error(await service.gql(cyclic))["extensions"]["code"] == "invalid_query"


async def test_unhappy_path_wide_queries_are_refused(service: Service) -> None:
    aliases = " ".join(
        f"a{n}: movies(first: 500) {{ edges {{ cursor }} }}" for n in range(MAX_ALIASES + 1)
    )
    error = graphql_error(await service.gql(f"{{ {aliases} }}"))
    assert error["extensions"]["code"] == "invalid_query"
    assert "aliases" in error["message"]
    # Repeated fields without aliases cost quadratic validation time: the token cap stops them.
    repeated = "{ " + "movies { edges { cursor } } " * 2_000 + "}"
    error = graphql_error(await service.gql(repeated))
    assert "tokens" in error["message"]
    # Within the limits the same shape is answered.
    allowed = " ".join(f"a{n}: movies(first: 1) {{ edges {{ cursor }} }}" for n in range(3))
    assert "errors" not in (await service.gql(f"{{ {allowed} }}")).json()


async def test_unhappy_path_query_batches_are_refused(service: Service) -> None:
    one = {"query": "{ movies(first: 1) { edges { cursor } } }"}
    for batch in ([one, one], [one] * 500, [{"query": "mutation { cancelShootDay }"}] * 2):
        response = await service.client.post("/graphql", json=batch)
        assert 400 <= response.status_code < 500
        assert response.json()["errors"][0]["extensions"]["code"] in {
            "invalid_query",
            "payload_too_large",
        }


# --- request edges (issue 11): malformed bodies, caps, operation names, HTTP framing --------

LONE = "\ud800"
"""A lone surrogate: JSON may carry it escaped (``json.dumps`` writes it so), but it is no text."""


async def _post_raw(
    service: Service, path: str, body: Any, content_type: str = MEDIA, method: str = "POST"
) -> httpx.Response:
    """Send ``body`` (bytes as they are, anything else as ASCII JSON) with the write token."""
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {"Content-Type": content_type, "Authorization": f"Bearer {TOKEN}"}
    return await service.client.request(method, path, content=content, headers=headers)


def _nested(depth: int) -> Any:
    value: Any = []
    for _ in range(depth - 1):
        value = [value]
    return value


async def test_regression_malformed_graphql_bodies_are_400_naming_the_problem(
    service: Service,
) -> None:
    # Each was a 500 with a plain-text body and a traceback in the log.
    int_query = "query($n: Int) { movies(first: $n) { edges { cursor } } }"
    attempts: list[tuple[bytes, str, str | None]] = [
        (b"null", "got null", ""),
        (b"1", "got a number", ""),
        (b'"x"', "got a string", ""),
        (b"\xff", "not UTF-8", None),
        (b'{"query": "{ __typename }", "variables": {"v": ' + b"[" * 30_000, "deeper", None),
        (
            b'{"query": "' + int_query.encode() + b'", "variables": {"n": ' + b"9" * 5000 + b"}}",
            "digits",
            None,
        ),
        (
            json.dumps({"query": "{ __typename }", "operationName": LONE}).encode(),
            "lone surrogate",
            "/operationName",
        ),
    ]
    for body, fragment, pointer in attempts:
        response = await service.client.post(
            "/graphql", content=body, headers={"Content-Type": "application/json"}
        )
        error = graphql_error(response, 400)
        assert error["extensions"]["code"] == "invalid_query", (body[:40], error)
        assert fragment in error["message"], (body[:40], error)
        assert error["extensions"].get("pointer") == pointer, (body[:40], error)


async def test_regression_a_lone_surrogate_in_a_graphql_filter_is_bad_input(
    service: Service,
) -> None:
    # It reached the database and came back as data_source_error with HTTP 200.
    query = "query($c: String) { locations(filter: {city: $c}) { edges { cursor } } }"
    body = json.dumps({"query": query, "variables": {"c": LONE}}).encode()
    response = await service.client.post(
        "/graphql", content=body, headers={"Content-Type": "application/json"}
    )
    error = graphql_error(response, 400)
    assert error["extensions"] == {"code": "invalid_query", "pointer": "/variables/c"}
    assert "lone surrogate" in error["message"]


async def test_regression_lone_surrogates_in_jsonapi_writes_are_400_with_a_pointer(
    service: Service,
) -> None:
    before = await service.snapshot()

    def movie(attributes: dict[str, Any], **more: Any) -> dict[str, Any]:
        return {"data": {"type": "movies", "attributes": attributes, **more}}

    patch = movie({"title": LONE}, id=MOVIE, meta={"version": 1})
    atomic = {
        "atomic:operations": [
            {"op": "add", **movie({"title": "ok"})},
            {"op": "add", **movie({"title": "t", "logline": LONE})},
        ]
    }
    budget = {"budget": {"amount": LONE, "currency": "EUR"}}
    onboarding = {"data": {"type": "onboardings", "attributes": budget}}
    attempts = [
        ("POST", "/api/movies", movie({"title": LONE}), MEDIA, "/data/attributes/title"),
        ("POST", "/api/movies", movie({LONE: "x"}), MEDIA, "/data/attributes"),
        ("PATCH", f"/api/movies/{MOVIE}", patch, MEDIA, "/data/attributes/title"),
        ("POST", "/api/operations", atomic, ATOMIC, "/atomic:operations/1/data/attributes/logline"),
        ("POST", "/api/onboardings", onboarding, MEDIA, "/data/attributes/budget/amount"),
    ]
    for method, path, body, media, pointer in attempts:
        error = jsonapi_error(await _post_raw(service, path, body, media, method), 400)
        assert error["source"] == {"pointer": pointer}, (path, error)
        assert "lone surrogate" in error["detail"]
        assert "\\ud800" in error["detail"]  # escaped: the detail itself is UTF-8
    assert await service.snapshot() == before


async def test_regression_deeply_nested_jsonapi_bodies_are_400(service: Service) -> None:
    before = await service.snapshot()
    in_attribute = {"data": {"type": "movies", "attributes": {"title": "t"}}}
    in_attribute["data"]["attributes"]["genres"] = _nested(255)
    # 600 bytes (560 without spaces) answered 500: pydantic's serializer gave up at 255 levels.
    assert len(json.dumps(in_attribute)) < 700
    attempts = [
        ("/api/movies", in_attribute, MEDIA),
        ("/api/movies", b"[" * 950 + b"]" * 950, MEDIA),
        ("/api/operations", b"[" * 20_000 + b"]" * 20_000, ATOMIC),  # Python's parser overflows
    ]
    errors = []
    for path, body, media in attempts:
        error = jsonapi_error(await _post_raw(service, path, body, media), 400)
        assert "nested deeper than 64 levels" in error["detail"], error
        errors.append(error)
    # Where the parser got through (always at 255 levels), the pointer names the 65th level.
    assert errors[0]["source"] == {"pointer": "/data/attributes/genres" + "/0" * 61}
    assert await service.snapshot() == before


async def test_unhappy_path_invalid_values_get_a_capped_error_document(service: Service) -> None:
    # 150,000 invalid genres answered 41 MB of errors after 1.8 s; the body limit here allows
    # 12,000 of them, which is enough to show the cap.
    genres = {"title": "t", "genres": ["ab"] * 12_000}
    body = json.dumps({"data": {"type": "movies", "attributes": genres}}, separators=(",", ":"))
    response = await _post_raw(service, "/api/movies", body.encode())
    error = jsonapi_error(response, 422)
    assert error["source"] == {"pointer": "/data/attributes/genres/0"}
    errors = response.json()["errors"]
    assert len(errors) == MAX_ERRORS + 1
    assert errors[-1]["code"] == "too_many_errors"
    assert errors[-1]["detail"].startswith("11,900 more problems")
    assert len(response.content) < 40_000
    # GraphQL: validation stops after 100 errors; the response says what it leaves out.
    unknown = " ".join(f"f{n}" for n in range(150))
    body_errors = (await service.gql(f"{{ {unknown} }}")).json()["errors"]
    assert len(body_errors) == MAX_ERRORS + 1
    assert body_errors[-1]["extensions"] == {"code": "too_many_errors"}


async def test_unhappy_path_atomic_operations_are_capped_like_apply_changes(
    service: Service,
) -> None:
    before = await service.snapshot()
    add = {"op": "add", "data": {"type": "movies", "attributes": {"title": "Capped"}}}

    async def send(ops: list[Any]) -> httpx.Response:
        return await _post_raw(service, "/api/operations", {"atomic:operations": ops}, ATOMIC)

    # One valid add, then junk: over the cap, refused before the add runs.
    error = jsonapi_error(await send([add] + [{"op": "x"}] * MAX_OPERATIONS), 422)
    assert error["code"] == "invalid_input"
    assert error["source"] == {"pointer": "/atomic:operations"}
    assert f"at most {MAX_OPERATIONS:,} per request, got {MAX_OPERATIONS + 1:,}" in error["detail"]
    # At the cap the operations run (and the junk one is refused by itself).
    error = jsonapi_error(await send([add] + [{"op": "x"}] * (MAX_OPERATIONS - 1)), 400)
    assert error["source"] == {"pointer": "/atomic:operations/1/op"}
    assert await service.snapshot() == before
    changes = [{"removeMovie": {"id": "x", "version": 1}}] * (MAX_OPERATIONS + 1)
    refused = await service.gql(
        "mutation($c: [ChangeInput!]!) { applyChanges(changes: $c) { applied } }",
        {"c": changes},
        token=TOKEN,
    )
    error = graphql_error(refused)
    assert error["extensions"] == {"code": "invalid_input", "field": "changes"}
    assert f"at most {MAX_OPERATIONS:,} per request" in error["message"]


async def test_unhappy_path_several_operations_without_an_operation_name_are_refused(
    service: Service,
) -> None:
    # Strawberry ran the first one; the spec makes this a request error.
    before = await service.snapshot()
    document = (
        'mutation First { registerMovie(input: {title: "Unasked"}) { id } } '
        "query Second { __typename }"
    )
    error = graphql_error(await service.gql(document, token=TOKEN), 400)
    assert error["extensions"] == {"code": "invalid_query"}
    assert "2 operations: operationName must name the one to run" in error["message"]
    assert await service.snapshot() == before
    named = await service.client.post(
        "/graphql", json={"query": document, "operationName": "Second"}, headers=_AUTH
    )
    assert named.json() == {"data": {"__typename": "Query"}}


def _raw_exchange(base_url: str, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send ``request`` as bytes on a fresh connection; the status, headers and body answered."""
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as connection:
        connection.sendall(request)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
    return int(status_line.split()[1]), headers, body


async def test_unhappy_path_ambiguous_framing_is_refused_on_a_real_socket(tmp_path: Path) -> None:
    # A proxy that reads Content-Length, or does not unfold a header, where uvicorn's h11 reads
    # chunked framing would see a second request in the body: smuggling. h11 itself refuses two
    # Transfer-Encodings, one that is not `chunked`, and two Content-Lengths (checked here too).
    movie = json.dumps({"data": {"type": "movies", "attributes": {"title": "Smuggled"}}}).encode()
    query = json.dumps({"query": 'mutation { registerMovie(input: {title: "S"}) { id } }'}).encode()
    chunked = b"%x\r\n%s\r\n0\r\n\r\n"

    def request(path: str, body: bytes, framing: bytes, token: str) -> bytes:
        media = MEDIA if path.startswith("/api") else "application/json"
        return (
            b"POST %s HTTP/1.1\r\nHost: localhost\r\nContent-Type: %s\r\n"
            b"Authorization: Bearer %s\r\n%s\r\n"
            % (path.encode(), media.encode(), token.encode(), framing)
        ) + chunked % (len(body), body)

    both = b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n"
    folded_encoding = b"Transfer-Encoding:\r\n chunked\r\n"
    folded_other = b"X-Note: a\r\n\tb\r\nTransfer-Encoding: chunked\r\n"
    with live_service(tmp_path) as live:
        token = live.token

        def movies() -> int:
            page = httpx.get(f"{live.base_url}/api/movies", params={"page[size]": "500"})
            return len(page.json()["data"])

        stored = movies()
        for framing, where, fragment in (
            (both, "Transfer-Encoding", "both Content-Length and Transfer-Encoding"),
            (folded_encoding, None, "folded"),
            (folded_other, None, "folded"),
        ):
            status, headers, body = _raw_exchange(
                live.base_url, request("/api/movies", movie, framing, token)
            )
            assert status == 400, body
            assert headers["content-type"].startswith(MEDIA)
            assert headers.get("connection", "").lower() == "close"
            [error] = json.loads(body)["errors"]
            assert not [e.message for e in _JSONAPI.iter_errors({"errors": [error]})]
            assert error["code"] == "bad_request"
            assert fragment in error["detail"]
            assert error.get("source") == ({"header": where} if where else None)
            status, headers, body = _raw_exchange(
                live.base_url, request("/graphql", query, framing, token)
            )
            assert status == 400, body
            [error] = json.loads(body)["errors"]
            assert error["extensions"] == {"code": "bad_request"}
            assert fragment in error["message"]
        for framing in (
            b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
            b"Transfer-Encoding: gzip, chunked\r\n",
            b"Content-Length: 5\r\nContent-Length: 6\r\n",
        ):  # what h11 already refuses (plain text, but refused before any endpoint)
            status, _, _ = _raw_exchange(
                live.base_url, request("/api/movies", movie, framing, token)
            )
            assert status == 400
        assert movies() == stored
        # The same request framed once is served: the checks refuse only ambiguity.
        status, _, body = _raw_exchange(
            live.base_url,
            request(
                "/api/movies", movie, b"Transfer-Encoding: chunked\r\nConnection: close\r\n", token
            ),
        )
        assert status == 201, body
        assert movies() == stored + 1


# --- tokens -------------------------------------------------------------------------------------


def _write_routes(spec: dict[str, Any]) -> list[tuple[str, str]]:
    """Every documented write under /api, with ids that exist (so auth decides, not a 404)."""
    ids = {"/api/productions/{id}/advance": PRODUCTION}
    routes = []
    for path, item in spec["paths"].items():
        if not path.startswith("/api/"):
            continue
        for method in item:
            if method in {"post", "patch", "put", "delete"}:
                concrete = path.replace(
                    "{id}", ids.get(path, MOVIE if "movies" in path else HARBOUR)
                )
                routes.append((method.upper(), concrete))
    return routes


MUTATIONS = {
    "registerMovie": 'mutation { registerMovie(input: {title: "Nope"}) { id } }',
    "registerLocation": 'mutation { registerLocation(input: {name: "n", city: "c", '
    'country: "PT", latitude: 1, longitude: 1}) { id } }',
    "onboardProduction": "mutation($m: ID!) { onboardProduction(input: {movieId: $m, budget: "
    '{amount: "1", currency: "EUR"}, startsOn: "2030-01-01", wrapsOn: "2030-01-02"}) { id } }',
    "advanceProduction": "mutation($p: ID!) { advanceProduction(id: $p, toPhase: CANCELLED, "
    "expectedVersion: 1) { id } }",
    "rescheduleShootDay": "mutation($p: ID!) { rescheduleShootDay(id: $p, "
    'newDate: "2030-01-01", expectedVersion: 1) { id } }',
    "cancelShootDay": "mutation($p: ID!) { cancelShootDay(id: $p, expectedVersion: 1) }",
    "applyChanges": "mutation($p: ID!) { applyChanges(changes: [{removeMovie: "
    "{id: $p, version: 1}}]) { __typename } }",
}


@pytest.mark.parametrize("token", [None, "wrong-token", f"{TOKEN}x", TOKEN[:-1], ""])
async def test_unhappy_path_every_write_without_the_token_is_refused(
    guarded: Service, token: str | None
) -> None:
    service = guarded
    before = await service.snapshot()
    spec = (await service.client.get("/api/openapi.json", headers=_AUTH)).json()
    routes = _write_routes(spec)
    assert len(routes) >= 4 * 3 + 3, routes
    headers = {"Content-Type": MEDIA}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    body = json.dumps({"data": {"type": "movies", "id": MOVIE, "attributes": {"title": "Pwned"}}})
    for method, path in routes:
        sent = {**headers, "Content-Type": ATOMIC} if path.endswith("operations") else headers
        response = await service.client.request(method, path, content=body, headers=sent)
        error = jsonapi_error(response, 401, 403)
        assert response.status_code == 401 or token is not None
        assert error["source"] == {"header": "Authorization"}
    schema_mutations = {
        field["name"]
        for field in (
            await service.gql("{ __schema { mutationType { fields { name } } } }", token=TOKEN)
        ).json()["data"]["__schema"]["mutationType"]["fields"]
    }
    assert schema_mutations == set(MUTATIONS), "a mutation is not covered here"
    for document in MUTATIONS.values():
        variables = {"m": MOVIE, "p": PRODUCTION}
        used = {k: v for k, v in variables.items() if f"${k}" in document}
        response = await service.gql(document, used, token=token)
        assert graphql_error(response, 401)["extensions"] == {"code": "unauthorized"}
    assert await service.snapshot() == before
    count("abuse refused writes", len(routes) + len(MUTATIONS))


# --- secrets --------------------------------------------------------------------------------


async def test_unhappy_path_no_secret_reaches_logs_or_bodies(
    caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    password = "pw-7c1e9b0d"
    # A database that refuses connections: every read fails, and the URL has a password.
    url = f"postgresql+asyncpg://hexstudio:{password}@127.0.0.1:9/studio"
    settings = Settings(
        data_source={"default": "sql", "sql": {"url": url}},  # type: ignore[arg-type]
        service={"data_source": "sql", "token": TOKEN},  # type: ignore[arg-type]
    )
    caplog.set_level(logging.DEBUG)
    bodies = []
    async with bootstrap(settings) as container:
        transport = httpx.ASGITransport(app=create_app(container))
        async with httpx.AsyncClient(transport=transport, base_url="http://abuse") as client:
            for token in (TOKEN, "wrong"):
                auth = {"Authorization": f"Bearer {token}"}
                responses = [
                    await client.get("/healthz", headers=auth),
                    await client.get("/api/movies", headers=auth),
                    await client.get(f"/api/movies/{MOVIE}", headers=auth),
                    await client.post(
                        "/api/movies",
                        content=json.dumps({"data": {"type": "movies", "attributes": {"t": 1}}}),
                        headers={**WRITE, **auth},
                    ),
                    await client.post(
                        "/graphql", json={"query": "{ movies { edges { cursor } } }"}, headers=auth
                    ),
                    await client.post(
                        "/graphql",
                        json={"query": 'mutation { registerMovie(input: {title: "x"}) { id } }'},
                        headers=auth,
                    ),
                ]
                bodies.extend(r.text for r in responses)
                statuses = {r.status_code for r in responses}
                assert statuses & {503}, statuses  # the failures happened
                assert max(statuses) < 600
    captured = capfd.readouterr()
    everything = "\n".join([*bodies, caplog.text, captured.out, captured.err])
    assert "data source failure" in caplog.text or "unavailable" in everything
    for secret in (password, TOKEN, quote(password)):
        assert secret not in everything, f"{secret!r} leaked"
