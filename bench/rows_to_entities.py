"""What reading rows into entities costs: raw sqlite3, SQLAlchemy Core, the ORM (ADR 5).

One SQLite file of 10,000 small rows, read whole by each path in interleaved rounds: raw
``sqlite3`` tuples (the floor), Core ``select(table)`` rows, Core rows mapped to dicts and
validated in one ``TypeAdapter(list[...])`` call (what the SQL adapter does), ORM objects, and
ORM objects validated into the pydantic model with ``from_attributes``. It prints microseconds
per row and each path against the floor.

Run: .venv/bin/python bench/rows_to_entities.py [--rounds 7] [--rows 10000]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, TypeAdapter
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, insert, select
from sqlalchemy.orm import DeclarativeBase, Session


class Row(BaseModel):
    """The entity the rows become: frozen, like the domain's."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: int
    title: str
    year: int


METADATA = MetaData()
TABLE = Table(
    "movies",
    METADATA,
    Column("id", Integer, primary_key=True),
    Column("title", String(100), nullable=False),
    Column("year", Integer, nullable=False),
)


class Base(DeclarativeBase):
    """The ORM's registry."""


class MovieRecord(Base):
    """The same table as an ORM class."""

    __table__ = TABLE


def _best_per_row(case: Callable[[], int], rounds: int, rows: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        assert case() == rows
        samples.append((time.perf_counter() - started) / rows * 1e6)
    return samples


def main() -> None:
    """Time each path in interleaved rounds; print the median µs per row."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rows.db"
        engine = create_engine(f"sqlite:///{path}")
        METADATA.create_all(engine)
        with engine.begin() as connection:
            connection.execute(
                insert(TABLE),
                [
                    {"id": i, "title": f"Movie {i}", "year": 1900 + i % 120}
                    for i in range(args.rows)
                ],
            )
        raw = sqlite3.connect(path)
        adapter = TypeAdapter(list[Row])
        statement = select(TABLE)

        def raw_tuples() -> int:
            return len(raw.execute("SELECT id, title, year FROM movies").fetchall())

        def core_rows() -> int:
            with engine.connect() as connection:
                return len(connection.execute(statement).all())

        def core_mapped() -> int:
            with engine.connect() as connection:
                result = connection.execute(statement)
                keys, rows = list(result.keys()), result.all()
            # As adapters/sql/mapping.py does: zip over the row tuples, one validate call.
            return len(adapter.validate_python([dict(zip(keys, row, strict=True)) for row in rows]))

        def orm_objects() -> int:
            with Session(engine) as session:
                return len(session.scalars(select(MovieRecord)).all())

        def orm_validated() -> int:
            with Session(engine) as session:
                records = session.scalars(select(MovieRecord)).all()
                return len([Row.model_validate(record) for record in records])

        cases: dict[str, Callable[[], int]] = {
            "raw sqlite3 -> tuples (floor)": raw_tuples,
            "Core select(table) -> Row": core_rows,
            "Core rows -> dicts -> TypeAdapter(list[Row]) (the SQL adapter's way)": core_mapped,
            "ORM select(Entity) -> objects": orm_objects,
            "ORM objects -> model_validate(from_attributes=True)": orm_validated,
        }
        samples: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.rounds):  # interleaved: a slow moment hits every path alike
            for name, case in cases.items():
                samples[name] += _best_per_row(case, 1, args.rows)
        raw.close()
        engine.dispose()
    medians: dict[str, Any] = {name: statistics.median(s) for name, s in samples.items()}
    floor = medians["raw sqlite3 -> tuples (floor)"]
    print(f"{args.rows:,} rows, median of {args.rounds} interleaved rounds")
    print("| path | µs/row | vs floor |")
    print("|---|---:|---:|")
    for name, value in medians.items():
        print(f"| {name} | {value:.2f} | {value / floor:.1f}x |")
    orm = medians["ORM objects -> model_validate(from_attributes=True)"]
    core = medians["Core rows -> dicts -> TypeAdapter(list[Row]) (the SQL adapter's way)"]
    print(f"ORM objects converted to entities / Core mapped to entities: {orm / core:.1f}x")


if __name__ == "__main__":
    main()
