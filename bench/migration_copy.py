"""Copy then compare N movies between two databases: rows/s and peak memory (issue 14, item 7).

The ``from`` database is filled with bulk Core inserts in a child process, so its rows never
count against this process's memory; then ``app.migration.copy`` backfills the empty ``to``
database (pages of 500, each one batch of ``BulkAdds.add_many`` in one transaction, the next
page read meanwhile) and ``app.migration.compare`` walks both. Memory is the resident set's
high-water mark (``ru_maxrss``) before and after each phase: bounded memory means the growth
does not follow N (run it at 100,000 and at 1,000,000 and compare the growth columns).
``--tracemalloc`` also reports Python's own peak allocation per phase (slower: every
allocation is traced).

Two SQLite files by default; ``--server`` names a PostgreSQL or MariaDB server instead, on
which two scratch databases are made and dropped after; ``--to-query`` adds URL options to
the ``to`` side only (``prepared_statement_cache_size=0``: see docs/migrations.md).

Run: .venv/bin/python bench/migration_copy.py [--movies 100000] [--tracemalloc]
     [--server postgresql+asyncpg://postgres@127.0.0.1:5432/postgres]
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
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import insert, make_url
from sqlalchemy.ext.asyncio import create_async_engine

from adapters.sql import SqlDataSource, parse_options
from adapters.sql.migrate import upgrade
from app.migration.compare import Tally, compare
from app.migration.copy import copy
from domain import MAX_PAGE_SIZE, MOVIES

CHUNK = 50_000
"""Rows per transaction while the ``from`` database is filled."""


async def _load(url: str, movies: int) -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    import sql_common

    source = SqlDataSource(parse_options({"url": url}))
    try:
        for table, rows in sql_common.rows(movies, 0):
            for start in range(0, len(rows), CHUNK):
                async with source.engine.begin() as connection:
                    await connection.execute(insert(table), rows[start : start + CHUNK])
    finally:
        await source.aclose()


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _load_avg() -> str:
    return " ".join(f"{n:.2f}" for n in os.getloadavg())


async def _timed(
    name: str, rows: int, work: Callable[[], Awaitable[Any]], trace: bool
) -> dict[str, Any]:
    before, load = _rss_mib(), _load_avg()
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    await work()
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20 if trace else None
    if trace:
        tracemalloc.stop()
    after = _rss_mib()
    return {
        "phase": name,
        "rows": rows,
        "seconds": seconds,
        "rows/s": rows / seconds,
        "before": before,
        "after": after,
        "traced": peak,
        "load": load,
    }


async def _measure(legacy: str, new: str, movies: int, trace: bool) -> list[dict[str, Any]]:
    source = SqlDataSource(parse_options({"url": legacy}))
    target = SqlDataSource(parse_options({"url": new}))
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
            # Rows read: both sides, each movie once per side.
            await _timed("compare", 2 * movies, comparing, trace),
        ]
    finally:
        await source.aclose()
        await target.aclose()


@contextmanager
def _sqlite_pair() -> Iterator[tuple[str, str]]:
    with tempfile.TemporaryDirectory(prefix="hexstudio-bench-copy-") as folder:
        yield (
            f"sqlite+aiosqlite:///{Path(folder) / 'legacy.db'}",
            f"sqlite+aiosqlite:///{Path(folder) / 'new.db'}",
        )


async def _admin(server: str, statement: str) -> None:
    engine = create_async_engine(server, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.exec_driver_sql(statement)
    finally:
        await engine.dispose()


@contextmanager
def _server_pair(server: str) -> Iterator[tuple[str, str]]:
    """Two scratch databases on ``server``, dropped after (whatever happened)."""
    tag = uuid.uuid4().hex[:8]
    legacy, new = (f"hexstudio_bench_{side}_{tag}" for side in ("from", "to"))
    names = (legacy, new)
    postgres = make_url(server).get_backend_name() == "postgresql"
    # MariaDB: the collation the SQL adapter's migrations expect (as tests/support does).
    charset = "" if postgres else " CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin"
    for name in names:
        asyncio.run(_admin(server, f"CREATE DATABASE {name}{charset}"))
    try:
        url = make_url(server)
        yield (
            url.set(database=legacy).render_as_string(hide_password=False),
            url.set(database=new).render_as_string(hide_password=False),
        )
    finally:
        force = " WITH (FORCE)" if postgres else ""
        for name in names:
            asyncio.run(_admin(server, f"DROP DATABASE IF EXISTS {name}{force}"))


def main(movies: int, trace: bool, server: str | None, to_query: str | None) -> None:
    """Fill, copy, compare; print one table row per phase."""
    started = time.perf_counter()
    pair = _sqlite_pair() if server is None else _server_pair(server)
    with pair as (legacy, new):
        if to_query:
            new = make_url(new).update_query_string(to_query).render_as_string(False)
        for url in (legacy, new):
            asyncio.run(upgrade(url))
        load = [sys.executable, __file__, "--load", legacy, "--movies", str(movies)]
        subprocess.run(load, check=True)
        results = asyncio.run(_measure(legacy, new, movies, trace))
    engine = "SQLite files" if server is None else make_url(server).get_backend_name()
    print(
        f"{movies:,} movies (2 genres each), {engine} to {engine}, pages of {MAX_PAGE_SIZE}, "
        f"to URL query {to_query or '-'}, "
        f"wall {time.perf_counter() - started:.0f} s (fill included)"
    )
    print(
        "| phase | rows | seconds | rows/s | maxrss before | maxrss after | growth | traced peak "
        "| load (1, 5, 15 min) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in results:
        peak = "-" if r["traced"] is None else f"{r['traced']:.1f} MiB"
        print(
            f"| {r['phase']} | {r['rows']:,} | {r['seconds']:.1f} | {r['rows/s']:,.0f} "
            f"| {r['before']:.0f} MiB | {r['after']:.0f} MiB | {r['after'] - r['before']:.0f} MiB "
            f"| {peak} | {r['load']} |"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--movies", type=int, default=100_000)
    parser.add_argument("--tracemalloc", action="store_true", help="Also trace Python's peak.")
    parser.add_argument(
        "--server", help="a PostgreSQL or MariaDB server URL: two scratch databases on it"
    )
    parser.add_argument(
        "--to-query",
        metavar="QUERY",
        help="appended to the to URL, e.g. prepared_statement_cache_size=0 (PostgreSQL)",
    )
    parser.add_argument("--load", help=argparse.SUPPRESS)  # the child's job: fill this URL
    args = parser.parse_args()
    if args.load is not None:
        asyncio.run(_load(args.load, args.movies))
    else:
        main(args.movies, args.tracemalloc, args.server, args.to_query)
