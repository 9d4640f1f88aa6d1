"""What the GraphQL endpoint refuses, and how: tokens, depth, malformed requests, bugs."""

from __future__ import annotations

import dataclasses
from typing import Any

import httpx
import pytest

from app.bootstrap import Interactors
from app.service import create_app
from domain import DataSourceUnavailable
from tests.support.graphql_service import TOKEN, GraphQLService, graphql_service_fixture  # noqa: F401

pytestmark = pytest.mark.asyncio(loop_scope="session")

MUTATION = 'mutation { registerMovie(input: {title: "Guarded"}) { id } }'


@pytest.mark.parametrize("token", [None, "wrong-token"])
async def test_unhappy_path_mutations_without_the_token_get_401_and_write_nothing(
    graphql_service: GraphQLService,
    token: str | None,
) -> None:
    response = await graphql_service.post(MUTATION, token=token)
    assert response.status_code == 401
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {"code": "unauthorized"}
    assert TOKEN not in response.text


async def test_happy_path_queries_are_open_when_no_read_token_is_set(
    graphql_service: GraphQLService,
) -> None:
    response = await graphql_service.post("{ movies(first: 1) { edges { cursor } } }", token=None)
    assert response.status_code == 200
    assert "errors" not in response.json()


@pytest.fixture
async def client_with(graphql_service: GraphQLService):  # type: ignore[no-untyped-def]
    """Build a client over the same container with other service settings or interactors."""
    clients: list[httpx.AsyncClient] = []

    async def build(interactors: Interactors | None = None, **service: Any) -> httpx.AsyncClient:
        container = graphql_service.client._transport.app.state.container  # type: ignore[attr-defined]
        settings = container.settings.model_copy(
            update={"service": container.settings.service.model_copy(update=service)}
        )
        use_cases = interactors or container.interactors
        app = create_app(
            dataclasses.replace(
                container, settings=settings, uow=use_cases.uow, use_cases=use_cases
            )
        )
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gql")
        clients.append(client)
        return client

    yield build
    for client in clients:
        await client.aclose()


async def test_unhappy_path_queries_need_the_read_token_once_one_is_set(client_with: Any) -> None:
    from pydantic import SecretStr

    client = await client_with(read_token=SecretStr("reader"))
    query = {"query": "{ movies(first: 1) { edges { cursor } } }"}
    refused = await client.post("/graphql", json=query)
    assert refused.status_code == 401
    assert refused.json()["errors"][0]["extensions"]["code"] == "unauthorized"
    for token in ("reader", TOKEN):
        ok = await client.post("/graphql", json=query, headers={"Authorization": f"Bearer {token}"})
        assert ok.status_code == 200, ok.text


async def test_unhappy_path_queries_deeper_than_the_limit_are_refused(
    graphql_service: GraphQLService,
) -> None:
    path = "productions edges node movie productions edges node shootDays edges node location"
    deep = "{ " + " { ".join(path.split()) + " { name" + " }" * 12
    [error] = await graphql_service.errors(deep)
    assert error["extensions"]["code"] == "invalid_query"
    assert "depth" in error["message"]


NESTED = """query($outer: Int!, $inner: Int!) { productions(first: $outer) { edges { node {
  shootDays(first: $inner) { edges { node { location { name } } } } } } } }"""


async def test_unhappy_path_operations_asking_for_too_many_entities_are_refused_before_running(
    graphql_service: GraphQLService,
) -> None:
    [error] = await graphql_service.errors(NESTED, {"outer": 500, "inner": 500})
    assert error["extensions"] == {"code": "invalid_query", "reason": "too_costly"}
    assert "500,500 entities" in error["message"]  # 500 + 500 x 500 x 2, before any resolver


async def test_happy_path_the_same_nesting_with_smaller_pages_runs(
    graphql_service: GraphQLService,
) -> None:
    data = await graphql_service.data(NESTED, {"outer": 100, "inner": 40})
    assert isinstance(data["productions"]["edges"], list)


# A field, an argument, an enum literal and an enum variable each a letter off.
MISSPELT = [
    ({"query": "{ movis { edges { cursor } } }"}, "movies"),
    ({"query": "{ movies(frist: 1) { edges { cursor } } }"}, "first"),
    ({"query": "{ movies(filter: {genre: DRAM}) { edges { cursor } } }"}, "DRAMA"),
    (
        {
            "query": "query($g: Genre) { movies(filter: {genre: $g}) { edges { cursor } } }",
            "variables": {"g": "DRAM"},
        },
        "DRAMA",
    ),
]


