"""Races the database must settle: one winner, clean losers, nothing half-written."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Collection
from uuid import uuid4

import pytest

from adapters.sql import SqlDataSource
from app.bootstrap import Interactors
from domain import (
    MOVIES,
    PRODUCTIONS,
    SHOOT_DAYS,
    Conflict,
    DomainError,
    Money,
    Movie,
    PageRequest,
    Production,
    ProductionQuery,
    RuleViolation,
    ShootDay,
    ShootDayQuery,
    Slot,
    UniqueKey,
    UnitOfWork,
    UnitOfWorkFactory,
)

BUDGET = Money(amount="1000000.00", currency="USD")
WINDOW = (dt.date(2032, 5, 1), dt.date(2032, 5, 31))


async def test_two_updates_of_one_version_exactly_one_wins(sql_source: SqlDataSource) -> None:
    movie = Movie(title=f"Race {uuid4().hex[:6]}")
    async with sql_source.unit_of_work() as uow:
        await uow.repository(MOVIES).add(movie)
        await uow.commit()
    async with sql_source.unit_of_work() as first, sql_source.unit_of_work() as second:
        mine, theirs = (
            await first.repository(MOVIES).get(movie.id),
            await second.repository(MOVIES).get(movie.id),
        )
        await first.repository(MOVIES).update(mine.evolve(title="First"))  # holds the row lock
        # The second update waits for the first transaction (or, on SQLite, for the write
        # lock), then finds the version moved on.
        loser = asyncio.ensure_future(
            second.repository(MOVIES).update(theirs.evolve(title="Second"))
        )
        await asyncio.sleep(0)
        await first.commit()
        results = await asyncio.gather(loser, return_exceptions=True)
    assert isinstance(results[0], Conflict), results
    assert results[0].reason == "stale_version"
    async with sql_source.unit_of_work() as uow:
        stored = await uow.repository(MOVIES).get(movie.id)
    assert (stored.title, stored.version) == ("First", 2)


async def test_many_advances_of_one_version_exactly_one_wins(sql_studio: Interactors) -> None:
    movie = await sql_studio.register_movie(title=f"Advance race {uuid4().hex[:6]}")
    onboarded = await sql_studio.onboard_production(
        movie_id=movie.id, budget=BUDGET, starts_on=WINDOW[0], wraps_on=WINDOW[1]
    )
    production_id = onboarded.production.id
    results = await asyncio.gather(
        *(
            sql_studio.advance_production(
                production_id=production_id, to_phase=phase, expected_version=1
            )
            for phase in ["principal_photography", "cancelled"] * 5
        ),
        return_exceptions=True,
    )
    winners = [r for r in results if isinstance(r, Production)]
    assert len(winners) == 1, results
    assert all(isinstance(r, Conflict) for r in results if r not in winners), results


def _check_together(factory: UnitOfWorkFactory, parties: int) -> UnitOfWorkFactory:
    """Units of work whose booking checks all finish before any of them may write."""
    barrier = asyncio.Barrier(parties)

    def open_unit() -> UnitOfWork:
        uow = factory()
        check = uow.repository(SHOOT_DAYS).find_by

        async def find_by(key: UniqueKey, slots: Collection[Slot]) -> Collection[ShootDay]:
            taken = await check(key, slots)
            await asyncio.wait_for(barrier.wait(), timeout=30)  # a guard against a hang
            return taken

        uow.repository(SHOOT_DAYS).find_by = find_by  # type: ignore[method-assign]
        return uow

    return open_unit


@pytest.mark.parametrize("together", [False, True], ids=["free-race", "checks-first"])
async def test_twenty_onboardings_of_one_slot_leave_one_production(
    sql_source: SqlDataSource, together: bool
) -> None:
    """Free race: whatever interleaving the engine gives. Checks first: every onboarding sees
    the slot free, so only the unique constraint can stop the nineteen losers."""
    uow = sql_source.unit_of_work
    studio = Interactors(_check_together(uow, 20) if together else uow)
    setup = Interactors(uow)
    place = await setup.register_location(
        name="Glacier", city=f"Vik {uuid4().hex[:6]}", country="IS", latitude=63.4, longitude=-19
    )
    movies = [await setup.register_movie(title=f"Contender {i}") for i in range(20)]
    slot = (place.id, dt.date(2032, 5, 10))
    results = await asyncio.gather(
        *(
            studio.onboard_production(
                movie_id=movie.id,
                budget=BUDGET,
                starts_on=WINDOW[0],
                wraps_on=WINDOW[1],
                shoot_plan=[slot],
            )
            for movie in movies
        ),
        return_exceptions=True,
    )
    succeeded = [r for r in results if not isinstance(r, BaseException)]
    failed = [r for r in results if isinstance(r, BaseException)]
    assert len(succeeded) == 1, results
    assert all(isinstance(r, Conflict if together else RuleViolation | Conflict) for r in failed)
    assert all(isinstance(r, DomainError) and r.reason == "location_double_booked" for r in failed)
    async with uow() as reader:
        days = await reader.repository(SHOOT_DAYS).list(
            ShootDayQuery(location_id=place.id), PageRequest()
        )
        left = [
            (
                await reader.repository(PRODUCTIONS).list(
                    ProductionQuery(movie_id=m.id), PageRequest()
                )
            ).items
            for m in movies
        ]
    assert [d.production_id for d in days.items] == [succeeded[0].production.id]
    assert sum(len(items) for items in left) == 1, "a losing onboarding left its production"


async def test_onboardings_of_one_movie_racing_past_the_check_leave_one_active_production(
    sql_source: SqlDataSource,
) -> None:
    """Every onboarding sees the movie free before any writes: only the movie's version,
    checked by the storage at commit, can refuse the nine losers."""
    uow = sql_source.unit_of_work
    setup = Interactors(uow)
    movie = await setup.register_movie(title=f"One movie {uuid4().hex[:6]}")
    places = [
        await setup.register_location(
            name="Quay", city=f"Oslo {uuid4().hex[:6]}", country="NO", latitude=59.9, longitude=10.7
        )
        for _ in range(10)
    ]
    studio = Interactors(_check_together(uow, 10))
    results = await asyncio.gather(
        *(
            studio.onboard_production(
                movie_id=movie.id,
                budget=BUDGET,
                starts_on=WINDOW[0],
                wraps_on=WINDOW[1],
                shoot_plan=[(place.id, WINDOW[0])],
            )
            for place in places
        ),
        return_exceptions=True,
    )
    failed = [r for r in results if isinstance(r, BaseException)]
    assert len(failed) == 9, results
    # They all passed the check; the movie's version (bumped by onboarding) stops the losers.
    assert all(isinstance(r, Conflict) and r.entity == "Movie" for r in failed), failed
    async with uow() as reader:
        left = await reader.repository(PRODUCTIONS).list(
            ProductionQuery(movie_id=movie.id), PageRequest()
        )
    assert len(left.items) == 1
