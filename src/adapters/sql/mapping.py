"""Explicit, two-way mapping between table rows and domain entities.

Rows become plain dicts validated by the entity models in one batch: the domain never sees a
SQLAlchemy object, and a row the model refuses becomes DataSourceError, not a crash.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import ColumnElement, Table, func, select

from adapters.sql import tables as t
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


def _movie(row: Mapping[Any, Any]) -> dict[str, Any]:
    genres = row["genres"]
    return {**row, "genres": genres.split(GENRE_SEPARATOR) if genres else ()}


def _production(row: Mapping[Any, Any]) -> dict[str, Any]:
    fields = dict(row)
    fields["budget"] = {
        "amount": fields.pop("budget_amount"),
        "currency": fields.pop("budget_currency"),
    }
    return fields


class Mapper(Generic[E]):
    """How one entity type maps to its table: the columns to read and the values to write."""

    def __init__(
        self,
        kind: type[E],
        table: Table,
        columns: Sequence[ColumnElement[Any]],
        from_row: Callable[[Mapping[Any, Any]], Mapping[str, Any]] = dict,
    ) -> None:
        self.kind = kind
        self.table = table
        self.columns = tuple(columns)
        self._from_row = from_row
        self._adapter = TypeAdapter(list[kind])  # type: ignore[valid-type]

    def entities(self, rows: Iterable[Mapping[Any, Any]]) -> list[E]:
        """Validate rows into entities, in order; DataSourceError if a row is not valid."""
        try:
            result: list[E] = self._adapter.validate_python([self._from_row(r) for r in rows])
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


MOVIES = Mapper(Movie, t.movies, [*t.movies.c, _genres_of_movie()], _movie)
LOCATIONS = Mapper(ShootingLocation, t.locations, list(t.locations.c))
PRODUCTIONS = Mapper(Production, t.productions, list(t.productions.c), _production)
SHOOT_DAYS = Mapper(ShootDay, t.shoot_days, list(t.shoot_days.c))
