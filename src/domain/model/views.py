"""Read models the query interactors return: entities joined for one screen."""

from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from domain.model.location import ShootingLocation
from domain.model.movie import Movie
from domain.model.production import Production
from domain.model.shoot_day import ShootDay


class ProductionOverview(BaseModel):
    """A production with its movie, its shoot days in date order and their locations."""

    model_config = ConfigDict(frozen=True)

    production: Production
    movie: Movie
    shoot_days: tuple[ShootDay, ...]
    locations: Mapping[UUID, ShootingLocation]


class SlateEntry(BaseModel):
    """One line of the slate: a production and its movie."""

    model_config = ConfigDict(frozen=True)

    production: Production
    movie: Movie
