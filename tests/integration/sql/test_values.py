"""Values come back exactly, and text compares exactly, on every engine (as in memory)."""

from __future__ import annotations

import datetime as dt
from uuid import uuid4

from adapters.sql import SqlDataSource
from domain import (
    LOCATIONS,
    MOVIES,
    PRODUCTIONS,
    LocationQuery,
    Money,
    Movie,
    PageRequest,
    Production,
    ShootingLocation,
)


async def test_extreme_values_round_trip_exactly(sql_source: SqlDataSource) -> None:
    movie = Movie(title="Ünïcode — 🎬 " + uuid4().hex[:6], logline="x" * 500, release_year=2100)
    place = ShootingLocation(
        name="Pole", city="Ushuaia", country="AR", latitude=-89.123456789012345, longitude=179.99
    )
    production = Production(
        movie_id=movie.id,
        budget=Money(amount="9999999999999999.99", currency="JPY"),
        starts_on=dt.date(1999, 12, 31),
        wraps_on=dt.date(9999, 12, 31),
    )
    async with sql_source.unit_of_work() as uow:
        await uow.repository(MOVIES).add(movie)
        await uow.repository(LOCATIONS).add(place)
        await uow.repository(PRODUCTIONS).add(production)
        await uow.commit()
    async with sql_source.unit_of_work() as uow:
        assert await uow.repository(MOVIES).get(movie.id) == movie
        assert await uow.repository(LOCATIONS).get(place.id) == place
        stored = await uow.repository(PRODUCTIONS).get(production.id)
    assert stored == production
    assert str(stored.budget.amount) == "9999999999999999.99"


async def test_text_filters_match_exactly_not_by_collation(sql_source: SqlDataSource) -> None:
    city = f"Reykjavík {uuid4().hex[:6]}"
    place = ShootingLocation(name="Harpa", city=city, country="IS", latitude=64.1, longitude=-21.9)
    async with sql_source.unit_of_work() as uow:
        await uow.repository(LOCATIONS).add(place)
        await uow.commit()
    async with sql_source.unit_of_work() as uow:
        for variant, found in (
            (city, [place]),
            (city + " ", []),  # MariaDB's PAD SPACE collations would match this
            (city.upper(), []),
            (city.replace("í", "i"), []),  # accent-insensitive collations would match this
        ):
            page = await uow.repository(LOCATIONS).list(LocationQuery(city=variant), PageRequest())
            assert list(page.items) == found, variant
