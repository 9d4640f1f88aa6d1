"""Count repository calls per unit of work: the round trips of a use case, made visible."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self

from domain import UnitOfWork, UnitOfWorkFactory


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
        self.movies = _CountingRepository(inner.movies, "movies", calls)
        self.locations = _CountingRepository(inner.locations, "locations", calls)
        self.productions = _CountingRepository(inner.productions, "productions", calls)
        self.shoot_days = _CountingRepository(inner.shoot_days, "shoot_days", calls)

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
