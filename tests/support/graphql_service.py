"""The GraphQL endpoint in process (httpx's ASGI transport) over a migrated SQLite file."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters.sql import SqlDataSource
from app.bootstrap import Interactors, bootstrap
from app.service import create_app
from app.settings import Settings
from tests.support.databases import migrated_source

TOKEN = "graphql-test-token"


@dataclass
class GraphQLService:
    """Posts documents to ``/graphql``; ``studio`` seeds the same database through the domain."""

    client: httpx.AsyncClient
    source: SqlDataSource
    studio: Interactors

    async def post(
        self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = TOKEN
    ) -> httpx.Response:
        """The raw response to one operation."""
        body: dict[str, Any] = {"query": query}
        if variables is not None:
            body["variables"] = variables
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return await self.client.post("/graphql", json=body, headers=headers)

    async def data(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        """The ``data`` of a successful operation (fails the test on any error)."""
        response = await self.post(query, variables)
        body = response.json()
        assert response.status_code == 200, body
        assert "errors" not in body, body["errors"]
        return body["data"]

    async def errors(
        self, query: str, variables: dict[str, Any] | None = None, *, status: int = 200
    ) -> list[dict[str, Any]]:
        """The ``errors`` of a failing operation (fails the test if there are none)."""
        response = await self.post(query, variables)
        body = response.json()
        assert response.status_code == status, (response.status_code, body)
        assert body.get("errors"), body
        return list(body["errors"])


def settings(database_url: str, **service: Any) -> Settings:
    """Settings of a service over ``database_url`` that requires TOKEN for writes."""
    return Settings(
        data_source={"default": "sql", "sql": {"url": database_url}},  # type: ignore[arg-type]
        service={"data_source": "sql", "token": TOKEN, **service},  # type: ignore[arg-type]
    )


@pytest.fixture(scope="session", name="graphql_service")
async def graphql_service_fixture() -> AsyncIterator[GraphQLService]:
    """One in-process service per session over its own migrated SQLite file."""
    with tempfile.TemporaryDirectory(prefix="hexstudio-gql-") as tmp:
        async with migrated_source("sqlite", Path(tmp), pool_size=20) as source:
            url = source.engine.url.render_as_string(hide_password=False)
            async with bootstrap(settings(url), source=_Unclosed(source)) as container:
                app = create_app(container)
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(transport=transport, base_url="http://gql") as client:
                    yield GraphQLService(client, source, container.interactors)


class _Unclosed:
    """The source as bootstrap sees it; migrated_source closes the real one."""

    def __init__(self, source: SqlDataSource) -> None:
        self._source = source
        self.name = source.name
        self.capabilities = source.capabilities

    def unit_of_work(self) -> Any:
        return self._source.unit_of_work()

    async def check(self) -> str:
        return await self._source.check()

    async def aclose(self) -> None:
        pass
