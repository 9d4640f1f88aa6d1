"""ListSlate over 100 productions vs a hand-written Core join + pydantic model_validate.

Run: .venv/bin/python bench/sql_slate.py [--rounds 30] [--url URL-OF-AN-EMPTY-DATABASE]
Target: ListSlate <= 1.3x the hand-written query (same database, same rows, same process).
Without --url a temporary SQLite file is used; with it, the bench migrates the (empty) database,
fills it and migrates it back down to base at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

import studio_tables as t
from adapters.sql import SqlDataSource, parse_options
from adapters.sql.migrate import downgrade, upgrade
from domain import ListSlate, PageRequest, SlateEntry
from sql_common import interleaved, load

SIZE = 100


def hand_written() -> Any:
    """One join of productions and movies with the genres folded in: what a person would write."""
    p, m, g = t.productions.c, t.movies.c, t.movie_genres.c
    genres = (
        select(func.aggregate_strings(g.genre, ",")).where(g.movie_id == m.id).scalar_subquery()
    )
    return (
        select(*t.productions.c, m.title, m.logline, m.release_year, m.version, genres)
        .join_from(t.productions, t.movies, p.movie_id == m.id)
        .order_by(p.starts_on, p.id)
        .limit(SIZE)
    )


def entry(row: Any) -> SlateEntry:
    """Validate one joined row into a SlateEntry."""
    return SlateEntry.model_validate(
        {
            "production": {
                "id": row[0],
                "version": row[1],
                "movie_id": row[2],
                "phase": row[3],
                "budget": {"amount": row[4], "currency": row[5]},
                "starts_on": row[6],
                "wraps_on": row[7],
            },
            "movie": {
                "id": row[2],
                "title": row[8],
                "logline": row[9],
                "release_year": row[10],
                "version": row[11],
                "genres": row[12].split(",") if row[12] else [],
            },
        }
    )


async def main(rounds: int, given_url: str | None) -> None:
    """Seed 100 productions of 100 movies, then time both paths in interleaved rounds."""
    with tempfile.TemporaryDirectory() as tmp:
        url = given_url or f"sqlite+aiosqlite:///{Path(tmp) / 'slate.db'}"
        await upgrade(url)
        source = SqlDataSource(parse_options({"url": url}))
        await load(source.engine, movies=SIZE, productions=SIZE)
        list_slate = ListSlate(source.unit_of_work)
        statement = hand_written()

        async def through_list_slate() -> object:
            page = await list_slate(page=PageRequest(size=SIZE))
            assert len(page.items) == SIZE
            return page

        async def by_hand() -> object:
            async with source.engine.connect() as connection:
                result = await connection.execute(statement)
                entries = [entry(row) for row in result]
            assert len(entries) == SIZE
            return entries

        assert [e.model_dump() for e in (await through_list_slate()).items] == [  # type: ignore[attr-defined]
            e.model_dump()
            for e in await by_hand()  # type: ignore[attr-defined]
        ], "both paths must return the same slate"
        medians = await interleaved(
            {"ListSlate": through_list_slate, "hand-written": by_hand}, rounds, calls=20
        )
        await source.aclose()
        if given_url:
            await downgrade(given_url, "base")
    print(f"database: {source.engine.dialect.name}")
    ratio = medians["ListSlate"] / medians["hand-written"]
    print(f"| path | ms per call (median of {rounds} rounds x 20 calls) |")
    print("|---|---:|")
    for name, seconds in medians.items():
        print(f"| {name} | {seconds * 1000:.3f} |")
    print(f"\nratio ListSlate / hand-written: {ratio:.2f}x (target <= 1.3x)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--url", help="an empty database to use instead of a SQLite file")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.rounds, arguments.url))
