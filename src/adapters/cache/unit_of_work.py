"""The cache's unit of work: the wrapped source's, plus the entries its commit replaces."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar

from adapters.cache.repository import CacheRepository, Written
from domain import Entity, EntityType, Query, Repository, UnitOfWork

if TYPE_CHECKING:
    from adapters.cache.data_source import CacheDataSource

E = TypeVar("E", bound=Entity)
Q = TypeVar("Q", bound=Query[Any])


class CacheUnitOfWork:
    """Implements ``domain.ports.UnitOfWork``; commits upstream, then updates the cache."""

    def __init__(self, inner: UnitOfWork, cache: CacheDataSource) -> None:
        self._inner = inner
        self._cache = cache
        self._written: Written = {}
        self._repositories: dict[EntityType[Any, Any], Any] = {}

    def repository(self, entity: EntityType[E, Q]) -> Repository[E, Q]:
        """The cached repository of ``entity``'s type."""
        found = self._repositories.get(entity)
        if found is None:
            inner = self._inner.repository(entity)
            found = self._repositories[entity] = CacheRepository(
                inner, entity, self._cache, self._written
            )
        return found

    async def __aenter__(self) -> Self:
        await self._inner.__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._written.clear()
        await self._inner.__aexit__(exc_type, exc, tb)

    async def commit(self) -> None:
        """Commit upstream; then replace the entries written, so this writer reads its write.

        The cache never fails a commit that succeeded upstream: a Redis error here makes the
        cache step aside and move the epoch when Redis answers again.
        """
        written = list(self._written.values())
        self._written.clear()
        await self._inner.commit()
        await self._cache.committed(written)
