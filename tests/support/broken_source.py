"""A data source broken on purpose: its lists ignore filters (the promotion gate's unhappy path).

It is the memory source with a few examples of every type, stored when it is first checked,
and one bug a target could really have: ``list`` answers the unfiltered page, whatever the
query asks. Registered under the kind ``broken`` by ``registered()`` for one test.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from importlib.metadata import EntryPoint
from typing import Any

import pytest

from adapters.memory import MemoryDataSource, MemoryUnitOfWork
from adapters.memory.repositories import MemoryRepository
from adapters.spi import ENTRY_POINT_GROUP
from adapters.testing import fixtures
from app import registry
from domain import STUDIO, Entity, EntityType, Page, PageRequest, Query, Repository

KIND = "broken"
EXAMPLES = 4
"""Examples of each type stored: enough that a filter leaves some out."""


class _UnfilteredRepository(MemoryRepository[Any, Any]):
    async def list(self, query: Query[Any], page: PageRequest) -> Page[Any]:
        """The bug: the query's filters are dropped."""
        return await super().list(type(query)(), page)


class _BrokenUnitOfWork(MemoryUnitOfWork):
    def repository(self, entity: EntityType[Any, Any]) -> Repository[Any, Any]:
        return _UnfilteredRepository(self._store, entity, self._pending)


class BrokenDataSource(MemoryDataSource):
    """A memory source whose lists ignore filters, holding examples once checked."""

    name = KIND

    def unit_of_work(self) -> _BrokenUnitOfWork:
        """A unit of work whose repositories drop filters."""
        return _BrokenUnitOfWork(self.store)

    async def check(self) -> str:
        """Store the examples the first time (the gate checks a source before reading it)."""
        if not self.store.tables:
            stored: list[Entity] = []
            for _ in range(EXAMPLES):
                for entity in STUDIO:
                    stored += fixtures.build(STUDIO, entity)[0]
            await fixtures.store(STUDIO, self.unit_of_work, *stored)
        return await super().check()


def create_data_source(options: Mapping[str, Any]) -> BrokenDataSource:
    """Entry point of ``broken``: no options."""
    return BrokenDataSource()


@contextmanager
def registered(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Make ``broken`` a registered kind, as installing a distribution would."""
    found = registry.available()
    entry = EntryPoint(KIND, f"{__name__}:create_data_source", ENTRY_POINT_GROUP)
    monkeypatch.setattr(registry, "available", lambda: {**found, KIND: entry})
    yield
