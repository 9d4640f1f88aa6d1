"""Read plans name relationship paths the catalog declares, and a plan never changes answers."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any
from uuid import UUID

import pytest

from adapters.memory import MemoryDataSource
from domain import LOCATIONS, MOVIES, PRODUCTIONS, SHOOT_DAYS, Movie, Page, PageRequest
from domain.catalog import CatalogError, Plan
from domain.interactors.get_production_overview import OVERVIEW
from domain.ports import PlannedReads, Repository, planned_get, planned_list
from domain.queries import MovieQuery


def test_happy_path_a_plan_resolves_to_one_and_to_many_hops() -> None:
    plan = Plan(PRODUCTIONS, ("movie",), ("shoot_days", "location"))
    [(movie,), (days, location)] = plan.hops
    assert (movie.target, movie.field.name, movie.to_many) == (MOVIES, "movie_id", False)
    assert (days.target, days.field.name, days.to_many) == (SHOOT_DAYS, "production_id", True)
    assert location.target is LOCATIONS
    assert plan.to_many
    assert not Plan(PRODUCTIONS, ("movie",)).to_many
    assert plan == OVERVIEW
    assert plan.dotted() == ("movie", "shoot_days.location")


def test_happy_path_dotted_cuts_long_paths_and_drops_what_repeats() -> None:
    plan = Plan(MOVIES, ("productions", "shoot_days", "location"), ("productions", "shoot_days"))
    assert plan.dotted(2) == ("productions.shoot_days",)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (("director",), "Production has no relationship 'director' (choices: employees, movie,"),
        (("movie", "shoot_days"), "Movie has no relationship 'shoot_days' (choices: productions)"),
        ((), "empty path"),
    ],
)
def test_unhappy_path_a_plan_outside_the_catalog_is_refused(
    path: tuple[str, ...], message: str
) -> None:
    with pytest.raises(CatalogError, match=re.escape(message)):
        Plan(PRODUCTIONS, path)


class _Plain:
    """A repository that cannot plan: only the port's own methods."""

    def __init__(self, inner: Repository[Movie, MovieQuery]) -> None:
        self.inner = inner
        self.calls: list[str] = []

    async def get(self, id: UUID) -> Movie:
        self.calls.append("get")
        return await self.inner.get(id)

    async def get_many(self, ids: Collection[UUID]) -> Mapping[UUID, Movie]:
        return await self.inner.get_many(ids)

    async def list(self, query: MovieQuery, page: PageRequest) -> Page[Movie]:
        self.calls.append("list")
        return await self.inner.list(query, page)

    async def find_by(self, key: Any, values: Collection[tuple[Any, ...]]) -> Collection[Movie]:
        return await self.inner.find_by(key, values)

    async def add(self, entity: Movie) -> Movie:
        return await self.inner.add(entity)

    async def update(self, entity: Movie) -> Movie:
        return await self.inner.update(entity)

    async def remove(self, id: UUID, expected_version: int) -> None:
        await self.inner.remove(id, expected_version)


async def test_happy_path_a_source_that_cannot_plan_is_read_through_the_plain_port() -> None:
    source = MemoryDataSource()
    movie = Movie(title="Plain")
    async with source.unit_of_work() as uow:
        await uow.repository(MOVIES).add(movie)
        await uow.commit()
    plan = Plan(MOVIES, ("productions",))
    async with source.unit_of_work() as uow:
        plain = _Plain(uow.repository(MOVIES))
        assert not isinstance(plain, PlannedReads)
        assert await planned_get(plain, movie.id, plan) == movie
        page = await planned_list(plain, MovieQuery(), PageRequest(), plan)
    assert [m.id for m in page.items] == [movie.id]
    assert plain.calls == ["get", "list"]
