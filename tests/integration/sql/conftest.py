"""One migrated database per engine per test session, shared by the SQL integration tests.

Tests write rows with fresh ids and filter by them, so they never depend on an empty store.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from adapters.sql import SqlDataSource
from app.bootstrap import Interactors
from tests.support.databases import ENGINES, migrated_source


@pytest.fixture(scope="session", params=ENGINES)
async def sql_source(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[SqlDataSource]:
    """A SQL source per engine, over a database created for this session (20 connections)."""
    tmp_dir: Path = tmp_path_factory.mktemp("sql")
    async with migrated_source(request.param, tmp_dir, pool_size=20) as source:
        yield source


@pytest.fixture
def sql_studio(sql_source: SqlDataSource) -> Interactors:
    """Every interactor wired to the SQL source under test."""
    return Interactors(sql_source.unit_of_work)
