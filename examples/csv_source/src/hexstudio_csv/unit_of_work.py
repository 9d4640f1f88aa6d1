"""The CSV unit of work: writes are staged, then stored as one new generation of the files."""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Any, Self, TypeVar, cast

from domain import Entity, EntityType, Query, Repository

from hexstudio_csv.changes import Change
from hexstudio_csv.repositories import CsvRepository
from hexstudio_csv.storage import CsvDirectory

E = TypeVar("E", bound=Entity)
Q = TypeVar("Q", bound=Query[Any])


class CsvUnitOfWork:
    """Implements ``domain.ports.UnitOfWork`` over a CsvDirectory, for any catalog."""

    def __init__(self, directory: CsvDirectory) -> None:
        self._directory = directory
        self._pending: list[Change] = []
        self._repositories: dict[EntityType[Any, Any], CsvRepository[Any, Any]] = {}

    def repository(self, entity: EntityType[E, Q]) -> Repository[E, Q]:
        """The repository of ``entity``'s type (one per type in this unit of work)."""
        found = self._repositories.get(entity)
        if found is None:
            # Refused here, not at commit: the directory holds one catalog's files.
            self._directory.serve(entity.catalog)
            found = self._repositories[entity] = CsvRepository(
                self._directory, entity, self._pending
            )
        return cast(CsvRepository[E, Q], found)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._pending.clear()  # leaving without commit discards: nothing staged reached a file

    async def commit(self) -> None:
        """Store every staged write as one new generation, all or nothing."""
        changes = list(self._pending)
        self._pending.clear()
        if changes:
            await asyncio.to_thread(self._directory.commit, changes)
