"""The SQL unit of work: one transaction per ``async with``, committed only on request."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self, TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sql.filters import filters_for
from adapters.sql.mapping import mapper_for
from adapters.sql.repositories import SqlRepository
from adapters.sql.tables import schema_of
from adapters.sql.transaction import Transaction
from domain import Entity, EntityType, Query, Repository

E = TypeVar("E", bound=Entity)
Q = TypeVar("Q", bound=Query[Any])


class SqlUnitOfWork:
    """Implements ``domain.ports.UnitOfWork`` over one connection and its transaction.

    The connection is taken from the pool at the first statement, so a unit of work that only
    validates input costs nothing; leaving the block rolls back whatever was not committed.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self._tx = Transaction(engine)
        self._repositories: dict[EntityType[Any, Any], Any] = {}

    def repository(self, entity: EntityType[E, Q]) -> Repository[E, Q]:
        """The repository of ``entity``'s type, over the tables its catalog implies."""
        found = self._repositories.get(entity)
        if found is None:
            schema = schema_of(entity.catalog)
            self._tx.schema = schema
            tables = schema[entity]
            found = SqlRepository(self._tx, mapper_for(tables), filters_for(tables))
            self._repositories[entity] = found
        return found

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
