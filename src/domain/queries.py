"""Filters of the list queries, with the reference semantics every data source must match."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, ClassVar, Generic, TypeVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator

from domain.model import Entity, Genre, Movie, Phase, Production, ShootDay, ShootingLocation

E = TypeVar("E", bound=Entity)


class Query(BaseModel, Generic[E]):
    """A conjunction of optional filters; a filter left at None does not restrict."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    resource: ClassVar[str]
    """The repository name the filters belong to (``movies``, ``productions``...)."""

    def active_filters(self) -> frozenset[str]:
        """Qualified names (``movies.genre``) of the filters this query sets."""
        return frozenset(f"{self.resource}.{name}" for name, value in self if value is not None)

    @classmethod
    def filter_names(cls) -> frozenset[str]:
        """Qualified names of every filter this query type offers."""
        return frozenset(f"{cls.resource}.{name}" for name in cls.model_fields)

    def matches(self, entity: E) -> bool:
        """Whether ``entity`` passes every filter set (the reference the conformance kit uses)."""
        raise NotImplementedError


class MovieQuery(Query[Movie]):
    """Movies of one genre and/or one release year."""

    resource = "movies"
    genre: Genre | None = None
    release_year: Annotated[int, Field(ge=1888, le=2100)] | None = None

    def matches(self, entity: Movie) -> bool:
        """Whether the movie has the genre and the release year asked for."""
        return (self.genre is None or self.genre in entity.genres) and (
            self.release_year is None or entity.release_year == self.release_year
        )


class LocationQuery(Query[ShootingLocation]):
    """Locations in one country and/or one city (exact, case-sensitive match)."""

    resource = "locations"
    country: str | None = None
    city: str | None = None

    @field_validator("country")
    @classmethod
    def _upper(cls, value: str | None) -> str | None:
        return None if value is None else value.strip().upper()

    def matches(self, entity: ShootingLocation) -> bool:
        """Whether the location is in the country and city asked for."""
        return (self.country is None or entity.country == self.country) and (
            self.city is None or entity.city == self.city
        )


class ProductionQuery(Query[Production]):
    """Productions of one movie (or of any of several) and/or in some phases."""

    resource = "productions"
    movie_id: UUID | None = None
    movie_ids: frozenset[UUID] | None = None
    """The children of many movies in one query: what a DataLoader batches."""
    phases: frozenset[Phase] | None = None

    def matches(self, entity: Production) -> bool:
        """Whether the production belongs to the movie(s) and is in one of the phases."""
        return (
            (self.movie_id is None or entity.movie_id == self.movie_id)
            and (self.movie_ids is None or entity.movie_id in self.movie_ids)
            and (self.phases is None or entity.phase in self.phases)
        )


class ShootDayQuery(Query[ShootDay]):
    """Shoot days of one production and/or location, within a date range (ends included).

    ``production_ids`` and ``location_ids`` ask for the shoot days of many parents at once.
    """

    resource = "shoot_days"
    production_id: UUID | None = None
    production_ids: frozenset[UUID] | None = None
    location_id: UUID | None = None
    location_ids: frozenset[UUID] | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def matches(self, entity: ShootDay) -> bool:
        """Whether the shoot day belongs to the production and location, inside the range."""
        return (
            (self.production_id is None or entity.production_id == self.production_id)
            and (self.production_ids is None or entity.production_id in self.production_ids)
            and (self.location_id is None or entity.location_id == self.location_id)
            and (self.location_ids is None or entity.location_id in self.location_ids)
            and (self.date_from is None or entity.date >= self.date_from)
            and (self.date_to is None or entity.date <= self.date_to)
        )


ALL_FILTERS = frozenset().union(
    *(q.filter_names() for q in (MovieQuery, LocationQuery, ProductionQuery, ShootDayQuery))
)
"""Every filter name the ports offer; a data source declares which of them it supports."""
