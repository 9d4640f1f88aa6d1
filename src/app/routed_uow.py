"""A unit of work whose repositories live on different data sources.

A commit is atomic per source, not across sources: each source that received writes commits
in turn. If one fails after another has committed, the error says which sources were
written and which were not, so nothing is silently half-written.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from contextlib import AsyncExitStack
from types import TracebackType
from typing import Any, Self, cast
from uuid import UUID

from app.routing import Route
from domain import (
    DataSourceError,
    DomainError,
    LocationRepository,
    MovieRepository,
    Page,
    PageRequest,
    ProductionRepository,
    ShootDayRepository,
    UnitOfWork,
)


class _RoutedRepository:
    """Reads from one source's repository, writes to another's (often the same)."""

    def __init__(self, read: Any, write: Any, mark_written: Any) -> None:
        self._read, self._write, self._mark_written = read, write, mark_written

    async def get(self, id: UUID) -> Any:
        return await self._read.get(id)

    async def get_many(self, ids: Collection[UUID]) -> Mapping[UUID, Any]:
        return await self._read.get_many(ids)  # type: ignore[no-any-return]

    async def list(self, query: Any, page: PageRequest) -> Page[Any]:
        return await self._read.list(query, page)  # type: ignore[no-any-return]

    async def bookings(self, slots: Collection[Any]) -> Collection[Any]:
        return await self._read.bookings(slots)  # type: ignore[no-any-return]

    async def add(self, entity: Any) -> Any:
        self._mark_written()
        return await self._write.add(entity)

    async def update(self, entity: Any) -> Any:
        self._mark_written()
        return await self._write.update(entity)

    async def remove(self, id: UUID, expected_version: int) -> None:
        self._mark_written()
        await self._write.remove(id, expected_version)


class RoutedUnitOfWork:
    """Implements ``domain.ports.UnitOfWork`` over one unit of work per source in use."""

    def __init__(
        self,
        units: Mapping[str, UnitOfWork],
        routes: Mapping[str, Route],
        buffered: frozenset[str] = frozenset(),
    ) -> None:
        self._units = dict(units)
        self._buffered = buffered
        self._written: list[str] = []
        self._stack = AsyncExitStack()
        self.movies = cast(MovieRepository, self._route("movies", routes))
        self.locations = cast(LocationRepository, self._route("locations", routes))
        self.productions = cast(ProductionRepository, self._route("productions", routes))
        self.shoot_days = cast(ShootDayRepository, self._route("shoot_days", routes))

    def _route(self, name: str, routes: Mapping[str, Route]) -> _RoutedRepository:
        route = routes[name]
        return _RoutedRepository(
            getattr(self._units[route.read], name),
            getattr(self._units[route.write], name),
            lambda: self._note_write(route.write),
        )

    def _note_write(self, source: str) -> None:
        if source not in self._written:
            self._written.append(source)

    async def __aenter__(self) -> Self:
        for unit in self._units.values():
            await self._stack.enter_async_context(unit)
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._stack.__aexit__(et, e, tb)

    async def commit(self) -> None:
        """Commit each written source; name what was and was not written if one fails.

        Sources holding an open transaction commit first, in the order first written, then
        the buffered ones: a buffered source's commit may need the locks the others hold
        (a service writing to the database a local SQL source has a transaction open on).
        """
        done: list[str] = []
        order = sorted(self._written, key=lambda source: source in self._buffered)
        for source in order:
            try:
                await self._units[source].commit()
            except DomainError as exc:
                if not done:
                    raise  # nothing committed yet: the source's own error is the whole truth
                rest = [s for s in order if s not in done]
                raise DataSourceError(
                    f"partial commit: written to {', '.join(done)}; NOT written to "
                    f"{', '.join(rest)} ({source} failed: {type(exc).__name__}: {exc.message})",
                    reason="partial_commit",
                ) from exc
            done.append(source)
        self._written.clear()
