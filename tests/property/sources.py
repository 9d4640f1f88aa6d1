"""The data sources the equivalence machine compares with the memory oracle.

Each entry opens a source over a database that a session fixture prepared, and empties it
first: every hypothesis example starts from nothing on every source.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from adapters.spi import DataSource
from adapters.sql import SqlDataSource, parse_options
from app import registry
from tests.support.tables import metadata


@dataclass(frozen=True)
class SourceSpec:
    """How to open one source under test and how to empty its storage."""

    open: Callable[[], DataSource]
    reset: Callable[[DataSource], Awaitable[None]]


async def empty_sql(source: DataSource) -> None:
    """Delete every row, children first (test set-up, not a provider state)."""
    assert isinstance(source, SqlDataSource)
    async with source.engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            await connection.execute(table.delete())


def sql_spec(url: str) -> SourceSpec:
    """A SQL source at ``url`` (already migrated)."""
    return SourceSpec(open=lambda: SqlDataSource(parse_options({"url": url})), reset=empty_sql)


def http_spec(name: str, url: str, token: str, database_url: str) -> SourceSpec:
    """The ``name`` HTTP source at ``url``; reset empties the service's own database."""

    async def reset(_: DataSource) -> None:
        store = SqlDataSource(parse_options({"url": database_url}))
        try:
            await empty_sql(store)
        finally:
            await store.aclose()

    return SourceSpec(open=lambda: registry.create(name, {"url": url, "token": token}), reset=reset)
