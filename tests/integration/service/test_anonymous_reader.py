"""What a reader without the read token learns: nothing but that the service is alive.

Issue 11 item 6: with a read token set, the OpenAPI document, the health details and GraphQL's
answers were open to anyone, and 503 bodies named the database's host and port.
"""

from __future__ import annotations

import json
import socket
from collections.abc import AsyncIterator

import httpx
import pytest

from app.bootstrap import bootstrap
from app.service import create_app
from app.settings import Settings
from tests.support.jsonapi import error_of, in_process

READER = {"Authorization": "Bearer reader"}


@pytest.fixture
async def guarded() -> AsyncIterator[httpx.AsyncClient]:
    async with in_process(read_token="reader") as (client, _):
        yield client


async def test_unhappy_path_the_openapi_document_needs_the_read_token(
    guarded: httpx.AsyncClient,
) -> None:
    assert error_of(await guarded.get("/api/openapi.json"), 401)["code"] == "unauthorized"
    document = await guarded.get("/api/openapi.json", headers=READER)
    assert document.status_code == 200
    assert "/api/movies" in document.json()["paths"]


async def test_happy_path_the_openapi_document_is_open_without_a_read_token() -> None:
    async with in_process() as (client, _):
        assert "/api/movies" in (await client.get("/api/openapi.json")).json()["paths"]


async def test_unhappy_path_anonymous_health_is_liveness_only(guarded: httpx.AsyncClient) -> None:
    anonymous = await guarded.get("/healthz")
    assert anonymous.status_code == 200
    assert anonymous.json() == {"status": "alive"}
    detailed = (await guarded.get("/healthz", headers=READER)).json()
    assert detailed["status"] == "ok"
    assert "in-process store" in json.dumps(detailed["sources"])


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port  # nothing listens once the probe is closed


async def test_unhappy_path_503_bodies_name_no_host_or_port() -> None:
    port = _closed_port()
    url = f"postgresql+asyncpg://postgres@127.0.0.1:{port}/studio"
    settings = Settings(
        data_source={"default": "sql", "sql": {"url": url}},  # type: ignore[arg-type]
        service={"data_source": "sql"},  # type: ignore[arg-type]
    )
    async with bootstrap(settings) as container:
        transport = httpx.ASGITransport(app=create_app(container))
        async with httpx.AsyncClient(transport=transport, base_url="http://studio") as client:
            responses = [
                await client.get("/healthz"),
                await client.get("/api/movies"),
                await client.post("/graphql", json={"query": "{ movies { edges { cursor } } }"}),
            ]
    for response in responses:
        assert response.status_code == 503, response.text
        assert "127.0.0.1" not in response.text, response.text
        assert str(port) not in response.text, response.text
        assert "unavailable" in response.text
