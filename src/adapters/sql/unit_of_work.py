"""The SQL unit of work: one transaction per ``async with``, committed only on request."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sql import filters as f
from adapters.sql import mapping as m
from adapters.sql.repositories import SqlMovieRepository, SqlRepository, SqlShootDayRepository
from adapters.sql.transaction import Transaction
from domain import Production, ShootingLocation
from domain.queries import LocationQuery, ProductionQuery


class SqlUnitOfWork:
    """Implements ``domain.ports.UnitOfWork`` over one connection and its transaction.

    The connection is taken from the pool at the first statement, so a unit of work that only
    validates input costs nothing; leaving the block rolls back whatever was not committed.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self._tx = Transaction(engine)
        self.movies = SqlMovieRepository(self._tx, m.MOVIES, f.MOVIES)
        self.locations = SqlRepository[ShootingLocation, LocationQuery](
            self._tx, m.LOCATIONS, f.LOCATIONS
        )
        self.productions = SqlRepository[Production, ProductionQuery](
            self._tx, m.PRODUCTIONS, f.PRODUCTIONS
        )
        self.shoot_days = SqlShootDayRepository(self._tx, m.SHOOT_DAYS, f.SHOOT_DAYS)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._tx.close()

    async def commit(self) -> None:
        """Commit the transaction: every write so far, all or nothing."""
        await self._tx.commit()
