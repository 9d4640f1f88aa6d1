"""Concurrency through the service: one service on PostgreSQL, many clients racing for slots.

Fifty onboardings start at once through the json_api or the graphql data source, each asking
for three (location, date) slots out of twenty, so most of them collide. Afterwards the
database, read directly, must show no slot booked twice, every winner with its whole plan and
every loser with nothing; every loser must have been told why (RuleViolation or Conflict),
never DataSourceUnavailable or a 500. Then fifty AdvanceProduction calls with the same
expected_version race on one production: exactly one wins, no update is lost.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import tempfile
import uuid
from collections.abc import AsyncIterator, Awaitable, Iterator
from pathlib import Path
from uuid import UUID

import pytest
from sqlalchemy import func, select

from adapters.spi import DataSource
from adapters.sql import SqlDataSource, parse_options
from adapters.sql.migrate import upgrade
from app import registry
from app.bootstrap import Interactors
from domain import LOCATIONS, MOVIES, PRODUCTIONS, Movie, Phase, ShootingLocation
from tests.reliability.figures import count
from tests.reliability.served import serve
from tests.support import tables as t
from tests.support.databases import empty_database, server_url
from tests.support.live_service import LiveService

pytestmark = pytest.mark.server

KINDS = ("json_api", "graphql")
PATH = {"json_api": "/api", "graphql": "/graphql"}
CLIENTS = 50
START = dt.date(2032, 6, 1)
Slot = tuple[UUID, dt.date]


@pytest.fixture(scope="module")
async def database() -> AsyncIterator[str]:
    """A migrated throwaway PostgreSQL database; its URL."""
    server_url("postgres")
    with tempfile.TemporaryDirectory() as tmp:
        async with empty_database("postgres", Path(tmp)) as url:
            await upgrade(url)
            yield url


@pytest.fixture(scope="module")
def service(database: str) -> Iterator[LiveService]:
    """One service for the module, on the PostgreSQL database."""
    with serve(database) as live:
        yield live


@pytest.fixture(scope="module")
async def db(database: str) -> AsyncIterator[SqlDataSource]:
    """The database, read and seeded directly."""
    source = SqlDataSource(parse_options({"url": database}))
    yield source
    await source.aclose()


@pytest.fixture(params=KINDS)
async def client(request: pytest.FixtureRequest, service: LiveService) -> AsyncIterator[DataSource]:
    """The data source the racing clients share (one pooled HTTP client, as in an app)."""
    kind: str = request.param
    source = registry.create(kind, {"url": service.base_url + PATH[kind], "token": service.token})
    yield source
    await source.aclose()


async def _seed(db: SqlDataSource, movies: int, locations: int) -> tuple[list[UUID], list[UUID]]:
    movie_ids = [uuid.uuid4() for _ in range(movies)]
    location_ids = [uuid.uuid4() for _ in range(locations)]
    async with db.unit_of_work() as uow:
        for id in movie_ids:
            await uow.repository(MOVIES).add(
                Movie(id=id, title=f"Race {id.hex[:6]}", genres=frozenset())
            )
        for id in location_ids:
            await uow.repository(LOCATIONS).add(
                ShootingLocation(
                    id=id, name="Lot", city="Madrid", country="ES", latitude=40.4, longitude=-3.7
                )
            )
        await uow.commit()
    return movie_ids, location_ids


async def _outcome(call: Awaitable[object]) -> str:
    """'won', or the name of the error class the call raised."""
    try:
        await call
    except Exception as exc:
        return type(exc).__name__
    return "won"


async def test_concurrent_onboardings_never_double_book_and_every_loser_is_told_why(
    client: DataSource, db: SqlDataSource
) -> None:
    """50 onboardings over 20 slots at once: disjoint winners, losers refused with a reason."""
    movies, locations = await _seed(db, CLIENTS, 4)
    slots = [(loc, START + dt.timedelta(days=d)) for loc in locations for d in range(5)]
    rng = random.Random(7)
    plans = [rng.sample(slots, 3) for _ in range(CLIENTS)]
    productions = [uuid.uuid4() for _ in range(CLIENTS)]
    studio = Interactors(client.unit_of_work)

    outcomes = await asyncio.gather(
        *(
            _outcome(
                studio.onboard_production(
                    id=production,
                    movie_id=movie,
                    budget={"amount": "1000", "currency": "EUR"},
                    starts_on=START,
                    wraps_on=START + dt.timedelta(days=30),
                    shoot_plan=plan,
                )
            )
            for production, movie, plan in zip(productions, movies, plans, strict=True)
        )
    )

    assert set(outcomes) <= {"won", "RuleViolation", "Conflict"}, sorted(outcomes)
    winners = {p for p, outcome in zip(productions, outcomes, strict=True) if outcome == "won"}
    assert winners
    booked = await _booked(db, locations)
    double = [slot for slot, times in booked.items() if times > 1]
    assert double == []
    # Nothing lost, nothing half-written: the booked slots are exactly the winners' plans.
    won_slots = [
        slot for p, plan in zip(productions, plans, strict=True) if p in winners for slot in plan
    ]
    assert sorted(won_slots) == sorted(booked)
    assert await _stored_productions(db, productions) == winners
    count("concurrent onboardings", CLIENTS)
    count("onboardings won", len(winners))
    count("losers told why (RuleViolation or Conflict)", CLIENTS - len(winners))
    count("slots double-booked", len(double))


async def test_concurrent_advances_with_one_expected_version_let_exactly_one_win(
    client: DataSource, db: SqlDataSource
) -> None:
    """50 AdvanceProduction at version 1: one wins, 49 Conflict, the row is at version 2."""
    (movie,), (location,) = await _seed(db, 1, 1)
    studio = Interactors(client.unit_of_work)
    overview = await studio.onboard_production(
        movie_id=movie,
        budget={"amount": "1000", "currency": "EUR"},
        starts_on=START,
        wraps_on=START,
        shoot_plan=[(location, START)],
    )
    production = overview.production

    outcomes = await asyncio.gather(
        *(
            _outcome(
                studio.advance_production(
                    production_id=production.id,
                    to_phase=Phase.PRINCIPAL_PHOTOGRAPHY,
                    expected_version=production.version,
                )
            )
            for _ in range(CLIENTS)
        )
    )

    assert outcomes.count("won") == 1, sorted(outcomes)
    assert set(outcomes) <= {"won", "Conflict", "RuleViolation"}, sorted(outcomes)
    async with db.unit_of_work() as uow:
        stored = await uow.repository(PRODUCTIONS).get(production.id)
    assert (stored.phase, stored.version) == (Phase.PRINCIPAL_PHOTOGRAPHY, production.version + 1)
    count("concurrent advances", CLIENTS)
    count("lost updates", 0)


async def _booked(db: SqlDataSource, locations: list[UUID]) -> dict[Slot, int]:
    query = (
        select(t.shoot_days.c.location_id, t.shoot_days.c.date, func.count())
        .where(t.shoot_days.c.location_id.in_(locations))
        .group_by(t.shoot_days.c.location_id, t.shoot_days.c.date)
    )
    async with db.engine.connect() as connection:
        rows = (await connection.execute(query)).all()
    return {(row[0], row[1]): row[2] for row in rows}


async def _stored_productions(db: SqlDataSource, ids: list[UUID]) -> set[UUID]:
    query = select(t.productions.c.id).where(t.productions.c.id.in_(ids))
    async with db.engine.connect() as connection:
        return set((await connection.execute(query)).scalars())


async def test_onboardings_wanting_the_same_slots_are_refused_with_a_reason_not_a_deadlock(
    client: DataSource, db: SqlDataSource
) -> None:
    """Every client wants the same two locations on the same date: one wins, none deadlocks."""
    movies, locations = await _seed(db, CLIENTS, 2)
    plan = [(location, START) for location in locations]
    studio = Interactors(client.unit_of_work)

    outcomes = await asyncio.gather(
        *(
            _outcome(
                studio.onboard_production(
                    movie_id=movie,
                    budget={"amount": "1000", "currency": "EUR"},
                    starts_on=START,
                    wraps_on=START,
                    shoot_plan=plan,
                )
            )
            for movie in movies
        )
    )

    assert outcomes.count("won") == 1
    assert set(outcomes) <= {"won", "RuleViolation", "Conflict"}, sorted(outcomes)
    count("concurrent onboardings", CLIENTS)
    count("onboardings won", 1)
    count("losers told why (RuleViolation or Conflict)", CLIENTS - 1)


async def test_concurrent_onboardings_of_one_movie_leave_one_active_production(
    client: DataSource, db: SqlDataSource
) -> None:
    """'One active production per movie' holds when 50 clients onboard one movie at once.

    Every onboarding may read "none active" before any has written; the movie's version,
    bumped by each onboarding, lets only one of them commit (ADR 0009). Found by this test:
    it left up to 34 active productions before the movie guarded the rule.
    """
    (movie,), locations = await _seed(db, 1, CLIENTS)
    studio = Interactors(client.unit_of_work)
    outcomes = await asyncio.gather(
        *(
            _outcome(
                studio.onboard_production(
                    movie_id=movie,
                    budget={"amount": "1000", "currency": "EUR"},
                    starts_on=START,
                    wraps_on=START,
                    shoot_plan=[(location, START)],
                )
            )
            for location in locations
        )
    )
    query = select(func.count()).where(t.productions.c.movie_id == movie)
    async with db.engine.connect() as connection:
        stored = (await connection.execute(query)).scalar_one()
    assert stored == 1
    assert outcomes.count("won") == 1
    assert set(outcomes) <= {"won", "RuleViolation", "Conflict"}, sorted(outcomes)
    count("concurrent onboardings", CLIENTS)
    count("onboardings won", 1)
    count("losers told why (RuleViolation or Conflict)", CLIENTS - 1)
