"""The medium revisions build exactly the tables the catalog derives, and can be undone.

SQLite always; PostgreSQL and MariaDB when HEXSTUDIO_TEST_POSTGRES_URL and
HEXSTUDIO_TEST_MARIADB_URL name servers (as ``.ci/run`` sets them), skipped otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import pytest
from adapters.sql import migrate
from adapters.sql.tables import schema_of
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from hexstudio_medium import DOMAIN, MEDIUM

VERSIONS = DOMAIN.migrations
METADATA = schema_of(MEDIUM).metadata


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names()) - {"alembic_version"}


def _drift(connection: Connection) -> list[Any]:
    return list(compare_metadata(MigrationContext.configure(connection), METADATA))


async def _inspect(url: str, probe: Any) -> Any:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(probe)
    finally:
        await engine.dispose()


def test_revision_ids_are_the_mediums_own() -> None:
    assert migrate.head(VERSIONS) == "medium_0001"
    assert migrate.head() != migrate.head(VERSIONS), "the studio's head leaked in"


@pytest.mark.parametrize("engine", ["sqlite", "postgres", "mariadb"])
async def test_happy_path_upgrade_matches_the_derived_tables_and_downgrade_undoes_it(
    engine: str, empty_database: Callable[[str], AbstractAsyncContextManager[str]]
) -> None:
    async with empty_database(engine) as url:
        assert await migrate.current(url, VERSIONS) is None

        await migrate.upgrade(url, versions=VERSIONS)
        assert await migrate.current(url, VERSIONS) == "medium_0001"
        assert await _inspect(url, _tables) == set(METADATA.tables)
        assert await _inspect(url, _drift) == []

        await migrate.downgrade(url, "base", versions=VERSIONS)
        assert await migrate.current(url, VERSIONS) is None
        assert await _inspect(url, _tables) == set()
