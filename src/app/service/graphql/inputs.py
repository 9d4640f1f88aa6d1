"""Input types of the use cases' mutations (entity inputs and filters are derived)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import strawberry

from app.service.graphql.enums import Genre
from app.service.graphql.schema_types import TYPES
from domain import Money

if TYPE_CHECKING:
    from typing import Any as MoneyInput  # an input type the catalog derives
else:
    MoneyInput = TYPES.values[Money][1]


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
