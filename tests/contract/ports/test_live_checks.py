"""The kit's read-only checks (``run_live``, the promotion gate's) pass a right source holding
data, fail each deliberately broken read, and write nothing."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any
from uuid import UUID

import pytest

from adapters.memory import MemoryDataSource, MemoryUnitOfWork
from adapters.memory.repositories import MemoryRepository
from adapters.testing import Harness, Status, fixtures, live_checks_for, run_live
from domain import STUDIO, Entity, Page, PageRequest, UniqueKey
from tests.contract.ports.mutants import (
    InclusiveCursorRepository,
    LeakyRepository,
)


class StaleGetRepository(MemoryRepository[Any, Any]):
    """get answers the version before the one stored (a cache that missed an update)."""

    async def get(self, id: UUID) -> Any:
        found = await super().get(id)
        return found.evolve(version=found.version + 1)


class ForgetfulGetManyRepository(MemoryRepository[Any, Any]):
    """get_many leaves out the last id asked for."""

    async def get_many(self, ids: Collection[UUID]) -> Mapping[UUID, Any]:
        return await super().get_many(list(ids)[:-2] + list(ids)[-1:])


class BlindFindByRepository(MemoryRepository[Any, Any]):
    """find_by finds nobody."""

    async def find_by(self, key: UniqueKey, values: Collection[tuple[Any, ...]]) -> Any:
        return []


class FilterIgnoringRepository(MemoryRepository[Any, Any]):
    """list drops the query's filters."""

    async def list(self, query: Any, page: PageRequest) -> Page[Any]:
        return await super().list(type(query)(), page)


MUTANTS: dict[str, tuple[type[MemoryRepository[Any, Any]], str]] = {
    "inclusive-cursor": (
        InclusiveCursorRepository,
        "live_pages_are_sorted_unique_and_independent_of_size",
    ),
    "leaky-errors": (LeakyRepository, "get_of_a_missing_id_raises_not_found"),
    "stale-get": (StaleGetRepository, "live_get_agrees_with_list"),
    "forgetful-get-many": (ForgetfulGetManyRepository, "live_get_many_agrees_with_list"),
    "blind-find-by": (BlindFindByRepository, "live_find_by_agrees_with_list"),
    "filter-ignoring": (FilterIgnoringRepository, "live_filters_match_what_they_return"),
}


def _with_repository(kind: type[MemoryRepository[Any, Any]]) -> MemoryDataSource:
    """A memory source whose every repository is ``kind`` (unique keys are on some only)."""
    source = MemoryDataSource()

    class Mutated(MemoryUnitOfWork):
        def repository(self, entity: Any) -> Any:
            return kind(self._store, entity, self._pending)

    source.unit_of_work = lambda: Mutated(source.store)  # type: ignore[method-assign]
    return source


async def _holding_data(source: MemoryDataSource, copies: int = 12) -> dict[str, int]:
    """Store ``copies`` examples of every type; return how many entities each table holds."""
    stored: list[Entity] = []
    for _ in range(copies):
        for entity in STUDIO:
            stored += fixtures.build(STUDIO, entity)[0]
    await fixtures.store(STUDIO, source.unit_of_work, *stored)
    return {name: len(rows) for name, rows in source.store.tables.items()}


async def test_happy_path_a_right_source_passes_every_read_check_and_is_not_written() -> None:
    source = MemoryDataSource()
    before = await _holding_data(source)
    report = await run_live("memory", Harness(source.unit_of_work, source.capabilities, STUDIO))
    assert report.ok, [r for r in report.results if r.status is not Status.PASS]
    assert {r.status for r in report.results} == {Status.PASS}
    assert {name: len(rows) for name, rows in source.store.tables.items()} == before


async def test_happy_path_a_sample_smaller_than_the_data_still_agrees() -> None:
    source = MemoryDataSource()
    await _holding_data(source)
    harness = Harness(source.unit_of_work, source.capabilities, STUDIO)
    report = await run_live("memory", harness, sample=5)
    assert report.ok, [r for r in report.results if r.status is not Status.PASS]


@pytest.mark.parametrize("name", sorted(MUTANTS))
async def test_unhappy_path_each_broken_read_fails_its_live_check(name: str) -> None:
    repository, must_fail = MUTANTS[name]
    source = _with_repository(repository)
    await _holding_data(source)
    report = await run_live(name, Harness(source.unit_of_work, source.capabilities, STUDIO))
    failed = {r.check for r in report.results if r.status is Status.FAIL}
    assert must_fail in failed, f"{name} slipped through: {report.results}"


def test_unhappy_path_a_sample_under_one_is_refused() -> None:
    with pytest.raises(ValueError, match="sample: at least 1"):
        live_checks_for(STUDIO, sample=0)
