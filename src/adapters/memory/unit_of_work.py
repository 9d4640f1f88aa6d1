"""The memory unit of work: writes are staged and applied by the store in one atomic step."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from adapters.memory.repositories import MemoryRepository, MemoryShootDayRepository
from adapters.memory.store import Change, MemoryStore
from domain import Movie, Production, ShootDay, ShootingLocation
from domain.queries import LocationQuery, MovieQuery, ProductionQuery


class MemoryUnitOfWork:
    """Implements ``domain.ports.UnitOfWork`` over a MemoryStore; the reference semantics."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        self._pending: list[Change] = []
        self.movies = MemoryRepository[Movie, MovieQuery](store, "movies", Movie, self._pending)
        self.locations = MemoryRepository[ShootingLocation, LocationQuery](
            store, "locations", ShootingLocation, self._pending
        )
        self.productions = MemoryRepository[Production, ProductionQuery](
            store, "productions", Production, self._pending
        )
        self.shoot_days = MemoryShootDayRepository(store, "shoot_days", ShootDay, self._pending)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._pending.clear()

    async def commit(self) -> None:
        """Apply the staged writes all or nothing; the stage is empty afterwards either way."""
        changes = list(self._pending)
        self._pending.clear()
        self._store.apply(changes)
