"""The memory unit of work: writes are staged and applied by the store in one atomic step."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self, TypeVar

from adapters.memory.repositories import MemoryRepository
from adapters.memory.store import Change, MemoryStore
from domain import Entity, EntityType, Query, Repository

E = TypeVar("E", bound=Entity)
Q = TypeVar("Q", bound=Query[Any])


class MemoryUnitOfWork:
    """Implements ``domain.ports.UnitOfWork`` over a MemoryStore; the reference semantics."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        self._pending: list[Change] = []
        self._repositories: dict[EntityType[Any, Any], Any] = {}

    def repository(self, entity: EntityType[E, Q]) -> Repository[E, Q]:
        """The repository of ``entity``'s type (any type: the store makes its table)."""
        found = self._repositories.get(entity)
        if found is None:
            found = self._repositories[entity] = MemoryRepository(
                self._store, entity, self._pending
            )
        return found

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
