"""Count repository calls per unit of work: the round trips of a use case, made visible."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any, TypeVar

from app.wrapped_uow import WrappedUnitOfWork
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


class CountingUnitOfWork(WrappedUnitOfWork):
    """Delegates to ``inner`` and records ``repository.method`` calls in ``calls``."""

    def __init__(self, inner: UnitOfWork, calls: Counter[str]) -> None:
        super().__init__(inner)
        self._calls = calls

    def wrap(self, repository: Repository[Any, Any], entity: EntityType[Any, Any]) -> Any:
        """The repository, counting each call as ``<plural>.<method>``."""
        return _CountingRepository(repository, entity.plural, self._calls)

    async def commit(self) -> None:
        """Commit the wrapped unit of work (a commit is a round trip too)."""
        self._calls["commit"] += 1
        await super().commit()


def counting(factory: UnitOfWorkFactory) -> tuple[Callable[[], CountingUnitOfWork], Counter[str]]:
    """Wrap ``factory``; return the wrapped factory and the live call counter."""
    calls: Counter[str] = Counter()
    return (lambda: CountingUnitOfWork(factory(), calls)), calls
