"""The data sources the conformance kit runs against: one parameter each.

Adding a source here is all it takes to prove it: the checks never change per adapter.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import pytest

from adapters.memory import MemoryDataSource
from adapters.spi import DataSource
from adapters.testing import Harness
from tests.support.databases import sql_source


@asynccontextmanager
async def memory_source() -> AsyncIterator[DataSource]:
    """The reference: a fresh in-process store."""
    yield MemoryDataSource()


SOURCES: dict[str, Callable[[], AbstractAsyncContextManager[DataSource]]] = {
    "memory": memory_source,
    "sql-sqlite": lambda: sql_source("sqlite"),
    "sql-postgres": lambda: sql_source("postgres"),
    "sql-mariadb": lambda: sql_source("mariadb"),
}


@pytest.fixture(scope="session", params=sorted(SOURCES))
async def data_source(request: pytest.FixtureRequest) -> AsyncIterator[DataSource]:
    """Each registered source, opened once per test session."""
    async with SOURCES[request.param]() as source:
        yield source


@pytest.fixture
def harness(data_source: DataSource) -> Harness:
    """The conformance harness over the source under test."""
    return Harness(uow=data_source.unit_of_work, capabilities=data_source.capabilities)
