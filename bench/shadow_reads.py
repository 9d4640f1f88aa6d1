"""What a shadow costs the caller: reads with a shadow 5x slower than the primary, and without.

Issue 14's bound: at ``sample = 1.0`` the shadow adds at most 10% to the primary's read
latency. The primary is the SQL source over a SQLite file; the shadow reads the same file
through a second SQL source whose every read is made 5x as slow as a primary read (measured
first, then padded with a sleep). The caller's latency is timed for ``get`` of known ids, in
interleaved rounds, shadow on and off, in one process.

Run: .venv/bin/python bench/shadow_reads.py [--rounds 7] [--reads 300]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from adapters.sql import SqlDataSource, parse_options
from adapters.sql.migrate import upgrade
from app.migration import MigrationState
from app.migration.reads import ShadowReads
from domain import MOVIES, Movie


class _Slowed:
    """A unit of work whose reads take ``delay`` seconds longer (a slow, remote shadow)."""

    def __init__(self, source: SqlDataSource, delay: float) -> None:
        self._uow, self._delay = source.unit_of_work(), delay

    async def __aenter__(self) -> _Slowed:
        await self._uow.__aenter__()
        await asyncio.sleep(self._delay)
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._uow.__aexit__(et, e, tb)

    def repository(self, entity: Any) -> Any:
        return self._uow.repository(entity)


async def _per_read(source: SqlDataSource, ids: list[Any], state: MigrationState | None) -> float:
    started = time.perf_counter()
    for id in ids:
        async with source.unit_of_work() as uow:
            repository: Any = uow.repository(MOVIES)
            if state is not None:
                repository = ShadowReads(
                    MOVIES,
                    repository,
                    source.unit_of_work,
                    state.shadow_units,  # type: ignore[attr-defined]
                    sample=1.0,
                    timeout=1.0,
                    state=state,
                )
            await repository.get(id)
    elapsed = time.perf_counter() - started
    if state is not None:
        await state.drain()  # outside the timing: the caller never waits on it
    return elapsed / len(ids)


async def main(rounds: int, reads: int) -> None:
    """Interleaved rounds of reads with and without a shadow; print the medians."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'shadow.db'}"
        await upgrade(url)
        primary = SqlDataSource(parse_options({"url": url}))
        shadow_source = SqlDataSource(parse_options({"url": url}))
        async with primary.unit_of_work() as uow:
            movies = [await uow.repository(MOVIES).add(Movie(title=f"M{n}")) for n in range(reads)]
            await uow.commit()
        ids = [m.id for m in movies]
        plain = await _per_read(primary, ids, None)  # warm-up, and the primary's latency
        state = MigrationState(max_shadows=reads)
        delay = 4 * plain
        state.shadow_units = lambda: _Slowed(shadow_source, delay)  # type: ignore[attr-defined]
        off: list[float] = []
        on: list[float] = []
        for _ in range(rounds):
            off.append(await _per_read(primary, ids, None))
            on.append(await _per_read(primary, ids, state))
        await primary.aclose()
        await shadow_source.aclose()
    counts = state.of("movies")
    without, with_shadow = statistics.median(off), statistics.median(on)
    print(f"median of {rounds} interleaved rounds of {reads} reads (get by id, SQLite)")
    print(f"| primary alone | {without * 1e6:.0f} µs/read |")
    print(f"| with a shadow 5x slower, sample 1.0 | {with_shadow * 1e6:.0f} µs/read |")
    print(f"shadow comparisons {counts.comparisons}, mismatches {counts.mismatches}")
    print(f"caller latency with shadow / without: {with_shadow / without:.2f}x (bound 1.10x)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--reads", type=int, default=300)
    args = parser.parse_args()
    asyncio.run(main(args.rounds, args.reads))
