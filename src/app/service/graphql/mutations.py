"""The studio's use-case mutations; the schema adds the derived ``applyChanges`` beside them."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import strawberry

from app.service.graphql.enums import Phase
from app.service.graphql.inputs import (
    OnboardProductionInput,
    RegisterLocationInput,
    RegisterMovieInput,
)
from app.service.graphql.paging import to_uuid
from app.service.graphql.schema_types import TYPES
from app.service.graphql.types import Ctx

if TYPE_CHECKING:  # the resolvers return the domain's entities, typed as such
    from domain import Movie, Production, ShootDay, ShootingLocation
else:  # strawberry reads the annotations at run time: the GraphQL types of the catalog
    Movie = TYPES.objects["movies"]
    ShootingLocation = TYPES.objects["locations"]
    Production = TYPES.objects["productions"]
    ShootDay = TYPES.objects["shoot_days"]


@strawberry.type
class StudioMutations:
    """The studio's use cases, each through its interactor."""

    @strawberry.mutation(description="Register a movie (RegisterMovie).")
    async def register_movie(self, info: Ctx, input: RegisterMovieInput) -> Movie:
        """Register a new movie."""
        movie = await info.context.interactors.register_movie(
            title=input.title,
            logline=input.logline,
            genres=[g.value for g in input.genres],
            release_year=input.release_year,
            id=None if input.id is None else to_uuid(input.id, "input.id"),
        )
        return movie

    @strawberry.mutation(description="Register a shooting location (RegisterLocation).")
    async def register_location(self, info: Ctx, input: RegisterLocationInput) -> ShootingLocation:
        """Register a new location."""
        location = await info.context.interactors.register_location(
            name=input.name,
            city=input.city,
            country=input.country,
            latitude=input.latitude,
            longitude=input.longitude,
            id=None if input.id is None else to_uuid(input.id, "input.id"),
        )
        return location

    @strawberry.mutation(description="Start a production with its shoot plan (OnboardProduction).")
    async def onboard_production(self, info: Ctx, input: OnboardProductionInput) -> Production:
        """Onboard a production; its shoot days are on ``shootDays``."""
        plan = [
            (to_uuid(item.location_id, f"input.shootPlan[{i}].locationId"), item.date)
            for i, item in enumerate(input.shoot_plan)
        ]
        overview = await info.context.interactors.onboard_production(
            movie_id=to_uuid(input.movie_id, "input.movieId"),
            budget=vars(input.budget),
            starts_on=input.starts_on,
            wraps_on=input.wraps_on,
            shoot_plan=plan,
            id=None if input.id is None else to_uuid(input.id, "input.id"),
        )
        return overview.production

    @strawberry.mutation(description="Move a production one phase on, or cancel it.")
    async def advance_production(
        self, info: Ctx, id: strawberry.ID, to_phase: Phase, expected_version: int
    ) -> Production:
        """Advance a production (AdvanceProduction)."""
        production = await info.context.interactors.advance_production(
            production_id=to_uuid(id, "id"),
            to_phase=to_phase.value,
            expected_version=expected_version,
        )
        return production

    @strawberry.mutation(description="Move a shoot day to another date (RescheduleShootDay).")
    async def reschedule_shoot_day(
        self, info: Ctx, id: strawberry.ID, new_date: dt.date, expected_version: int
    ) -> ShootDay:
        """Reschedule a shoot day."""
        day = await info.context.interactors.reschedule_shoot_day(
            shoot_day_id=to_uuid(id, "id"), new_date=new_date, expected_version=expected_version
        )
        return day

    @strawberry.mutation(description="Cancel a shoot day; returns its id (CancelShootDay).")
    async def cancel_shoot_day(
        self, info: Ctx, id: strawberry.ID, expected_version: int
    ) -> strawberry.ID:
        """Cancel a shoot day."""
        await info.context.interactors.cancel_shoot_day(
            shoot_day_id=to_uuid(id, "id"), expected_version=expected_version
        )
        return id
