"""The data sources the equivalence machine compares with the memory oracle.

Each entry opens a source over a database that a session fixture prepared, and empties it
first: every hypothesis example starts from nothing on every source (the cache's Redis keys
included: an entry left by an earlier example would answer for an id it reuses).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from adapters.cache import CacheDataSource
from adapters.cache import create_data_source as create_cache
from adapters.cache.stats import CacheStats
from adapters.memory import MemoryDataSource
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


CACHE_OPTIONS = {"hot_threshold": 2}
"""A key read twice within a second is kept in-process: steps go through both tiers."""
CACHE_STATS: list[CacheStats] = []
"""The counters of every cache the specs opened: a run shows it was answered from the cache."""


def cache_spec(redis_url: str, prefix: str) -> SourceSpec:
    """A cache over a memory source of its own, on Redis under ``prefix`` (one per run)."""

    def open_cache() -> DataSource:
        cache = create_cache(
            {"over": "memory", "redis_url": redis_url, "prefix": prefix, **CACHE_OPTIONS}
        )
        cache.wrap(MemoryDataSource())
        CACHE_STATS.append(cache.stats)
        return cache

    async def reset(source: DataSource) -> None:
        assert isinstance(source, CacheDataSource)
        client = source.tier.client
        keys = [key async for key in client.scan_iter(match=f"{prefix}*")]
        if keys:
            await client.delete(*keys)

    return SourceSpec(open=open_cache, reset=reset)
