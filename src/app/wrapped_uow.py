"""A unit of work that wraps another: each repository wrapped once, the rest passed through.

What counting (``app.instrumentation``) and tracing (``app.telemetry.uow``) share; each says
only how it wraps a repository and what its commit adds.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self, TypeVar

from domain import Entity, EntityType, Query, Repository, UnitOfWork

E = TypeVar("E", bound=Entity)
Q = TypeVar("Q", bound=Query[Any])


class WrappedUnitOfWork:
    """Delegates to ``inner``; ``wrap`` decorates each repository, made once per entity type."""

    def __init__(self, inner: UnitOfWork) -> None:
        self._inner = inner
        self._repositories: dict[EntityType[Any, Any], Any] = {}

    def wrap(self, repository: Repository[Any, Any], entity: EntityType[Any, Any]) -> Any:
        """The decorated ``repository`` of ``entity``."""
        raise NotImplementedError

    def repository(self, entity: EntityType[E, Q]) -> Repository[E, Q]:
        """The inner unit of work's repository of ``entity``, decorated by ``wrap``."""
        found: Repository[E, Q] | None = self._repositories.get(entity)
        if found is None:
            found = self._repositories[entity] = self.wrap(self._inner.repository(entity), entity)
        return found

    async def __aenter__(self) -> Self:
        await self._inner.__aenter__()
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._inner.__aexit__(et, e, tb)

    async def commit(self) -> None:
        """Commit the inner unit of work."""
        await self._inner.commit()
