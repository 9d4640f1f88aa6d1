"""The unit-of-work port: one consistent set of repositories and an atomic commit."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Protocol, Self

from domain.ports.repositories import (
    LocationRepository,
    MovieRepository,
    ProductionRepository,
    ShootDayRepository,
)


class UnitOfWork(Protocol):
    """Repositories whose writes become visible together, or not at all.

    Use as ``async with uow_factory() as uow: ...; await uow.commit()``. Leaving the block
    without committing discards every write. The writes of one commit are atomic on every
    single data source (one SQL transaction, one atomic-operations request, one GraphQL
    mutation). When repositories are configured on different sources, a commit is atomic per
    source only: see the configuration docs.
    """

    # Read-only properties, so that an adapter's attribute of its own repository type fits.
    @property
    def movies(self) -> MovieRepository:
        """The movies of this unit of work."""
        ...

    @property
    def locations(self) -> LocationRepository:
        """The shooting locations of this unit of work."""
        ...

    @property
    def productions(self) -> ProductionRepository:
        """The productions of this unit of work."""
        ...

    @property
    def shoot_days(self) -> ShootDayRepository:
        """The shoot days of this unit of work."""
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
