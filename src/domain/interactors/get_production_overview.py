"""Query: everything one production screen shows, in a constant number of round trips."""

from __future__ import annotations

from uuid import UUID

from domain.interactors._shared import collect
from domain.model import ProductionOverview
from domain.ports import UnitOfWorkFactory
from domain.queries import ShootDayQuery
from domain.studio import LOCATIONS, MOVIES, PRODUCTIONS, SHOOT_DAYS


class GetProductionOverview:
    """Fetch a production, its movie, its shoot days and their locations.

    Four reads whatever the number of shoot days (up to the largest page): the locations come
    in one ``get_many`` rather than one read per shoot day.
    """

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, *, production_id: UUID) -> ProductionOverview:
        """Return the overview, or raise NotFound."""
        async with self._uow() as uow:
            production = await uow.repository(PRODUCTIONS).get(production_id)
            movie = await uow.repository(MOVIES).get(production.movie_id)
            days = await collect(
                uow.repository(SHOOT_DAYS), ShootDayQuery(production_id=production_id)
            )
            locations = await uow.repository(LOCATIONS).get_many({day.location_id for day in days})
        return ProductionOverview(
            production=production, movie=movie, shoot_days=tuple(days), locations=locations
        )