async def test_unhappy_path_without_the_read_token_errors_suggest_no_schema_names(
    client_with: Any,
) -> None:
    # "Did you mean 'movies'?" would map the schema for a client the read token keeps out of
    # introspection (issue 11); a reader with the token still gets the suggestions.
    from pydantic import SecretStr

    client = await client_with(read_token=SecretStr("reader"))
    for body, name in MISSPELT:
        for token in (None, "wrong"):
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            response = await client.post("/graphql", json=body, headers=headers)
            [error] = response.json()["errors"]
            # A bad variable is found after the token check: refused unread, no suggestion.
            assert error["extensions"]["code"] in {"invalid_query", "unauthorized"}, error
            assert "Did you mean" not in error["message"], error
            assert f"'{name}'" not in error["message"], error
        allowed = await client.post(
            "/graphql", json=body, headers={"Authorization": "Bearer reader"}
        )
        assert "Did you mean" in allowed.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("{ movies { edges { nope } } }", "Cannot query field 'nope'"),
        ("{ movies(first: 1 { edges }", "Syntax Error"),
        ("query($d: Date!) { shootDays(filter: {dateFrom: $d}) { edges { cursor } } }", "$d"),
    ],
)
async def test_unhappy_path_bad_documents_get_invalid_query_errors_not_500(
    graphql_service: GraphQLService,
    query: str,
    fragment: str,
) -> None:
    [error] = await graphql_service.errors(query, {"d": "2031-02-30"})
    assert error["extensions"]["code"] == "invalid_query"
    assert fragment in error["message"]


@pytest.mark.parametrize("content", [b"{not json", b'{"variables": {}}', b'{"query": 42}', b"[]"])
async def test_unhappy_path_malformed_bodies_get_a_json_error(
    graphql_service: GraphQLService,
    content: bytes,
) -> None:
    response = await graphql_service.client.post(
        "/graphql", content=content, headers={"Content-Type": "application/json"}
    )
    assert 400 <= response.status_code < 500
    assert response.json()["errors"][0]["extensions"]["code"] == "invalid_query"


class _Broken:
    """A unit of work that fails as a bug would, or as a database outage does."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def __call__(self) -> Any:
        raise self.error


async def test_unhappy_path_unexpected_errors_are_masked_and_logged(
    client_with: Any, caplog: pytest.LogCaptureFixture
) -> None:
    client = await client_with(Interactors(_Broken(KeyError("secret internals"))))
    response = await client.post("/graphql", json={"query": "{ movies { edges { cursor } } }"})
    assert response.status_code == 200
    [error] = response.json()["errors"]
    assert error == {
        "message": "Unexpected error.",
        "locations": [{"line": 1, "column": 3}],
        "path": ["movies"],
        "extensions": {"code": "internal_error"},
    }
    assert "secret internals" not in response.text
    assert "Traceback" not in response.text
    assert "secret internals" in caplog.text


async def test_unhappy_path_an_unavailable_store_gives_503(client_with: Any) -> None:
    client = await client_with(Interactors(_Broken(DataSourceUnavailable("db down"))))
    response = await client.post("/graphql", json={"query": "{ movies { edges { cursor } } }"})
    assert response.status_code == 503
    assert response.json()["errors"][0]["extensions"]["code"] == "data_source_unavailable"


async def test_graphiql_is_served_on_get_only_in_debug(client_with: Any) -> None:
    quiet = await client_with(debug=False)
    assert (await quiet.get("/graphql", headers={"Accept": "text/html"})).status_code >= 400
    debug = await client_with(debug=True)
    page = await debug.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()


async def test_a_repeated_document_is_validated_once(
    graphql_service: GraphQLService,
) -> None:
    from strawberry.extensions.validation_cache import _get_validate_cache

    cache = _get_validate_cache(256)
    query = "{ locations(first: 2) { pageInfo { hasNextPage } } }"
    await graphql_service.data(query)
    before = cache.cache_info()
    await graphql_service.data(query)
    after = cache.cache_info()
    assert (after.hits - before.hits, after.misses - before.misses) == (1, 0)
