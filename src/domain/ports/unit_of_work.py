"""The unit-of-work port: the repository of any declared entity type, and an atomic commit."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any, Protocol, Self, TypeVar

from domain.catalog import EntityType, Query
from domain.model import Entity
from domain.ports.repositories import Repository

E = TypeVar("E", bound=Entity)
Q = TypeVar("Q", bound=Query[Any])


class UnitOfWork(Protocol):
    """Repositories whose writes become visible together, or not at all.

    Use as ``async with uow_factory() as uow: ...; await uow.commit()``, and reach an entity
    type's repository with ``uow.repository(MOVIES)``: its type is precise
    (``Repository[Movie, MovieQuery]``). Leaving the block without committing discards every
    write. The writes of one commit are atomic on every single data source (one SQL
    transaction, one atomic-operations request, one GraphQL mutation). When repositories are
    configured on different sources, a commit is atomic per source only: see the
    configuration docs.
    """

    def repository(self, entity: EntityType[E, Q]) -> Repository[E, Q]:
        """The repository of ``entity``'s type in this unit of work."""
        ...

    async def __aenter__(self) -> Self:
        """Start the unit of work."""
        ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """End it, discarding whatever was not committed."""
        ...

    async def commit(self) -> None:
        """Make every write so far durable, all or nothing."""
        ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
"""What interactors are built with: each call opens a fresh unit of work."""
