"""The adapter's wire formats: response shapes to validate, entities to mutation inputs.

Documents alias camelCase fields to the entities' snake_case names, so nodes validate straight
into domain entities; GraphQL enum names (``PRE_PRODUCTION``) become the domain's lowercase
values on the way in.
"""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from domain import Entity, Movie, Production, ShootDay, ShootingLocation

N = TypeVar("N")
E = TypeVar("E", bound=Entity)


def _lower_enums(value: Any) -> Any:
    if isinstance(value, dict):
        phase = value.get("phase")
        if isinstance(phase, str):
            value["phase"] = phase.lower()
        genres = value.get("genres")
        if isinstance(genres, list):
            value["genres"] = [g.lower() if isinstance(g, str) else g for g in genres]
    return value


MovieNode = Annotated[Movie, BeforeValidator(_lower_enums)]
ProductionNode = Annotated[Production, BeforeValidator(_lower_enums)]
LocationNode = ShootingLocation
ShootDayNode = ShootDay


class GraphQLError(BaseModel):
    """One entry of ``errors``; ``extensions.code`` says what went wrong."""

    model_config = ConfigDict(extra="ignore")

    message: str = ""
    extensions: dict[str, Any] = Field(default_factory=dict)


class Envelope(BaseModel, Generic[N]):
    """A GraphQL response: ``data`` keyed by the root field, and ``errors``."""

    model_config = ConfigDict(extra="ignore")

    data: dict[str, N | None] | None = None
    errors: list[GraphQLError] | None = None


class Edge(BaseModel, Generic[N]):
    """An edge of a connection (the adapter never asks for edge cursors)."""

    node: N


class PageInfo(BaseModel):
    """Whether a next page exists and its cursor."""

    has_next_page: bool = Field(alias="hasNextPage")
    end_cursor: str | None = Field(alias="endCursor")


class Connection(BaseModel, Generic[N]):
    """A Relay connection: one page of nodes."""

    edges: list[Edge[N]]
    page_info: PageInfo = Field(alias="pageInfo")


class Applied(BaseModel):
    """What ``applyChanges`` answers."""

    applied: int


class Typename(BaseModel):
    """Nothing: ``check`` only needs a valid answer."""


def _enum_name(value: str) -> str:
    return value.upper()


def movie_input(movie: Movie) -> dict[str, Any]:
    """A movie as ``MovieInput``."""
    return {
        "id": str(movie.id),
        "version": movie.version,
        "title": movie.title,
        "logline": movie.logline,
        "genres": sorted(_enum_name(g) for g in movie.genres),
        "releaseYear": movie.release_year,
    }


def location_input(location: ShootingLocation) -> dict[str, Any]:
    """A location as ``LocationInput``."""
    return {
        "id": str(location.id),
        "version": location.version,
        "name": location.name,
        "city": location.city,
        "country": location.country,
        "latitude": location.latitude,
        "longitude": location.longitude,
    }


def production_input(production: Production) -> dict[str, Any]:
    """A production as ``ProductionInput`` (the amount as a decimal string)."""
    return {
        "id": str(production.id),
        "version": production.version,
        "movieId": str(production.movie_id),
        "phase": _enum_name(production.phase),
        "budget": {"amount": str(production.budget.amount), "currency": production.budget.currency},
        "startsOn": production.starts_on.isoformat(),
        "wrapsOn": production.wraps_on.isoformat(),
    }


def shoot_day_input(day: ShootDay) -> dict[str, Any]:
    """A shoot day as ``ShootDayInput``."""
    return {
        "id": str(day.id),
        "version": day.version,
        "productionId": str(day.production_id),
        "locationId": str(day.location_id),
        "date": day.date.isoformat(),
    }
