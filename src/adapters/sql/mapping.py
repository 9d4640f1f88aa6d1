"""Explicit, two-way mapping between table rows and domain entities.

Rows become plain dicts validated by the entity models in one batch: the domain never sees a
SQLAlchemy object, and a row the model refuses becomes DataSourceError, not a crash.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Generic, TypeVar

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import (
    ColumnElement,
    Date,
    String,
    Table,
    Uuid,
    func,
    select,
    type_coerce,
)

from adapters.sql import tables as t
from adapters.sql.lookup import IdLookup
from domain import DataSourceError, Entity, Movie, Production, ShootDay, ShootingLocation

E = TypeVar("E", bound=Entity)

GENRE_SEPARATOR = ","


def _genres_of_movie() -> ColumnElement[str]:
    """A correlated subquery folding a movie's genres into one string (one statement)."""
    return (
        select(func.aggregate_strings(t.movie_genres.c.genre, GENRE_SEPARATOR))
        .where(t.movie_genres.c.movie_id == t.movies.c.id)
        .scalar_subquery()
        .label("genres")
    )


def _movie(row: dict[str, Any]) -> dict[str, Any]:
    genres = row["genres"]
    row["genres"] = genres.split(GENRE_SEPARATOR) if genres else ()
    return row


def _production(row: dict[str, Any]) -> dict[str, Any]:
    row["budget"] = {"amount": row.pop("budget_amount"), "currency": row.pop("budget_currency")}
    return row


class Mapper(Generic[E]):
    """How one entity type maps to its table: the columns to read and the values to write."""

    def __init__(
        self,
        kind: type[E],
        table: Table,
        columns: Sequence[ColumnElement[Any]],
        from_row: Callable[[dict[str, Any]], dict[str, Any]] = lambda row: row,
    ) -> None:
        self.kind = kind
        self.table = table
        self.columns = tuple(columns)
        self._from_row = from_row
        self._adapter = TypeAdapter(list[kind])  # type: ignore[valid-type]
        # Statements built once: SQLAlchemy then finds their compiled form by a memoised key,
        # where a freshly built statement costs tens of µs per call to build and key.
        ordering = [table.c[name] for name in kind.ordering]
        self.ordered = select(*self.columns).order_by(*ordering)
        """Every row in the stable order; callers add WHERE and LIMIT."""
        self.lookup = IdLookup(self.columns, table.c.id)
        """Rows by a set of ids, one statement whatever the number of ids."""

    def entities(self, keys: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[E]:
        """Validate rows (tuples in ``keys`` order) into entities; DataSourceError if invalid."""
        # zip over plain tuples: several times cheaper than going through RowMapping objects.
        convert = self._from_row
        try:
            dicts = [convert(dict(zip(keys, row, strict=True))) for row in rows]
            result: list[E] = self._adapter.validate_python(dicts)
        except ValidationError as exc:
            raise DataSourceError(
                f"the {self.table.name} table holds a row that is not a valid "
                f"{self.kind.__name__}: {exc.errors(include_url=False)[0]['msg']}",
                entity=self.kind.__name__,
            ) from None
        return result

    def values(self, entity: E) -> dict[str, Any]:
        """The column values of ``entity`` for its own table."""
        values = entity.model_dump(exclude={"genres", "budget"})
        if isinstance(entity, Production):
            values["budget_amount"] = entity.budget.amount
            values["budget_currency"] = entity.budget.currency
        return values


def genre_rows(movie: Movie) -> list[dict[str, Any]]:
    """The movie_genres rows of ``movie``, sorted so inserts lock in a stable order."""
    return [{"movie_id": movie.id, "genre": str(g)} for g in sorted(movie.genres)]


def _as_read(table: Table) -> list[ColumnElement[Any]]:
    """The table's columns, with UUIDs and dates left as the driver returns them.

    Where the driver hands back text (UUIDs on SQLite and MariaDB, dates on SQLite), the entity
    model parses it in pydantic's Rust core, about twice as fast as SQLAlchemy's Python result
    processors; where it hands back objects, the model takes them as they are.
    """
    return [
        type_coerce(c, String()).label(c.name) if isinstance(c.type, Uuid | Date) else c
        for c in table.c
    ]


MOVIES = Mapper(Movie, t.movies, [*_as_read(t.movies), _genres_of_movie()], _movie)
LOCATIONS = Mapper(ShootingLocation, t.locations, _as_read(t.locations))
PRODUCTIONS = Mapper(Production, t.productions, _as_read(t.productions), _production)
SHOOT_DAYS = Mapper(ShootDay, t.shoot_days, _as_read(t.shoot_days))
