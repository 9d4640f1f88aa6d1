"""Every database failure reaches callers as a domain error naming the entity and field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from uuid import UUID, uuid4

import pytest

from adapters.sql import SqlDataSource, create_data_source, parse_options
from domain import (
    LOCATIONS,
    MOVIES,
    PRODUCTIONS,
    SHOOT_DAYS,
    Conflict,
    DataSourceError,
    DataSourceUnavailable,
    DomainError,
    InvalidInput,
    Money,
    Movie,
    NotFound,
    PageRequest,
    Production,
    ProductionQuery,
    RuleViolation,
    ShootDay,
    ShootingLocation,
)
from domain.paging import encode_cursor


def _movie() -> Movie:
    return Movie(title=f"Error Path {uuid4().hex[:6]}")


def _production(movie_id: object) -> Production:
    return Production(
        movie_id=movie_id,
        budget=Money(amount="10.00", currency="EUR"),
        starts_on=dt.date(2030, 1, 1),
        wraps_on=dt.date(2030, 2, 1),
    )


async def test_a_duplicate_id_is_a_conflict_naming_the_id(sql_source: SqlDataSource) -> None:
    movie = _movie()
    async with sql_source.unit_of_work() as uow:
        await uow.repository(MOVIES).add(movie)
        await uow.commit()
    with pytest.raises(Conflict) as caught:
        async with sql_source.unit_of_work() as uow:
            await uow.repository(MOVIES).add(movie)
    assert (caught.value.entity, caught.value.field, caught.value.reason) == (
        "Movie",
        "id",
        "duplicate_id",
    )


async def test_a_missing_reference_is_a_rule_violation(sql_source: SqlDataSource) -> None:
    with pytest.raises(RuleViolation) as caught:
        async with sql_source.unit_of_work() as uow:
            await uow.repository(PRODUCTIONS).add(_production(uuid4()))
    assert (caught.value.entity, caught.value.reason) == ("Production", "unknown_reference")
    if sql_source.engine.dialect.name != "sqlite":  # SQLite does not say which key failed
        assert caught.value.field == "movie_id"


async def test_removing_a_referenced_entity_is_a_rule_violation(
    sql_source: SqlDataSource,
) -> None:
    movie = _movie()
    async with sql_source.unit_of_work() as uow:
        await uow.repository(MOVIES).add(movie)
        await uow.repository(PRODUCTIONS).add(_production(movie.id))
        await uow.commit()
    with pytest.raises(RuleViolation) as caught:
        async with sql_source.unit_of_work() as uow:
            await uow.repository(MOVIES).remove(movie.id, 1)
    assert (caught.value.entity, caught.value.reason) == ("Movie", "still_referenced")


async def test_a_taken_slot_is_a_conflict_on_add_and_on_update(sql_source: SqlDataSource) -> None:
    movie, place = (
        _movie(),
        ShootingLocation(
            name="Pier", city=f"Port {uuid4().hex[:6]}", country="NO", latitude=60.0, longitude=5.0
        ),
    )
    production = _production(movie.id)
    first = ShootDay(production_id=production.id, location_id=place.id, date=dt.date(2030, 1, 2))
    other = first.evolve(id=uuid4(), date=dt.date(2030, 1, 3))
    async with sql_source.unit_of_work() as uow:
        for repository, entity in (
            (uow.repository(MOVIES), movie),
            (uow.repository(LOCATIONS), place),
            (uow.repository(PRODUCTIONS), production),
            (uow.repository(SHOOT_DAYS), first),
            (uow.repository(SHOOT_DAYS), other),
        ):
            await repository.add(entity)  # type: ignore[attr-defined]
        await uow.commit()
    for attempt in (first.evolve(id=uuid4()), None):
        with pytest.raises(Conflict) as caught:
            async with sql_source.unit_of_work() as uow:
                if attempt is not None:
                    await uow.repository(SHOOT_DAYS).add(attempt)
                else:
                    await uow.repository(SHOOT_DAYS).update(other.evolve(date=first.date))
        assert (caught.value.entity, caught.value.field, caught.value.reason) == (
            "ShootDay",
            "location_id",
            "location_double_booked",
        )


async def test_versioned_writes_tell_missing_from_stale(sql_source: SqlDataSource) -> None:
    movie = _movie()
    async with sql_source.unit_of_work() as uow:
        await uow.repository(MOVIES).add(movie)
        await uow.commit()
    async with sql_source.unit_of_work() as uow:
        with pytest.raises(NotFound):
            await uow.repository(MOVIES).update(_movie())
        with pytest.raises(NotFound):
            await uow.repository(MOVIES).remove(uuid4(), 1)
        with pytest.raises(Conflict) as stale:
            await uow.repository(MOVIES).update(movie.evolve(version=7))
        assert (stale.value.field, stale.value.reason) == ("version", "stale_version")
        with pytest.raises(Conflict):
            await uow.repository(MOVIES).remove(movie.id, 2)


@pytest.mark.parametrize(
    "cursor",
    ["garbage", encode_cursor(["2030-01-01"]), encode_cursor(["not-a-date", str(UUID(int=1))])],
    ids=["garbage", "one-value", "not-a-date"],
)
async def test_a_bad_cursor_is_invalid_input(sql_source: SqlDataSource, cursor: str) -> None:
    async with sql_source.unit_of_work() as uow:
        with pytest.raises(InvalidInput) as caught:
            await uow.repository(PRODUCTIONS).list(ProductionQuery(), PageRequest(cursor=cursor))
    assert caught.value.field == "page.cursor"


async def test_an_unmigrated_database_is_a_data_source_error_saying_so(tmp_path: Path) -> None:
    source = create_data_source({"url": f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"})
    try:
        with pytest.raises(DataSourceError, match="hexstudio db upgrade"):
            async with source.unit_of_work() as uow:
                await uow.repository(MOVIES).get(uuid4())
    finally:
        await source.aclose()


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+asyncpg://postgres@127.0.0.1:1/nothing",
        "mysql+asyncmy://root@127.0.0.1:1/nothing",
        "sqlite+aiosqlite:////nonexistent-dir/x.db",
    ],
)
async def test_an_unreachable_database_is_unavailable(url: str) -> None:
    source = create_data_source({"url": url, "connect_timeout": 2})
    try:
        with pytest.raises(DataSourceUnavailable) as caught:
            async with source.unit_of_work() as uow:
                await uow.repository(MOVIES).get(uuid4())
        assert type(caught.value).__module__.startswith("domain")
        with pytest.raises(DataSourceUnavailable):
            await source.check()
    finally:
        await source.aclose()


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"url": "oracle://scott@db/x"}, "url"),
        ({"url": "postgresql+psycopg2://h/db"}, "url"),
        ({"url": "not a url"}, "url"),
        ({"pool_size": 0}, "pool_size"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_options_are_refused_naming_the_key(options: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_options(options)
    assert caught.value.field == field
    assert caught.value.message.startswith(f"{field}: ")


def test_a_url_without_a_driver_gets_the_async_one() -> None:
    assert parse_options({"url": "postgresql://u@h/db"}).url == "postgresql+asyncpg://u@h/db"
    assert parse_options({}).url == "sqlite+aiosqlite:///hexstudio.db"


def test_domain_errors_are_all_that_the_module_raises() -> None:
    # A guard for the tests above: they would pass vacuously if these were not DomainErrors.
    for kind in (Conflict, NotFound, RuleViolation, InvalidInput, DataSourceUnavailable):
        assert issubclass(kind, DomainError)
