"""Domain queries as WHERE clauses with named parameters, and the keyset condition of a cursor.

Each filter is one prebuilt clause whose value travels as a bind parameter of the same name, so
a list statement depends only on which filters are set: repositories build each shape once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from uuid import UUID

from sqlalchemy import ColumnElement, Table, and_, bindparam, or_, select

from adapters.sql import tables as t
from domain import InvalidInput
from domain.paging import decode_cursor
from domain.queries import Query

Q = TypeVar("Q", bound=Query)  # type: ignore[type-arg]


@dataclass(frozen=True)
class Filters(Generic[Q]):
    """The clause of each filter of a query type, and how to read the values from a query."""

    clauses: Mapping[str, ColumnElement[bool]]

    def parameters(self, query: Q) -> dict[str, Any]:
        """The values of the filters ``query`` sets, by filter name (sets become sorted lists)."""
        return {
            name: sorted(value) if isinstance(value, frozenset) else value
            for name, value in query
            if value is not None
        }


def _equals(table: Table, *names: str) -> dict[str, ColumnElement[bool]]:
    return {name: table.c[name] == bindparam(name) for name in names}


_genre = t.movie_genres.c
MOVIES = Filters[Any](
    {
        # Through the indexed movie_genres table: movies having the genre.
        "genre": t.movies.c.id.in_(
            select(_genre.movie_id).where(_genre.genre == bindparam("genre"))
        ),
        **_equals(t.movies, "release_year"),
    }
)
# Text compares byte for byte on every engine (binary collation on MariaDB), as in Python.
LOCATIONS = Filters[Any](_equals(t.locations, "country", "city"))
PRODUCTIONS = Filters[Any](
    {
        **_equals(t.productions, "movie_id"),
        "movie_ids": t.productions.c.movie_id.in_(bindparam("movie_ids", expanding=True)),
        # An empty set of phases renders as an always-false condition: it matches nothing.
        "phases": t.productions.c.phase.in_(bindparam("phases", expanding=True)),
    }
)
SHOOT_DAYS = Filters[Any](
    {
        **_equals(t.shoot_days, "production_id", "location_id"),
        "production_ids": t.shoot_days.c.production_id.in_(
            bindparam("production_ids", expanding=True)
        ),
        "location_ids": t.shoot_days.c.location_id.in_(bindparam("location_ids", expanding=True)),
        "date_from": t.shoot_days.c.date >= bindparam("date_from"),
        "date_to": t.shoot_days.c.date <= bindparam("date_to"),
    }
)

_PARSERS: dict[str, Callable[[str], Any]] = {
    "id": UUID,
    "starts_on": dt.date.fromisoformat,
    "date": dt.date.fromisoformat,
}


def after_key(table: Table, ordering: Sequence[str]) -> ColumnElement[bool]:
    """Rows strictly after the sort key in parameters ``after_0``, ``after_1``...

    Written as ``a >= x AND (a > x OR b > y)`` rather than a row-value comparison: every engine
    turns the leading ``a >= x`` into an index range, so a deep page costs what the first does.
    """
    columns = [table.c[name] for name in ordering]
    keys = [bindparam(f"after_{i}", type_=c.type) for i, c in enumerate(columns)]
    if len(columns) == 1:
        return columns[0] > keys[0]
    (first, second), (x, y) = columns, keys
    return and_(first >= x, or_(first > x, second > y))


def cursor_parameters(ordering: Sequence[str], cursor: str) -> dict[str, Any]:
    """The ``after_<i>`` parameters of ``cursor``; InvalidInput on ``page.cursor`` if bad."""
    key = decode_cursor(cursor, arity=len(ordering))
    try:
        return {
            f"after_{i}": _PARSERS[name](text)
            for i, (name, text) in enumerate(zip(ordering, key, strict=True))
        }
    except ValueError:
        raise InvalidInput(
            "page.cursor: the cursor does not hold a sort key", field="page.cursor"
        ) from None
