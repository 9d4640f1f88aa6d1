"""Shared by the SQL benchmarks: a migrated SQLite file, bulk Core inserts, interleaved timing."""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

import studio_tables as t

GENRES = ("drama", "comedy", "thriller", "scifi")
EPOCH = dt.date(2027, 1, 1)


def rows(
    movies: int, productions: int, seed: int = 7, chunk: int = 50_000
) -> Iterator[tuple[Any, list[dict[str, Any]]]]:
    """Deterministic rows, table by table, in chunks: (table, rows) pairs in insert order."""
    rng = random.Random(seed)
    movie_ids = [uuid.UUID(int=rng.getrandbits(128), version=4) for _ in range(movies)]
    yield (
        t.movies,
        [
            {"id": m, "version": 1, "title": f"Bench {i}", "logline": "", "release_year": 2027}
            for i, m in enumerate(movie_ids)
        ],
    )
    yield (
        t.movie_genres,
        [{"movie_id": m, "genre": g} for i, m in enumerate(movie_ids) for g in GENRES[i % 2 :][:2]],
    )
    for start in range(0, productions, chunk):
        batch = []
        for n in range(start, min(start + chunk, productions)):
            starts_on = EPOCH + dt.timedelta(days=rng.randrange(3650))
            batch.append(
                {
                    "id": uuid.UUID(int=rng.getrandbits(128), version=4),
                    "version": 1,
                    "movie_id": movie_ids[n % movies],
                    "phase": "wrapped",
                    "budget_amount": f"{rng.randrange(10**9)}.{n % 100:02d}",
                    "budget_currency": "USD",
                    "starts_on": starts_on,
                    "wraps_on": starts_on + dt.timedelta(days=90),
                }
            )
        yield t.productions, batch


async def load(engine: AsyncEngine, movies: int, productions: int) -> None:
    """Bulk-insert the benchmark rows with Core executemany, one transaction per chunk."""
    for table, batch in rows(movies, productions):
        async with engine.begin() as connection:
            await connection.execute(insert(table), batch)


async def interleaved(
    contenders: dict[str, Callable[[], Awaitable[object]]], rounds: int, calls: int
) -> dict[str, float]:
    """Median seconds per call of each contender, timed in alternating rounds."""
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, call in contenders.items():
            started = time.perf_counter()
            for _ in range(calls):
                await call()
            samples[name].append((time.perf_counter() - started) / calls)
    return {name: statistics.median(times) for name, times in samples.items()}
