"""Fixtures of the medium example's tests: its domain over the memory and the SQL source."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import pytest
from adapters.memory import MemoryDataSource
from adapters.sql import SqlDataSource, create_data_source, migrate
from domain import UnitOfWorkFactory
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from hexstudio_medium import DOMAIN, MediumUseCases

VERSIONS = DOMAIN.migrations
assert VERSIONS is not None

SERVERS = {
    "postgres": "HEXSTUDIO_TEST_POSTGRES_URL",
    "mariadb": "HEXSTUDIO_TEST_MARIADB_URL",
}
"""The variables naming the test servers, as in the framework's own suite (``.ci/run``)."""


async def _admin(server: str, statement: str) -> None:
    engine = create_async_engine(server, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


@asynccontextmanager
async def _empty_database(engine: str, tmp_path: Path) -> AsyncIterator[str]:
    name = f"hexstudio_medium_{uuid.uuid4().hex[:12]}"
    if engine == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / (name + '.db')}"
        return
    server = os.environ.get(SERVERS[engine])
    if not server:
        pytest.skip(f"set {SERVERS[engine]} to run this against {engine}")
    if engine == "postgres":
        create, drop = f"CREATE DATABASE {name}", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    else:
        create = f"CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin"
        drop = f"DROP DATABASE IF EXISTS {name}"
    await _admin(server, create)
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        await _admin(server, drop)


EmptyDatabase = Callable[[str], AbstractAsyncContextManager[str]]


@pytest.fixture
def empty_database(tmp_path: Path) -> EmptyDatabase:
    """Opens a new, empty database of an engine (``sqlite``, ``postgres``, ``mariadb``).

    The context yields its URL and drops it afterwards; SQLite is a file under ``tmp_path``,
    and a server engine skips the test unless its variable is set.
    """
    return lambda engine: _empty_database(engine, tmp_path)


@pytest.fixture
async def sql_source(tmp_path: Path) -> AsyncIterator[SqlDataSource]:
    """The SQL source over a SQLite file migrated with the medium revisions."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'medium.db'}"
    await migrate.upgrade(url, versions=VERSIONS)
    source = create_data_source({"url": url})
    try:
        yield source
    finally:
        await source.aclose()


@pytest.fixture(params=["memory", "sql"])
def uow(request: pytest.FixtureRequest) -> UnitOfWorkFactory:
    """A unit-of-work factory of each source the rules must hold on."""
    if request.param == "memory":
        return MemoryDataSource().unit_of_work
    source: SqlDataSource = request.getfixturevalue("sql_source")
    return source.unit_of_work


@pytest.fixture
def medium(uow: UnitOfWorkFactory) -> MediumUseCases:
    """Medium's use cases over each source."""
    return MediumUseCases(uow)
