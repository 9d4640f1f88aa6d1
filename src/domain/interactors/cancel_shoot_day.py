"""Use case: drop one shoot day from a production's plan."""

from __future__ import annotations

from uuid import UUID

from domain.interactors._shared import ensure_active, ensure_version
from domain.ports import UnitOfWorkFactory
from domain.studio import PRODUCTIONS, SHOOT_DAYS


class CancelShootDay:
    """Cancel a shoot day of an active production, freeing its location for that date."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, *, shoot_day_id: UUID, expected_version: int) -> None:
        """Remove the shoot day; NotFound, Conflict on a stale version, RuleViolation if final."""
        async with self._uow() as uow:
            day = await uow.repository(SHOOT_DAYS).get(shoot_day_id)
            ensure_version(day, expected_version)
            ensure_active(await uow.repository(PRODUCTIONS).get(day.production_id))
            await uow.repository(SHOOT_DAYS).remove(day.id, expected_version)
            await uow.commit()
