"""The data sources the conformance kit runs against: one parameter each.

Adding a source here is all it takes to prove it: the checks never change per adapter.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import pytest

from adapters import graphql
from adapters.json_api import JsonApiDataSource, create_data_source
from adapters.memory import MemoryDataSource
from adapters.spi import DataSource
from adapters.testing import Harness
from domain import STUDIO
from tests.support.databases import sql_source
from tests.support.live_service import LiveService


@asynccontextmanager
async def memory_source() -> AsyncIterator[DataSource]:
    """The reference: a fresh in-process store."""
    yield MemoryDataSource()


@asynccontextmanager
async def json_api_source(live: LiveService) -> AsyncIterator[JsonApiDataSource]:
    """The json_api adapter against the live reference service (uvicorn on loopback)."""
    source = create_data_source({"url": f"{live.base_url}/api", "token": live.token})
    try:
        yield source
    finally:
        await source.aclose()


@asynccontextmanager
async def graphql_source(live: LiveService) -> AsyncIterator[DataSource]:
    """The graphql adapter against the live reference service (uvicorn on loopback)."""
    source = graphql.create_data_source({"url": f"{live.base_url}/graphql", "token": live.token})
    try:
        yield source
    finally:
        await source.aclose()


# A factory's parameters name the fixtures it needs (json_api needs the live service).
SOURCES: dict[str, Callable[..., AbstractAsyncContextManager[DataSource]]] = {
    "memory": memory_source,
    "sql-sqlite": lambda: sql_source("sqlite"),
    "sql-postgres": lambda: sql_source("postgres"),
    "sql-mariadb": lambda: sql_source("mariadb"),
    "json_api": json_api_source,
    "graphql": graphql_source,
}


@pytest.fixture(scope="session", params=sorted(SOURCES))
def opened_source(request: pytest.FixtureRequest) -> AbstractAsyncContextManager[DataSource]:
    """Each registered source's context manager, its fixtures resolved outside the loop."""
    factory = SOURCES[request.param]
    needs = {name: request.getfixturevalue(name) for name in inspect.signature(factory).parameters}
    return factory(**needs)


@pytest.fixture(scope="session")
async def data_source(
    opened_source: AbstractAsyncContextManager[DataSource],
) -> AsyncIterator[DataSource]:
    """Each registered source, opened once per test session."""
    async with opened_source as source:
        yield source


@pytest.fixture
def harness(data_source: DataSource) -> Harness:
    """The conformance harness over the source under test."""
    return Harness(data_source.unit_of_work, data_source.capabilities, STUDIO)
