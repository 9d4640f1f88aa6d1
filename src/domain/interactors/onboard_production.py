"""Use case: start a production of a movie, with its plan of shoot days, atomically."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from uuid import UUID

from domain.errors import NotFound, RuleViolation
from domain.interactors._shared import double_booked
from domain.model import ACTIVE_PHASES, Money, Phase, Production, ProductionOverview, ShootDay
from domain.paging import PageRequest
from domain.ports import UnitOfWorkFactory
from domain.queries import ProductionQuery
from domain.studio import LOCATIONS, MOVIES, PRODUCTIONS, SHOOT_DAYS, SLOT
from domain.validation import parse

ShootPlan = Iterable[tuple[UUID, dt.date]]
"""(location id, date) pairs, one per planned shoot day."""


class OnboardProduction:
    """Create a production in pre-production and book its shoot days, all or nothing.

    Shoot-day ids are derived from the production id and the slot, so retrying an onboarding
    with a caller-chosen production id is safe: the retry conflicts instead of booking twice.

    The movie's version goes up by one: it is the consistency boundary of its productions, so
    two onboardings of one movie racing past the active-production check cannot both commit.

    Rules: the movie exists and has no active production; starts_on <= wraps_on; every
    location exists (fetched in one batch); every date is inside the window; no location is
    booked twice on one date, within the plan or across productions.
    """

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(
        self,
        *,
        movie_id: UUID,
        budget: Money | Mapping[str, str | Decimal],
        starts_on: dt.date,
        wraps_on: dt.date,
        shoot_plan: ShootPlan = (),
        id: UUID | None = None,
    ) -> ProductionOverview:
        """Onboard the production and return its overview."""
        production = self._production(id, movie_id, budget, starts_on, wraps_on)
        days = _plan_days(production, shoot_plan)
        async with self._uow() as uow:
            movie = await uow.repository(MOVIES).get(movie_id)
            active = await uow.repository(PRODUCTIONS).list(
                ProductionQuery(movie_id=movie_id, phases=ACTIVE_PHASES), PageRequest(size=1)
            )
            if active.items:
                raise RuleViolation(
                    f"movie {movie_id} already has the active production {active.items[0].id}",
                    entity="Production",
                    field="movie_id",
                    reason="movie_has_active_production",
                )
            location_ids = {day.location_id for day in days}
            locations = await uow.repository(LOCATIONS).get_many(location_ids)
            missing = sorted(location_ids - locations.keys(), key=str)
            if missing:
                raise NotFound.of("ShootingLocation", missing[0])
            taken = await uow.repository(SHOOT_DAYS).find_by(SLOT, [day.slot for day in days])
            if taken:
                raise double_booked(*min(taken, key=lambda d: d.sort_key).slot)
            # Reads done, writes begin. The movie guards "one active production": bumping its
            # version makes racing onboardings of one movie conflict on every source (ADR 0009).
            movie = await uow.repository(MOVIES).update(movie)
            added = await uow.repository(PRODUCTIONS).add(production)
            # Slots are booked in one global order (date, location), so two onboardings that
            # want the same slots wait for each other instead of deadlocking on the unique
            # (location, date) index (found by 50 racing onboardings on PostgreSQL).
            by_slot = sorted(days, key=lambda d: (d.date, str(d.location_id)))
            stored = {day.id: await uow.repository(SHOOT_DAYS).add(day) for day in by_slot}
            stored_days = tuple(stored[day.id] for day in days)
            await uow.commit()
        return ProductionOverview(
            production=added, movie=movie, shoot_days=stored_days, locations=locations
        )

    @staticmethod
    def _production(
        id: UUID | None,
        movie_id: UUID,
        budget: Money | Mapping[str, str | Decimal],
        starts_on: dt.date,
        wraps_on: dt.date,
    ) -> Production:
        fields: dict[str, object] = {
            "movie_id": movie_id,
            "phase": Phase.PRE_PRODUCTION,
            "budget": budget,
            "starts_on": starts_on,
            "wraps_on": wraps_on,
        }
        if id is not None:
            fields["id"] = id
        return parse(Production, fields)


def _plan_days(production: Production, plan: ShootPlan) -> list[ShootDay]:
    days: list[ShootDay] = []
    seen: set[tuple[UUID, dt.date]] = set()
    for index, (location_id, date) in enumerate(plan):
        fields = {"production_id": production.id, "location_id": location_id, "date": date}
        day = parse(ShootDay, fields, prefix=f"shoot_plan[{index}].")
        day = day.evolve(id=ShootDay.planned_id(production.id, day.location_id, day.date))
        if not production.covers(day.date):
            raise RuleViolation(
                f"shoot day {day.date} is outside the window "
                f"{production.starts_on}..{production.wraps_on}",
                entity="ShootDay",
                field=f"shoot_plan[{index}].date",
                reason="shoot_day_outside_window",
            )
        if day.slot in seen:
            raise double_booked(*day.slot)
        seen.add(day.slot)
        days.append(day)
    return sorted(days, key=lambda d: d.sort_key)
