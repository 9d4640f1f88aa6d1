"""Medium served by hexstudio's service: both APIs for its resources, not one line of service code.

The app is the framework's own (``create_app``) over a container built for ``domain="medium"``;
everything the requests below reach is derived from this distribution's catalog.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from adapters.graphql import GraphQLDataSource
from adapters.http import parse_http_options
from adapters.json_api import JsonApiDataSource
from adapters.memory import MemoryDataSource
from adapters.testing import Check, Harness, Status, checks_for, run_check
from app.bootstrap import bootstrap
from app.service import create_app
from app.settings import Settings

from hexstudio_medium import MEDIUM

JSONAPI = "application/vnd.api+json"


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    """The service for the medium domain over an empty memory source."""
    settings = Settings(domain="medium")
    async with bootstrap(settings, source=MemoryDataSource()) as container:
        transport = httpx.ASGITransport(app=create_app(container))
        async with httpx.AsyncClient(transport=transport, base_url="http://medium") as client:
            yield client


async def _create(
    client: httpx.AsyncClient, kind: str, attributes: dict[str, Any], **rel: str
) -> str:
    relationships = {
        name: {"data": {"type": target, "id": id}}
        for name, (target, id) in ((n, v.split(":", 1)) for n, v in rel.items())
    }
    body = {"data": {"type": kind, "attributes": attributes, "relationships": relationships}}
    response = await client.post(f"/api/{kind}", json=body, headers={"Content-Type": JSONAPI})
    assert response.status_code == 201, response.text
    created: str = response.json()["data"]["id"]
    return created


async def _graphql(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return body["data"]  # type: ignore[no-any-return]


async def test_happy_path_jsonapi_serves_medium_resources_with_relationships_both_ways(
    client: httpx.AsyncClient,
) -> None:
    ada = await _create(client, "people", {"handle": "ada", "name": "Ada"})
    post = await _create(
        client,
        "posts",
        {"title": "On engines", "published_on": "2013-01-02", "tags": ["technology"]},
        author=f"people:{ada}",
    )

    listed = await client.get("/api/posts", params={"filter[author_id]": ada, "include": "author"})
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert [r["id"] for r in body["data"]] == [post]
    assert body["data"][0]["relationships"]["author"]["data"] == {"type": "people", "id": ada}
    assert body["included"][0]["attributes"]["handle"] == "ada"

    person = (await client.get(f"/api/people/{ada}", params={"include": "posts"})).json()
    assert [r["id"] for r in person["data"]["relationships"]["posts"]["data"]] == [post]
    assert person["data"]["relationships"]["followers"]["links"]["related"].endswith(
        f"/api/follows?filter%5Bfollowee_id%5D={ada}"
    )


async def test_happy_path_graphql_serves_medium_reads_and_apply_changes(
    client: httpx.AsyncClient,
) -> None:
    ada = await _create(client, "people", {"handle": "ada", "name": "Ada"})
    bob = await _create(client, "people", {"handle": "bob", "name": "Bob"})
    follow = "11111111-1111-4111-8111-111111111111"
    applied = await _graphql(
        client,
        "mutation($c: [ChangeInput!]!) { applyChanges(changes: $c) { applied } }",
        c=[
            {
                "addFollow": {
                    "id": follow,
                    "version": 1,
                    "followerId": bob,
                    "followeeId": ada,
                    "since": "2014-05-06",
                }
            }
        ],
    )
    assert applied == {"applyChanges": {"applied": 1}}

    data = await _graphql(
        client,
        "query($id: ID!) { person(id: $id) { handle followers { edges { node { "
        "follower { handle } since } } } } follows(filter: {followeeId: $id}) { "
        "edges { node { id } } } }",
        id=ada,
    )
    assert data["person"]["handle"] == "ada"
    assert [e["node"]["follower"]["handle"] for e in data["person"]["followers"]["edges"]] == [
        "bob"
    ]
    assert [e["node"]["id"] for e in data["follows"]["edges"]] == [follow]


async def test_unhappy_path_the_studio_is_not_served_for_medium(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/movies")).status_code == 404
    assert (await client.post("/api/onboardings", json={})).status_code in {404, 405}
    response = await client.post(
        "/graphql", json={"query": "{ movies(first: 1) { edges { cursor } } }"}
    )
    assert response.status_code == 200
    assert "Cannot query field 'movies'" in response.json()["errors"][0]["message"]
    document = (await client.get("/api/openapi.json")).json()
    assert "/api/people" in document["paths"]
    assert not any(path.startswith("/api/movies") for path in document["paths"])


async def test_unhappy_path_a_broken_medium_rule_of_the_catalog_is_a_jsonapi_conflict(
    client: httpx.AsyncClient,
) -> None:
    await _create(client, "people", {"handle": "ada", "name": "Ada"})
    again = {"data": {"type": "people", "attributes": {"handle": "ada", "name": "Other"}}}
    response = await client.post("/api/people", json=again, headers={"Content-Type": JSONAPI})
    assert response.status_code == 409, response.text
    assert response.json()["errors"][0]["code"] == "conflict.handle_taken"


@pytest.mark.parametrize("check", checks_for(MEDIUM), ids=lambda c: c.name)
@pytest.mark.parametrize("protocol", ["json_api", "graphql"])
async def test_conformance_over_the_served_medium(protocol: str, check: Check) -> None:
    """The json_api and graphql sources pass the kit against the medium service they reach."""
    async with bootstrap(Settings(domain="medium"), source=MemoryDataSource()) as container:
        transport = httpx.ASGITransport(app=create_app(container))
        if protocol == "json_api":
            options = parse_http_options({"url": "http://medium/api"})
            source: JsonApiDataSource | GraphQLDataSource = JsonApiDataSource(
                options, transport=transport
            )
        else:
            options = parse_http_options({"url": "http://medium/graphql"})
            source = GraphQLDataSource(options, transport=transport)
        try:
            await source.check()
            harness = Harness(source.unit_of_work, source.capabilities, MEDIUM)
            result = await run_check(harness, check)
        finally:
            await source.aclose()
    assert result.status is Status.PASS, f"{result.status}: {result.detail}"
