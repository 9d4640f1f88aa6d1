"""Input types of queries and mutations, and their conversion to domain values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import strawberry

from app.service.graphql.enums import Genre, Phase
from app.service.graphql.paging import to_uuid
from domain import LocationQuery, MovieQuery, ProductionQuery, ShootDayQuery
from domain.validation import parse


@strawberry.input(description="Movies of one genre and/or one release year.")
class MovieFilter:
    """Filters of ``movies``."""

    genre: Genre | None = None
    release_year: int | None = None

    def to_query(self) -> MovieQuery:
        """The domain query (InvalidInput names a bad value)."""
        genre = None if self.genre is None else self.genre.value
        return parse(
            MovieQuery, {"genre": genre, "release_year": self.release_year}, prefix="filter."
        )


@strawberry.input(description="Locations in one country and/or city (exact match).")
class LocationFilter:
    """Filters of ``locations``."""

    country: str | None = None
    city: str | None = None

    def to_query(self) -> LocationQuery:
        """The domain query."""
        return parse(LocationQuery, {"country": self.country, "city": self.city}, prefix="filter.")


@strawberry.input(description="Productions of one movie and/or in some phases.")
class ProductionFilter:
    """Filters of ``productions``."""

    movie_id: strawberry.ID | None = None
    movie_ids: list[strawberry.ID] | None = None
    phases: list[Phase] | None = None

    def to_query(self) -> ProductionQuery:
        """The domain query."""
        fields: dict[str, Any] = {
            "movie_id": None if self.movie_id is None else to_uuid(self.movie_id, "filter.movieId"),
            "movie_ids": _uuids(self.movie_ids, "filter.movieIds"),
            "phases": None if self.phases is None else [p.value for p in self.phases],
        }
        return parse(ProductionQuery, fields, prefix="filter.")


@strawberry.input(description="Shoot days of a production and/or location, in a date range.")
class ShootDayFilter:
    """Filters of ``shootDays`` (date range ends included)."""

    production_id: strawberry.ID | None = None
    production_ids: list[strawberry.ID] | None = None
    location_id: strawberry.ID | None = None
    location_ids: list[strawberry.ID] | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def to_query(self) -> ShootDayQuery:
        """The domain query."""
        fields: dict[str, Any] = {
            "production_id": _maybe_uuid(self.production_id, "filter.productionId"),
            "production_ids": _uuids(self.production_ids, "filter.productionIds"),
            "location_id": _maybe_uuid(self.location_id, "filter.locationId"),
            "location_ids": _uuids(self.location_ids, "filter.locationIds"),
            "date_from": self.date_from,
            "date_to": self.date_to,
        }
        return parse(ShootDayQuery, fields, prefix="filter.")


def _uuids(values: list[strawberry.ID] | None, field: str) -> list[Any] | None:
    if values is None:
        return None
    return [to_uuid(value, f"{field}[{index}]") for index, value in enumerate(values)]


def _maybe_uuid(value: strawberry.ID | None, field: str) -> Any:
    return None if value is None else to_uuid(value, field)


@strawberry.input(description="A location on a date.")
class SlotInput:
    """One (location, date) slot of ``shootDayBookings``."""

    location_id: strawberry.ID
    date: dt.date


@strawberry.input(description="An amount and its ISO 4217 currency.")
class MoneyInput:
    """A budget."""

    amount: Decimal
    currency: str

    def to_dict(self) -> dict[str, Any]:
        """The fields of a domain Money."""
        return {"amount": self.amount, "currency": self.currency}


@strawberry.input(description="A location and date of an onboarding's shoot plan.")
class ShootPlanItem:
    """One planned shoot day."""

    location_id: strawberry.ID
    date: dt.date


@strawberry.input(description="A movie to register; the id may be chosen by the caller.")
class RegisterMovieInput:
    """Arguments of ``registerMovie``."""

    title: str
    logline: str = ""
    genres: list[Genre] = strawberry.field(default_factory=list)
    release_year: int | None = None
    id: strawberry.ID | None = None


@strawberry.input(description="A shooting location to register.")
class RegisterLocationInput:
    """Arguments of ``registerLocation``."""

    name: str
    city: str
    country: str
    latitude: float
    longitude: float
    id: strawberry.ID | None = None


@strawberry.input(description="A production to start, with its shoot plan.")
class OnboardProductionInput:
    """Arguments of ``onboardProduction``."""

    movie_id: strawberry.ID
    budget: MoneyInput
    starts_on: dt.date
    wraps_on: dt.date
    shoot_plan: list[ShootPlanItem] = strawberry.field(default_factory=list)
    id: strawberry.ID | None = None
