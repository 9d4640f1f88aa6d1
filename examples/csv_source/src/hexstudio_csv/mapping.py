"""Rows <-> entities: one explicit mapping per CSV file, every cell a string.

The domain never sees a row, and a file never holds a pydantic dump: each column is named
here, with how its value is written and read back. Reading builds the field values and lets
the entity validate them, exactly as if a user had typed them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from domain import Entity, Movie, Production, ShootDay, ShootingLocation

E = TypeVar("E", bound=Entity)

Row = dict[str, str]
"""One CSV record by column name, as ``csv.DictReader`` gives and ``csv.DictWriter`` takes."""


@dataclass(frozen=True)
class TableMapping(Generic[E]):
    """How the entities of one repository are stored: the file, its columns, both directions."""

    file: str
    kind: type[E]
    columns: tuple[str, ...]
    to_row: Callable[[E], Row]
    """Every column's text for one entity."""
    to_fields: Callable[[Row], dict[str, Any]]
    """The entity's field values from one row, still to be validated by ``kind``."""


def _optional(text: str) -> str | None:
    """An empty cell stands for None."""
    return text or None


def _movie_row(movie: Movie) -> Row:
    return {
        "id": str(movie.id),
        "version": str(movie.version),
        "title": movie.title,
        "logline": movie.logline,
        "genres": ";".join(sorted(movie.genres)),  # sorted: the same movie, the same bytes
        "release_year": "" if movie.release_year is None else str(movie.release_year),
    }


def _movie_fields(row: Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "version": row["version"],
        "title": row["title"],
        "logline": row["logline"],
        "genres": [genre for genre in row["genres"].split(";") if genre],
        "release_year": _optional(row["release_year"]),
    }


def _location_row(location: ShootingLocation) -> Row:
    return {
        "id": str(location.id),
        "version": str(location.version),
        "name": location.name,
        "city": location.city,
        "country": location.country,
        "latitude": repr(location.latitude),  # repr: the shortest text that reads back exactly
        "longitude": repr(location.longitude),
    }


def _location_fields(row: Row) -> dict[str, Any]:
    return {name: row[name] for name in LOCATIONS.columns}


def _production_row(production: Production) -> Row:
    return {
        "id": str(production.id),
        "version": str(production.version),
        "movie_id": str(production.movie_id),
        "phase": production.phase.value,
        "budget_amount": str(production.budget.amount),  # a Decimal's text: no float rounding
        "budget_currency": production.budget.currency,
        "starts_on": production.starts_on.isoformat(),
        "wraps_on": production.wraps_on.isoformat(),
    }


def _production_fields(row: Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "version": row["version"],
        "movie_id": row["movie_id"],
        "phase": row["phase"],
        "budget": {"amount": row["budget_amount"], "currency": row["budget_currency"]},
        "starts_on": row["starts_on"],
        "wraps_on": row["wraps_on"],
    }


def _shoot_day_row(day: ShootDay) -> Row:
    return {
        "id": str(day.id),
        "version": str(day.version),
        "production_id": str(day.production_id),
        "location_id": str(day.location_id),
        "date": day.date.isoformat(),
    }


def _shoot_day_fields(row: Row) -> dict[str, Any]:
    return {name: row[name] for name in SHOOT_DAYS.columns}


MOVIES = TableMapping(
    "movies.csv",
    Movie,
    ("id", "version", "title", "logline", "genres", "release_year"),
    _movie_row,
    _movie_fields,
)
LOCATIONS = TableMapping(
    "locations.csv",
    ShootingLocation,
    ("id", "version", "name", "city", "country", "latitude", "longitude"),
    _location_row,
    _location_fields,
)
PRODUCTIONS = TableMapping(
    "productions.csv",
    Production,
    (
        "id",
        "version",
        "movie_id",
        "phase",
        "budget_amount",
        "budget_currency",
        "starts_on",
        "wraps_on",
    ),
    _production_row,
    _production_fields,
)
SHOOT_DAYS = TableMapping(
    "shoot_days.csv",
    ShootDay,
    ("id", "version", "production_id", "location_id", "date"),
    _shoot_day_row,
    _shoot_day_fields,
)

TABLES: dict[str, TableMapping[Any]] = {
    "movies": MOVIES,
    "locations": LOCATIONS,
    "productions": PRODUCTIONS,
    "shoot_days": SHOOT_DAYS,
}
"""The mapping of each repository, by the table name the memory store's changes use."""
