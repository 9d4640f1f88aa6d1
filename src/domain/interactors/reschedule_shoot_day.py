"""Use case: move a shoot day to another date."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from domain.errors import RuleViolation
from domain.interactors._shared import double_booked, ensure_active, ensure_version
from domain.model import ShootDay
from domain.ports import UnitOfWorkFactory
from domain.studio import PRODUCTIONS, SHOOT_DAYS, SLOT
from domain.validation import parse_value


class RescheduleShootDay:
    """Move a shoot day inside its production's window to a date its location is free."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(
        self, *, shoot_day_id: UUID, new_date: dt.date, expected_version: int
    ) -> ShootDay:
        """Return the rescheduled shoot day (version + 1).

        NotFound, Conflict on a stale version, RuleViolation when the production is no longer
        active, the date is outside its window or the location is taken that day.
        """
        async with self._uow() as uow:
            day = await uow.repository(SHOOT_DAYS).get(shoot_day_id)
            ensure_version(day, expected_version)
            moved = day.evolve(date=parse_value(dt.date, new_date, "new_date"))
            production = await uow.repository(PRODUCTIONS).get(day.production_id)
            ensure_active(production)
            if not production.covers(moved.date):
                raise RuleViolation(
                    f"{moved.date} is outside the window "
                    f"{production.starts_on}..{production.wraps_on}",
                    entity="ShootDay",
                    field="new_date",
                    reason="shoot_day_outside_window",
                )
            taken = [
                b
                for b in await uow.repository(SHOOT_DAYS).find_by(SLOT, [moved.slot])
                if b.id != day.id
            ]
            if taken:
                raise double_booked(*moved.slot)
            stored = await uow.repository(SHOOT_DAYS).update(moved)
            await uow.commit()
        return stored
