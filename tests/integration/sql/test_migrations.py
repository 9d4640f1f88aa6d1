"""The packaged migrations build the schema tables.py describes, and can be undone, anywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.sql import migrate
from tests.support.databases import ENGINES, empty_database
from tests.support.tables import metadata


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names()) - {"alembic_version"}


def _drift(connection: Connection) -> list[Any]:
    return compare_metadata(MigrationContext.configure(connection), metadata)


async def _inspect(url: str, probe: Any) -> Any:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(probe)
    finally:
        await engine.dispose()


@pytest.mark.parametrize("engine", ENGINES)
async def test_upgrade_downgrade_to_base_and_upgrade_again(engine: str, tmp_path: Path) -> None:
    async with empty_database(engine, tmp_path) as url:
        assert await migrate.current(url) is None

        await migrate.upgrade(url)
        assert await migrate.current(url) == migrate.head()
        assert await _inspect(url, _tables) == set(metadata.tables)

        await migrate.downgrade(url, "base")
        assert await migrate.current(url) is None
        assert await _inspect(url, _tables) == set()

        await migrate.upgrade(url)
        assert await migrate.current(url) == migrate.head()
        assert await _inspect(url, _tables) == set(metadata.tables)


@pytest.mark.parametrize("engine", ENGINES)
async def test_migrated_schema_matches_the_tables_the_repositories_query(
    engine: str, tmp_path: Path
) -> None:
    async with empty_database(engine, tmp_path) as url:
        await migrate.upgrade(url)
        assert await _inspect(url, _drift) == []
