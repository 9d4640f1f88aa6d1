"""Throwaway databases on the PostgreSQL and MariaDB test servers, and SQLite files.

The server URLs come from HEXSTUDIO_TEST_POSTGRES_URL and HEXSTUDIO_TEST_MARIADB_URL (set by
``.ci/run``). When one is unset, tests needing it skip and say which variable to set; when it
is set, a server that cannot be reached fails the tests rather than skipping them.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.sql import SqlDataSource, parse_options
from adapters.sql.migrate import upgrade

SERVER_ENV = {
    "postgres": "HEXSTUDIO_TEST_POSTGRES_URL",
    "mariadb": "HEXSTUDIO_TEST_MARIADB_URL",
}
"""The environment variable holding each server's URL."""

ENGINES = ("sqlite", "postgres", "mariadb")


def server_url(engine: str) -> str:
    """The URL of the ``engine`` test server, or skip the test naming the variable to set."""
    variable = SERVER_ENV[engine]
    url = os.environ.get(variable)
    if not url:
        pytest.skip(f"set {variable} to run this against {engine}")
    return url


async def _admin(server: str, statement: str) -> None:
    engine = create_async_engine(server, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


@asynccontextmanager
async def empty_database(engine: str, tmp_dir: Path) -> AsyncIterator[str]:
    """A new, empty database of ``engine`` (a uniquely named one on the server); yields its URL.

    The database is dropped afterwards, even when the test fails.
    """
    name = f"hexstudio_test_{uuid.uuid4().hex[:12]}"
    if engine == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_dir / (name + '.db')}"
        return
    server = server_url(engine)
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


@asynccontextmanager
async def migrated_source(
    engine: str, tmp_dir: Path, **options: object
) -> AsyncIterator[SqlDataSource]:
    """A SQL data source over a new database of ``engine`` migrated to head."""
    async with empty_database(engine, tmp_dir) as url:
        await upgrade(url)
        source = SqlDataSource(parse_options({"url": url, **options}))
        try:
            yield source
        finally:
            await source.aclose()


@asynccontextmanager
async def sql_source(engine: str) -> AsyncIterator[SqlDataSource]:
    """A migrated SQL source of ``engine`` for the session (SQLite in a temporary directory)."""
    with tempfile.TemporaryDirectory(prefix="hexstudio-") as tmp_dir:
        async with migrated_source(engine, Path(tmp_dir), pool_size=20) as source:
            yield source
