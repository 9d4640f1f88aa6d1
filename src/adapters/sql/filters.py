"""Domain queries as WHERE clauses, and the keyset condition of a page cursor."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Table, and_, or_, select

from adapters.sql import tables as t
from domain import InvalidInput, LocationQuery, MovieQuery, ProductionQuery, ShootDayQuery
from domain.paging import decode_cursor

Where = list[ColumnElement[bool]]


def movie_filters(query: MovieQuery) -> Where:
    """Movies having the genre (through the indexed movie_genres table) and release year."""
    where: Where = []
    if query.genre is not None:
        genre = t.movie_genres.c
        where.append(t.movies.c.id.in_(select(genre.movie_id).where(genre.genre == query.genre)))
    if query.release_year is not None:
        where.append(t.movies.c.release_year == query.release_year)
    return where


def location_filters(query: LocationQuery) -> Where:
    """Locations in the country and city (binary collation: case-sensitive everywhere)."""
    where: Where = []
    if query.country is not None:
        where.append(t.locations.c.country == query.country)
    if query.city is not None:
        where.append(t.locations.c.city == query.city)
    return where


def production_filters(query: ProductionQuery) -> Where:
    """Productions of the movie and in one of the phases (an empty set matches nothing)."""
    where: Where = []
    if query.movie_id is not None:
        where.append(t.productions.c.movie_id == query.movie_id)
    if query.phases is not None:
        where.append(t.productions.c.phase.in_(sorted(query.phases)))
    return where


def shoot_day_filters(query: ShootDayQuery) -> Where:
    """Shoot days of the production and location, between the dates (both included)."""
    c = t.shoot_days.c
    where: Where = []
    if query.production_id is not None:
        where.append(c.production_id == query.production_id)
    if query.location_id is not None:
        where.append(c.location_id == query.location_id)
    if query.date_from is not None:
        where.append(c.date >= query.date_from)
    if query.date_to is not None:
        where.append(c.date <= query.date_to)
    return where


_PARSERS: dict[str, Callable[[str], Any]] = {
    "id": UUID,
    "starts_on": dt.date.fromisoformat,
    "date": dt.date.fromisoformat,
}


def after_cursor(table: Table, ordering: Sequence[str], cursor: str) -> ColumnElement[bool]:
    """Rows strictly after the sort key in ``cursor``, in the order of ``ordering``.

    Written as ``a >= x AND (a > x OR b > y)`` rather than a row-value comparison: every engine
    turns the leading ``a >= x`` into an index range, so a deep page costs what the first does.
    """
    key = decode_cursor(cursor, arity=len(ordering))
    try:
        values = [_PARSERS[name](text) for name, text in zip(ordering, key, strict=True)]
    except ValueError:
        raise InvalidInput(
            "page.cursor: the cursor does not hold a sort key", field="page.cursor"
        ) from None
    columns = [table.c[name] for name in ordering]
    if len(columns) == 1:
        after: ColumnElement[bool] = columns[0] > values[0]
        return after
    (first, second), (x, y) = columns, values
    return and_(first >= x, or_(first > x, second > y))
