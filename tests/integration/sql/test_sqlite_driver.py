"""SQLite statements cost one trip to aiosqlite's worker thread each (sqlite_driver.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import aiosqlite
import pytest

from domain import MOVIES, Conflict, Movie, PageRequest
from domain.queries import MovieQuery
from tests.support.databases import migrated_source


@contextmanager
def trips() -> Iterator[list[str]]:
    """Record every call aiosqlite runs on its worker thread while the block runs."""
    seen: list[str] = []
    original = aiosqlite.Connection._execute

    async def counted(self: Any, fn: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(getattr(fn, "__name__", repr(fn)))
        return await original(self, fn, *args, **kwargs)  # type: ignore[no-untyped-call]

    aiosqlite.Connection._execute = counted  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        aiosqlite.Connection._execute = original  # type: ignore[method-assign]


async def test_a_read_unit_of_work_is_one_trip_per_statement_and_no_rollback(
    tmp_path: Path,
) -> None:
    async with migrated_source("sqlite", tmp_path) as source:
        async with source.unit_of_work() as uow:  # the pool's first connection, made outside
            await uow.repository(MOVIES).add(Movie(title="Warm-up"))
            await uow.commit()
        with trips() as seen:
            async with source.unit_of_work() as uow:
                page = await uow.repository(MOVIES).list(MovieQuery(), PageRequest(size=10))
                await uow.repository(MOVIES).get_many({m.id for m in page.items})
        assert len(seen) == 2, seen  # two statements; no transaction was open to roll back


async def test_a_unit_of_work_left_after_a_write_still_rolls_it_back(tmp_path: Path) -> None:
    async with migrated_source("sqlite", tmp_path) as source:
        movie = Movie(title="Never committed")
        with trips() as seen:
            async with source.unit_of_work() as uow:
                await uow.repository(MOVIES).add(movie)
        assert seen[-1] == "rollback", seen
        async with source.unit_of_work() as uow:
            assert await uow.repository(MOVIES).get_many([movie.id]) == {}


async def test_writes_through_one_trip_cursors_keep_rowcounts_and_driver_errors(
    tmp_path: Path,
) -> None:
    async with migrated_source("sqlite", tmp_path) as source:
        movie = Movie(title="Kept", genres=frozenset({"drama", "comedy"}))
        async with source.unit_of_work() as uow:
            await uow.repository(MOVIES).add(movie)  # an executemany for the genres
            await uow.commit()
        async with source.unit_of_work() as uow:
            stored = await uow.repository(MOVIES).update(movie.evolve(title="Renamed"))
            await uow.commit()
        assert stored.version == 2
        async with source.unit_of_work() as uow:
            with pytest.raises(Conflict):  # rowcount 0: the version is stale
                await uow.repository(MOVIES).update(movie.evolve(title="Stale"))
            with pytest.raises(Conflict):  # IntegrityError of a taken id, translated
                await uow.repository(MOVIES).add(movie)
        async with source.unit_of_work() as uow:
            found = await uow.repository(MOVIES).get(movie.id)
        assert (found.title, found.genres) == ("Renamed", movie.genres)
