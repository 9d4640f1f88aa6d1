"""Copy then compare N movies between two SQLite files: rows/s and peak memory (issue 14, item 7).

The ``from`` file is filled with bulk Core inserts in a child process, so its rows never count
against this process's memory; then ``app.migration.copy`` backfills the empty ``to`` file
(pages of 500, one transaction each) and ``app.migration.compare`` walks both. Memory is the
resident set's high-water mark (``ru_maxrss``) before and after each phase: bounded memory
means the growth does not follow N. ``--tracemalloc`` also reports Python's own peak
allocation per phase (slower: every allocation is traced).

Run: .venv/bin/python bench/migration_copy.py [--movies 100000] [--tracemalloc]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from adapters.sql import SqlDataSource, parse_options
from adapters.sql.migrate import upgrade
from app.migration.compare import Tally, compare
from app.migration.copy import copy
from domain import MOVIES


def _url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


async def _load(path: Path, movies: int) -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    import sql_common

    source = SqlDataSource(parse_options({"url": _url(path)}))
    try:
        await sql_common.load(source.engine, movies, 0)
    finally:
        await source.aclose()


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


async def _timed(
    name: str, rows: int, work: Callable[[], Awaitable[Any]], trace: bool
) -> dict[str, Any]:
    before = _rss_mib()
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    await work()
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20 if trace else None
    if trace:
        tracemalloc.stop()
    return {
        "phase": name,
        "rows": rows,
        "seconds": seconds,
        "rows/s": rows / seconds,
        "maxrss before MiB": before,
        "maxrss after MiB": _rss_mib(),
        "traced peak MiB": peak,
    }


async def _measure(legacy: Path, new: Path, movies: int, trace: bool) -> list[dict[str, Any]]:
    source = SqlDataSource(parse_options({"url": _url(legacy)}))
    target = SqlDataSource(parse_options({"url": _url(new)}))
    try:

        async def copying() -> None:
            done = await copy(source.unit_of_work, target.unit_of_work, MOVIES)
            assert done.added == movies, done

        async def comparing() -> None:
            tally = Tally()
            async for finding in compare(source.unit_of_work, target.unit_of_work, MOVIES, tally):
                raise AssertionError(finding)
            assert tally.left == tally.right == movies, tally

        return [
            await _timed("copy", movies, copying, trace),
            await _timed("compare", 2 * movies, comparing, trace),
        ]
    finally:
        await source.aclose()
        await target.aclose()


def main(movies: int, trace: bool) -> None:
    """Fill, copy, compare; print one table row per phase."""
    with tempfile.TemporaryDirectory(prefix="hexstudio-bench-copy-") as folder:
        legacy, new = Path(folder) / "legacy.db", Path(folder) / "new.db"
        for path in (legacy, new):
            asyncio.run(upgrade(_url(path)))
        load = [sys.executable, __file__, "--load", str(legacy), "--movies", str(movies)]
        subprocess.run(load, check=True)
        results = asyncio.run(_measure(legacy, new, movies, trace))
    print(f"{movies} movies (2 genres each), SQLite to SQLite, pages of 500, load {_load_avg()}")
    print("| phase | rows | seconds | rows/s | maxrss before | maxrss after | traced peak |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in results:
        peak = "-" if r["traced peak MiB"] is None else f"{r['traced peak MiB']:.1f} MiB"
        print(
            f"| {r['phase']} | {r['rows']} | {r['seconds']:.1f} | {r['rows/s']:,.0f} "
            f"| {r['maxrss before MiB']:.0f} MiB | {r['maxrss after MiB']:.0f} MiB | {peak} |"
        )


def _load_avg() -> str:
    return " ".join(f"{n:.2f}" for n in os.getloadavg())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--movies", type=int, default=100_000)
    parser.add_argument("--tracemalloc", action="store_true", help="Also trace Python's peak.")
    parser.add_argument("--load", type=Path, help=argparse.SUPPRESS)  # the child's job
    args = parser.parse_args()
    if args.load is not None:
        asyncio.run(_load(args.load, args.movies))
    else:
        main(args.movies, args.tracemalloc)
