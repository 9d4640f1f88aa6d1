"""A page 1,000,000 productions deep vs the first page, through ListSlate (keyset, no OFFSET).

Run: .venv/bin/python bench/sql_deep_page.py [--rows 1000000] [--keep PATH | --url URL]
Target: the deep page within 1.5x of the first page. Seeding uses bulk Core inserts into a
SQLite file (about a minute for a million rows); --keep reuses a file between runs; --url uses
a server database instead (empty, or filled by an earlier run with the same --rows).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select, text

import studio_tables as t
from adapters.sql import SqlDataSource, parse_options
from adapters.sql.migrate import upgrade
from domain import ListSlate, PageRequest
from domain.paging import encode_cursor
from sql_common import interleaved, load

PAGE = 50


async def prepare(url: str, rows: int) -> SqlDataSource:
    """Migrate and fill the database unless it already holds ``rows`` productions."""
    await upgrade(url)
    source = SqlDataSource(parse_options({"url": url}))
    async with source.engine.connect() as connection:
        present = (
            await connection.execute(select(func.count()).select_from(t.productions))
        ).scalar()
    if present != rows:
        assert present == 0, f"{url} holds {present} productions, not {rows}: use another"
        started = time.perf_counter()
        await load(source.engine, movies=1000, productions=rows)
        print(f"seeded {rows:,} productions in {time.perf_counter() - started:.1f} s")
    return source


async def main(rows: int, url: str | None, keep: Path | None, rounds: int) -> None:
    """Time the first page and the page after the (rows - PAGE)-th production, interleaved."""
    with tempfile.TemporaryDirectory() as tmp:
        url = url or f"sqlite+aiosqlite:///{keep or Path(tmp) / 'deep.db'}"
        source = await prepare(url, rows)
        p = t.productions.c
        async with source.engine.connect() as connection:
            # Setup only: find the sort key PAGE rows before the end, the deepest full page.
            key = (
                await connection.execute(
                    select(p.starts_on, p.id)
                    .order_by(p.starts_on, p.id)
                    .offset(rows - PAGE - 1)
                    .limit(1)
                )
            ).one()
            explain = "EXPLAIN QUERY PLAN" if source.engine.dialect.name == "sqlite" else "EXPLAIN"
            postgres = source.engine.dialect.name == "postgresql"
            plan = (
                await connection.execute(
                    text(
                        f"{explain} SELECT id FROM productions WHERE starts_on >= :d "
                        "AND (starts_on > :d OR id > :i) ORDER BY starts_on, id LIMIT 51"
                    ),
                    {"d": key[0], "i": key[1] if postgres else key[1].hex},
                )
            ).all()
        deep_cursor = encode_cursor([key[0].isoformat(), str(key[1])])
        list_slate = ListSlate(source.unit_of_work)

        async def first() -> object:
            page = await list_slate(page=PageRequest(size=PAGE))
            assert len(page.items) == PAGE
            assert page.next_cursor
            return page

        async def deep() -> object:
            page = await list_slate(page=PageRequest(size=PAGE, cursor=deep_cursor))
            assert len(page.items) == PAGE
            assert page.next_cursor is None
            return page

        medians = await interleaved({"first page": first, "deep page": deep}, rounds, calls=20)
        await source.aclose()
    print("query plan of the deep page:", "; ".join(str(row[-1]).strip() for row in plan))
    print(f"\n| page ({rows:,} productions, {PAGE} per page) | ms per call (median) |")
    print("|---|---:|")
    for name, seconds in medians.items():
        print(f"| {name} | {seconds * 1000:.3f} |")
    ratio = medians["deep page"] / medians["first page"]
    print(f"\nratio deep / first: {ratio:.2f}x (target <= 1.5x)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="a SQLite file to fill once and reuse")
    parser.add_argument("--url", help="a server database to fill once and reuse")
    parser.add_argument("--rounds", type=int, default=30)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.rows, arguments.url, arguments.keep, arguments.rounds))
