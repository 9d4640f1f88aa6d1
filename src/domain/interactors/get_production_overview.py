"""Query: everything one production screen shows, in a constant number of round trips."""

from __future__ import annotations

from uuid import UUID

from domain.catalog import Plan
from domain.interactors._shared import collect
from domain.model import ProductionOverview
from domain.ports import UnitOfWorkFactory, planned_get
from domain.queries import ShootDayQuery
from domain.studio import LOCATIONS, MOVIES, PRODUCTIONS, SHOOT_DAYS

OVERVIEW = Plan(PRODUCTIONS, ("movie",), ("shoot_days", "location"))
"""What the overview reads after the production: a planning source fetches it all at once."""


class GetProductionOverview:
    """Fetch a production, its movie, its shoot days and their locations.

    Four reads whatever the number of shoot days (up to the largest page): the locations come
    in one ``get_many`` rather than one read per shoot day. The first read carries the
    ``OVERVIEW`` plan, so a source that plans (json_api) answers all four with one request.
    """

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, *, production_id: UUID) -> ProductionOverview:
        """Return the overview, or raise NotFound."""
        async with self._uow() as uow:
            production = await planned_get(uow.repository(PRODUCTIONS), production_id, OVERVIEW)
            movie = await uow.repository(MOVIES).get(production.movie_id)
            days = await collect(
                uow.repository(SHOOT_DAYS), ShootDayQuery(production_id=production_id)
            )
            locations = await uow.repository(LOCATIONS).get_many({day.location_id for day in days})
        return ProductionOverview(
            production=production, movie=movie, shoot_days=tuple(days), locations=locations
        )
