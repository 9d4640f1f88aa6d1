"""Use case: move a production to its next phase, or cancel it."""

from __future__ import annotations

from uuid import UUID

from domain.interactors._shared import collect, ensure_version
from domain.model import Phase, Production
from domain.ports import UnitOfWorkFactory
from domain.queries import ShootDayQuery
from domain.studio import PRODUCTIONS, SHOOT_DAYS
from domain.validation import parse_value


class AdvanceProduction:
    """Advance a production one legal step; cancelling also releases its booked shoot days."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(
        self, *, production_id: UUID, to_phase: Phase | str, expected_version: int
    ) -> Production:
        """Return the production in its new phase (version + 1).

        NotFound if it does not exist, Conflict if ``expected_version`` is stale,
        RuleViolation if the transition is not legal.
        """
        target = parse_value(Phase, to_phase, "to_phase")
        async with self._uow() as uow:
            production = await uow.repository(PRODUCTIONS).get(production_id)
            ensure_version(production, expected_version)
            advanced = production.advance_to(target)
            if target is Phase.CANCELLED:
                # A cancelled production shoots nothing: free its locations for others.
                for day in await collect(
                    uow.repository(SHOOT_DAYS), ShootDayQuery(production_id=production_id)
                ):
                    await uow.repository(SHOOT_DAYS).remove(day.id, day.version)
            stored = await uow.repository(PRODUCTIONS).update(advanced)
            await uow.commit()
        return stored
