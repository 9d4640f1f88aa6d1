"""A routed unit of work hands a read plan to the source that reads, when that source plans.

Through every migration decorator too (dial, fallback, shadow): otherwise a migration would
quietly put the overview's round trips back.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from adapters.memory import MemoryDataSource
from app.migration import MigrationState
from app.routed_uow import RoutedUnitOfWork
from app.routing import Dial, Route, Shadow
from domain import MOVIES, Movie, Page, PageRequest, Repository
from domain.catalog import Plan
from domain.ports import planned_get, planned_list
from domain.queries import MovieQuery

PLAN = Plan(MOVIES, ("productions",))


class _Planning:
    """A memory repository that also plans, and records the plans it was given."""

    def __init__(self, inner: Repository[Movie, MovieQuery], seen: list[Plan[Any]]) -> None:
        self._inner, self.seen = inner, seen

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    async def get_planned(self, id: UUID, plan: Plan[Movie]) -> Movie:
        self.seen.append(plan)
        return await self._inner.get(id)

    async def list_planned(
        self, query: MovieQuery, page: PageRequest, plan: Plan[Movie]
    ) -> Page[Movie]:
        self.seen.append(plan)
        return await self._inner.list(query, page)


class _Unit:
    """The memory unit of work with the planning repository."""

    def __init__(self, source: MemoryDataSource, seen: list[Plan[Any]]) -> None:
        self._inner, self._seen = source.unit_of_work(), seen

    def repository(self, entity: Any) -> Any:
        return _Planning(self._inner.repository(entity), self._seen)

    async def __aenter__(self) -> _Unit:
        await self._inner.__aenter__()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self._inner.__aexit__(*exc)

    async def commit(self) -> None:
        await self._inner.commit()


async def test_happy_path_the_plan_reaches_the_planning_read_source() -> None:
    source, seen = MemoryDataSource(), []
    movie = Movie(title="Routed")
    async with source.unit_of_work() as uow:
        await uow.repository(MOVIES).add(movie)
        await uow.commit()
    units = {"a": _Unit(source, seen), "b": source.unit_of_work()}
    async with RoutedUnitOfWork(units, {"movies": Route("a", "b")}) as routed:  # type: ignore[arg-type]
        assert await planned_get(routed.repository(MOVIES), movie.id, PLAN) == movie
        page = await planned_list(routed.repository(MOVIES), MovieQuery(), PageRequest(), PLAN)
    assert movie in page.items
    assert seen == [PLAN, PLAN]


@pytest.mark.parametrize(
    "route",
    [
        Route("b", "b", dial=Dial("a", 100)),
        Route("a", "a", fallback="b"),
        Route("a", "a", shadow=Shadow("b", 1.0, 1.0)),
    ],
    ids=["dial", "fallback", "shadow"],
)
async def test_happy_path_the_plan_passes_every_migration_decorator(route: Route) -> None:
    source, seen = MemoryDataSource(), []
    movie = Movie(title="Migrating")
    async with source.unit_of_work() as uow:
        await uow.repository(MOVIES).add(movie)
        await uow.commit()
    state = MigrationState()
    units = {"a": _Unit(source, seen), "b": source.unit_of_work()}
    factories = {"a": lambda: _Unit(source, []), "b": source.unit_of_work}
    routed = RoutedUnitOfWork(units, {"movies": route}, factories=factories, state=state)  # type: ignore[arg-type]
    async with routed:
        assert await planned_get(routed.repository(MOVIES), movie.id, PLAN) == movie
        page = await planned_list(routed.repository(MOVIES), MovieQuery(), PageRequest(), PLAN)
    await state.drain()
    assert movie in page.items
    assert seen == [PLAN, PLAN]
    assert not state.differences


async def test_happy_path_a_read_source_that_cannot_plan_is_read_plainly() -> None:
    source = MemoryDataSource()
    movie = Movie(title="Plain routed")
    async with source.unit_of_work() as uow:
        await uow.repository(MOVIES).add(movie)
        await uow.commit()
    units = {"a": source.unit_of_work()}
    async with RoutedUnitOfWork(units, {"movies": Route("a", "a")}) as routed:  # type: ignore[arg-type]
        assert await planned_get(routed.repository(MOVIES), movie.id, PLAN) == movie
