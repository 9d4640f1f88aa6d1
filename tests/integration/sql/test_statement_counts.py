"""No N+1: the read use cases issue a constant number of SQL statements, whatever N is."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID, uuid4

import pytest

from adapters.sql import SqlDataSource
from app.bootstrap import Interactors
from domain import (
    LOCATIONS,
    MOVIES,
    PRODUCTIONS,
    SHOOT_DAYS,
    Money,
    Movie,
    PageRequest,
    Phase,
    Production,
    ShootDay,
    ShootingLocation,
)
from domain.paging import encode_cursor
from tests.support.statements import statements

SIZES = (1, 10, 100)


def _production(movie_id: Any, day: int) -> Production:
    starts = dt.date(2031, 1, 1) + dt.timedelta(days=day)
    return Production(
        movie_id=movie_id,
        phase=Phase.WRAPPED,
        budget=Money(amount=f"{day}.50", currency="GBP"),
        starts_on=starts,
        wraps_on=starts + dt.timedelta(days=400),
    )


async def _overview_of(source: SqlDataSource, n: int) -> Production:
    """A production with ``n`` shoot days, each at its own location."""
    movie = Movie(title=f"Overview {n}")
    production = _production(movie.id, 0)
    places = [
        ShootingLocation(name=f"Set {i}", city="Quito", country="EC", latitude=0, longitude=-78)
        for i in range(n)
    ]
    async with source.unit_of_work() as uow:
        await uow.repository(MOVIES).add(movie)
        await uow.repository(PRODUCTIONS).add(production)
        for i, place in enumerate(places):
            await uow.repository(LOCATIONS).add(place)
            day = production.starts_on + dt.timedelta(days=i)
            await uow.repository(SHOOT_DAYS).add(
                ShootDay(production_id=production.id, location_id=place.id, date=day)
            )
        await uow.commit()
    return production


@pytest.mark.parametrize("n", SIZES)
async def test_production_overview_takes_four_statements(
    sql_source: SqlDataSource, sql_studio: Interactors, n: int
) -> None:
    production = await _overview_of(sql_source, n)
    with statements(sql_source) as seen:
        overview = await sql_studio.get_production_overview(production_id=production.id)
    assert len(overview.shoot_days) == len(overview.locations) == n
    assert len(seen) == 4, seen


@pytest.mark.parametrize("n", SIZES)
async def test_list_slate_takes_two_statements(
    sql_source: SqlDataSource, sql_studio: Interactors, n: int
) -> None:
    # The store is shared: give these productions a date range of their own (far future, at a
    # random offset) and start the page just before it, so the page holds exactly them.
    offset = 100_000 + (uuid4().int % 1000) * 200
    movies = [Movie(title=f"Slate {n}.{i}", genres={"drama", "comedy"}) for i in range(n)]
    made = [_production(movie.id, offset + i) for i, movie in enumerate(movies)]
    async with sql_source.unit_of_work() as uow:
        for movie, production in zip(movies, made, strict=True):
            await uow.repository(MOVIES).add(movie)
            await uow.repository(PRODUCTIONS).add(production)
        await uow.commit()
    before = made[0].starts_on - dt.timedelta(days=1)
    cursor = encode_cursor([before.isoformat(), str(UUID(int=2**128 - 1))])
    with statements(sql_source) as seen:
        page = await sql_studio.list_slate(
            phases=[Phase.WRAPPED], page=PageRequest(size=n, cursor=cursor)
        )
    assert len(seen) == 2, seen
    assert [entry.production for entry in page.items] == made
    assert [entry.movie for entry in page.items] == movies
