"""The CSV unit of work: writes are staged, then stored as one new generation of the files."""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Self

from adapters.memory.store import Change
from domain import Movie, Production, ShootDay, ShootingLocation
from domain.queries import LocationQuery, MovieQuery, ProductionQuery

from hexstudio_csv.repositories import CsvRepository, CsvShootDayRepository
from hexstudio_csv.storage import CsvDirectory


class CsvUnitOfWork:
    """Implements ``domain.ports.UnitOfWork`` over a CsvDirectory."""

    def __init__(self, directory: CsvDirectory) -> None:
        self._directory = directory
        self._pending: list[Change] = []
        self.movies = CsvRepository[Movie, MovieQuery](directory, "movies", Movie, self._pending)
        self.locations = CsvRepository[ShootingLocation, LocationQuery](
            directory, "locations", ShootingLocation, self._pending
        )
        self.productions = CsvRepository[Production, ProductionQuery](
            directory, "productions", Production, self._pending
        )
        self.shoot_days = CsvShootDayRepository(directory, "shoot_days", ShootDay, self._pending)

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
