"""The writes the reliability tests push through faults, and how to read them back from the DB.

Every write uses client-chosen ids, so the same write can be retried and looked up afterwards:
``Write.run`` performs it through any unit-of-work factory; ``Write.count`` reads back, straight
from the service's database through the sql data source, how many of its rows exist.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import func, select

from adapters.sql import SqlDataSource
from app.bootstrap import Interactors
from domain import (
    LOCATIONS,
    MOVIES,
    PRODUCTIONS,
    SHOOT_DAYS,
    Movie,
    Production,
    ShootDay,
    ShootingLocation,
    UnitOfWorkFactory,
)
from tests.support import tables as t

START = dt.date(2031, 5, 1)
WRAP = dt.date(2031, 5, 31)


def _movie(id: UUID) -> Movie:
    return Movie(id=id, title=f"Fault line {id.hex[:6]}", logline="", genres=frozenset())


def _location(id: UUID) -> ShootingLocation:
    return ShootingLocation(
        id=id,
        name=f"Stage {id.hex[:6]}",
        city="Lisbon",
        country="PT",
        latitude=38.7,
        longitude=-9.1,
    )


@dataclass
class Write:
    """One atomic write and the rows it must leave: all of them, or none."""

    name: str
    run: Callable[[UnitOfWorkFactory], Awaitable[object]]
    rows: dict[str, set[UUID]]
    """Ids the write creates, by table name."""
    production_id: UUID
    setup: Callable[[UnitOfWorkFactory], Awaitable[None]] | None = None

    async def count(self, db: SqlDataSource) -> dict[str, int]:
        """How many rows of this write exist, by table (shoot days counted by production)."""
        counts: dict[str, int] = {}
        async with db.engine.connect() as connection:
            for name, ids in self.rows.items():
                table = t.metadata.tables[name]
                query = select(func.count()).select_from(table).where(table.c.id.in_(ids))
                counts[name] = (await connection.execute(query)).scalar_one()
            # A duplicate would need another id; count what hangs off the production instead.
            days = select(func.count()).where(t.shoot_days.c.production_id == self.production_id)
            counts["shoot_days_of_production"] = (await connection.execute(days)).scalar_one()
        return counts

    def expected(self) -> dict[str, int]:
        """The counts when the write is wholly present."""
        return {
            **{name: len(ids) for name, ids in self.rows.items()},
            "shoot_days_of_production": len(self.rows["shoot_days"]),
        }

    def absent(self) -> dict[str, int]:
        """The counts when the write is wholly absent."""
        return dict.fromkeys(self.expected(), 0)


def several_entities() -> Write:
    """One unit of work adding a movie, two locations, a production and two shoot days."""
    movie, loc_a, loc_b, production = (uuid.uuid4() for _ in range(4))
    days = [
        ShootDay(id=uuid.uuid4(), production_id=production, location_id=loc, date=date)
        for loc, date in ((loc_a, START), (loc_b, START + dt.timedelta(days=1)))
    ]

    async def run(uow_factory: UnitOfWorkFactory) -> None:
        async with uow_factory() as uow:
            await uow.repository(MOVIES).add(_movie(movie))
            await uow.repository(LOCATIONS).add(_location(loc_a))
            await uow.repository(LOCATIONS).add(_location(loc_b))
            await uow.repository(PRODUCTIONS).add(
                Production(
                    id=production,
                    movie_id=movie,
                    phase="development",
                    budget={"amount": "1000000", "currency": "EUR"},
                    starts_on=START,
                    wraps_on=WRAP,
                )
            )
            for day in days:
                await uow.repository(SHOOT_DAYS).add(day)
            await uow.commit()

    return Write(
        "commit of 6 entities",
        run,
        {
            "movies": {movie},
            "locations": {loc_a, loc_b},
            "productions": {production},
            "shoot_days": {day.id for day in days},
        },
        production,
    )


def onboarding(days: int = 3) -> Write:
    """OnboardProduction of a registered movie with ``days`` shoot days on fresh locations."""
    movie, production = uuid.uuid4(), uuid.uuid4()
    locations = [uuid.uuid4() for _ in range(days)]
    plan = [(loc, START + dt.timedelta(days=i)) for i, loc in enumerate(locations)]

    async def setup(uow_factory: UnitOfWorkFactory) -> None:
        async with uow_factory() as uow:
            await uow.repository(MOVIES).add(_movie(movie))
            for loc in locations:
                await uow.repository(LOCATIONS).add(_location(loc))
            await uow.commit()

    async def run(uow_factory: UnitOfWorkFactory) -> None:
        await Interactors(uow_factory).onboard_production(
            id=production,
            movie_id=movie,
            budget={"amount": "250000", "currency": "USD"},
            starts_on=START,
            wraps_on=WRAP,
            shoot_plan=plan,
        )

    day_ids = {uuid.uuid5(production, f"{loc}/{date}") for loc, date in plan}
    return Write(
        f"onboarding with {days} shoot days",
        run,
        {"productions": {production}, "shoot_days": day_ids},
        production,
        setup=setup,
    )


WRITES = {"commit": several_entities, "onboarding": onboarding}
"""Each kind of write, by a short name for test ids."""
