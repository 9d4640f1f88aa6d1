"""Per entity type: its documents, response shapes, filter variables and mutation input."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from uuid import UUID

from pydantic import TypeAdapter

from adapters.graphql import wire as w
from domain import (
    Entity,
    LocationQuery,
    Movie,
    MovieQuery,
    Production,
    ProductionQuery,
    ShootDay,
    ShootDayQuery,
    ShootingLocation,
)

E = TypeVar("E", bound=Entity)


@dataclass(frozen=True)
class Kind(Generic[E]):
    """How one entity type travels: document names, root fields and shapes."""

    entity: type[E]
    node: Any
    stem: str
    """Document names: ``get_<stem>``, ``get_many_<stem>s``, ``list_<stem>s``."""
    one: str
    many: str
    page: str
    change: str
    """The suffix of ``add``/``update``/``remove`` in ``ChangeInput`` (``Movie``...)."""
    filters: Callable[[Any], dict[str, Any]]
    to_input: Callable[[E], dict[str, Any]]
    one_shape: TypeAdapter[w.Envelope[E]] = field(init=False)
    many_shape: TypeAdapter[w.Envelope[list[E]]] = field(init=False)
    page_shape: TypeAdapter[w.Envelope[w.Connection[E]]] = field(init=False)

    def __post_init__(self) -> None:
        # Built once per type: a TypeAdapter compiles its validator.
        object.__setattr__(self, "one_shape", TypeAdapter(w.Envelope[self.node]))  # type: ignore[name-defined]
        object.__setattr__(self, "many_shape", TypeAdapter(w.Envelope[list[self.node]]))  # type: ignore[name-defined]
        object.__setattr__(
            self,
            "page_shape",
            TypeAdapter(w.Envelope[w.Connection[self.node]]),  # type: ignore[name-defined]
        )


def _set(**values: Any) -> dict[str, Any]:
    """Only the filters that are set: unset ones are left out of the variables."""
    return {name: value for name, value in values.items() if value is not None}


def _movie_filters(q: MovieQuery) -> dict[str, Any]:
    return _set(genre=q.genre and q.genre.upper(), releaseYear=q.release_year)


def _location_filters(q: LocationQuery) -> dict[str, Any]:
    return _set(country=q.country, city=q.city)


def _ids(ids: frozenset[UUID] | None) -> list[str] | None:
    return None if ids is None else sorted(map(str, ids))


def _production_filters(q: ProductionQuery) -> dict[str, Any]:
    return _set(
        movieId=q.movie_id and str(q.movie_id),
        movieIds=_ids(q.movie_ids),
        phases=None if q.phases is None else sorted(p.upper() for p in q.phases),
    )


def _shoot_day_filters(q: ShootDayQuery) -> dict[str, Any]:
    return _set(
        productionId=q.production_id and str(q.production_id),
        productionIds=_ids(q.production_ids),
        locationId=q.location_id and str(q.location_id),
        locationIds=_ids(q.location_ids),
        dateFrom=q.date_from and q.date_from.isoformat(),
        dateTo=q.date_to and q.date_to.isoformat(),
    )


MOVIES = Kind[Movie](
    Movie,
    w.MovieNode,
    "movie",
    "movie",
    "moviesByIds",
    "movies",
    "Movie",
    _movie_filters,
    w.movie_input,
)
LOCATIONS = Kind[ShootingLocation](
    ShootingLocation,
    w.LocationNode,
    "location",
    "location",
    "locationsByIds",
    "locations",
    "Location",
    _location_filters,
    w.location_input,
)
PRODUCTIONS = Kind[Production](
    Production,
    w.ProductionNode,
    "production",
    "production",
    "productionsByIds",
    "productions",
    "Production",
    _production_filters,
    w.production_input,
)
SHOOT_DAYS = Kind[ShootDay](
    ShootDay,
    w.ShootDayNode,
    "shoot_day",
    "shootDay",
    "shootDaysByIds",
    "shootDays",
    "ShootDay",
    _shoot_day_filters,
    w.shoot_day_input,
)
