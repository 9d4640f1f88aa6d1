"""Count repository calls per unit of work: the round trips of a use case, made visible."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self, TypeVar

from domain import Entity, EntityType, Query, Repository, UnitOfWork, UnitOfWorkFactory

E = TypeVar("E", bound=Entity)
Q = TypeVar("Q", bound=Query[Any])


class _CountingRepository:
    def __init__(self, inner: Any, name: str, calls: Counter[str]) -> None:
        self._inner, self._name, self._calls = inner, name, calls

    def __getattr__(self, method: str) -> Callable[..., Any]:
        target = getattr(self._inner, method)

        async def counted(*args: Any, **kwargs: Any) -> Any:
            self._calls[f"{self._name}.{method}"] += 1
            return await target(*args, **kwargs)

        return counted


class CountingUnitOfWork:
    """Delegates to ``inner`` and records ``repository.method`` calls in ``calls``."""

    def __init__(self, inner: UnitOfWork, calls: Counter[str]) -> None:
        self._inner = inner
        self._calls = calls
        self._repositories: dict[EntityType[Any, Any], Any] = {}

    def repository(self, entity: EntityType[E, Q]) -> Repository[E, Q]:
        """The wrapped repository, counting each call as ``<plural>.<method>``."""
        found = self._repositories.get(entity)
        if found is None:
            inner = self._inner.repository(entity)
            found = self._repositories[entity] = _CountingRepository(
                inner, entity.plural, self._calls
            )
        return found

    async def __aenter__(self) -> Self:
        await self._inner.__aenter__()
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._inner.__aexit__(et, e, tb)

    async def commit(self) -> None:
        """Commit the wrapped unit of work (a commit is a round trip too)."""
        self._calls["commit"] += 1
        await self._inner.commit()


def counting(factory: UnitOfWorkFactory) -> tuple[Callable[[], CountingUnitOfWork], Counter[str]]:
    """Wrap ``factory``; return the wrapped factory and the live call counter."""
    calls: Counter[str] = Counter()
    return (lambda: CountingUnitOfWork(factory(), calls)), calls
