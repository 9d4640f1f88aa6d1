"""Python's ``gql`` client, with its defaults, against the live service over real HTTP."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from gql import Client, GraphQLRequest, gql
from gql.transport.exceptions import TransportQueryError
from gql.transport.httpx import HTTPXAsyncTransport

from tests.support.live_service import LiveService

pytestmark = pytest.mark.asyncio(loop_scope="session")

REGISTER = """mutation Register($title: String!) {
  registerMovie(input: {title: $title, genres: [DRAMA]}) { id title genres version }
}"""
MOVIE = "query Movie($id: ID!) { movie(id: $id) { id title } }"


def _client(live: LiveService, *, schema: bool = True, **headers: str) -> Client:
    transport = HTTPXAsyncTransport(url=f"{live.base_url}/graphql", headers=headers, timeout=10)
    return Client(transport=transport, fetch_schema_from_transport=schema)


@pytest.fixture
async def writer(live: LiveService) -> AsyncIterator[Any]:
    """A session of a client that sends the write token and validates against introspection."""
    async with _client(live, Authorization=f"Bearer {live.token}") as session:
        yield session


async def test_happy_path_gql_introspects_the_schema_and_validates_against_it(
    live: LiveService,
) -> None:
    client = _client(live)
    async with client:
        assert client.schema is not None
        movie = client.schema.get_type("Movie")
        assert movie is not None
        assert {"id", "title", "productions"} <= set(movie.fields)  # type: ignore[attr-defined]
        assert client.schema.mutation_type is not None
        assert "applyChanges" in client.schema.mutation_type.fields


async def test_happy_path_gql_registers_a_movie_with_the_token_and_reads_it_back(
    writer: Any,
) -> None:
    title = f"gql {uuid.uuid4().hex[:8]}"
    answer = await writer.execute(GraphQLRequest(REGISTER, variable_values={"title": title}))
    created = answer["registerMovie"]
    assert created["title"] == title
    assert created["genres"] == ["DRAMA"]
    assert created["version"] == 1
    found = await writer.execute(GraphQLRequest(MOVIE, variable_values={"id": created["id"]}))
    assert found == {"movie": {"id": created["id"], "title": title}}


async def test_happy_path_gql_reads_an_unknown_id_as_none_without_raising(writer: Any) -> None:
    # Before issue 13 the answer carried an errors entry, on which gql (like Apollo) raises.
    found = await writer.execute(GraphQLRequest(MOVIE, variable_values={"id": str(uuid.uuid4())}))
    assert found == {"movie": None}


async def test_unhappy_path_gql_without_the_token_raises_with_the_code(live: LiveService) -> None:
    async with _client(live) as session:
        with pytest.raises(TransportQueryError) as refused:
            await session.execute(GraphQLRequest(REGISTER, variable_values={"title": "Refused"}))
    assert refused.value.errors is not None
    assert refused.value.errors[0]["extensions"]["code"] == "unauthorized"


@pytest.mark.parametrize("accept", [None, "application/graphql-response+json"])
async def test_unhappy_path_gql_raises_a_request_error_with_its_code_for_either_media_type(
    live: LiveService, accept: str | None
) -> None:
    # No local schema, so the server validates: a 400 in the new type is still a GraphQL answer.
    headers = {} if accept is None else {"Accept": accept}
    async with _client(live, schema=False, **headers) as session:
        with pytest.raises(TransportQueryError) as refused:
            await session.execute(gql("{ movies { edges { nope } } }"))
    assert refused.value.errors is not None
    assert refused.value.errors[0]["extensions"]["code"] == "invalid_query"
