"""A unit of work whose repositories live on different data sources.

A commit is atomic per source, not across sources: each source that received writes commits
in turn. If one fails after another has committed, the error says which sources were
written and which were not, so nothing is silently half-written.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from contextlib import AsyncExitStack
from types import TracebackType
from typing import Any, Generic, Self, TypeVar
from uuid import UUID

from app.migration.mirror import Relay
from app.migration.outbox import Change, Operation, Outbox
from app.migration.reads import DialedReads, FallbackReads, Reads, ShadowReads
from app.migration.shadow_worker import InLoopShadowWorker, ShadowWorker
from app.migration.state import MigrationState
from app.routing import Route
from domain import (
    DataSourceError,
    DomainError,
    Entity,
    EntityType,
    Page,
    PageRequest,
    Query,
    Repository,
    UniqueKey,
    UnitOfWork,
)
from domain.catalog import Plan
from domain.ports import bulk_add, planned_get, planned_list

E = TypeVar("E", bound=Entity)
Q = TypeVar("Q", bound=Query[Any])


class _RoutedRepository(Generic[E, Q]):
    """Reads from one source's repository, writes to another's (often the same)."""

    def __init__(
        self,
        read: Reads[E, Q],
        write: Repository[E, Q],
        mark_written: Callable[[], None],
        record: Callable[[Change], None] | None = None,
        plural: str = "",
    ) -> None:
        self._read, self._write, self._mark_written = read, write, mark_written
        self._record, self._plural = record, plural

    def _recorded(self, operation: Operation, entity: E) -> None:
        if self._record is not None:
            dumped = entity.model_dump(mode="json")
            self._record(Change(self._plural, operation, str(entity.id), entity.version, dumped))

    async def get(self, id: UUID) -> E:
        return await self._read.get(id)

    async def get_many(self, ids: Collection[UUID]) -> Mapping[UUID, E]:
        return await self._read.get_many(ids)

    async def list(self, query: Q, page: PageRequest) -> Page[E]:
        return await self._read.list(query, page)

    # A plan reaches the read source when it can plan (a wrapper of migrations cannot, and
    # is read plainly); relatives routed elsewhere are read there, as without a plan.
    async def get_planned(self, id: UUID, plan: Plan[E]) -> E:
        return await planned_get(self._read, id, plan)  # type: ignore[arg-type]

    async def list_planned(self, query: Q, page: PageRequest, plan: Plan[E]) -> Page[E]:
        return await planned_list(self._read, query, page, plan)  # type: ignore[arg-type]

    async def find_by(self, key: UniqueKey, values: Collection[tuple[Any, ...]]) -> Collection[E]:
        return await self._read.find_by(key, values)

    async def add(self, entity: E) -> E:
        self._mark_written()
        stored = await self._write.add(entity)
        self._recorded("add", stored)
        return stored

    async def add_many(self, entities: Sequence[E]) -> Sequence[E]:
        # One batch where the write source offers BulkAdds, one add each where it does not.
        self._mark_written()
        stored = await bulk_add(self._write, entities)
        for entity in stored:
            self._recorded("add", entity)
        return stored

    async def update(self, entity: E) -> E:
        self._mark_written()
        stored = await self._write.update(entity)
        self._recorded("update", stored)
        return stored

    async def remove(self, id: UUID, expected_version: int) -> None:
        self._mark_written()
        await self._write.remove(id, expected_version)
        if self._record is not None:
            self._record(Change(self._plural, "remove", str(id), expected_version))


class RoutedUnitOfWork:
    """Implements ``domain.ports.UnitOfWork`` over one unit of work per source in use."""

    def __init__(
        self,
        units: Mapping[str, UnitOfWork],
        routes: Mapping[str, Route],
        buffered: frozenset[str] = frozenset(),
        *,
        factories: Mapping[str, Callable[[], UnitOfWork]] | None = None,
        state: MigrationState | None = None,
        mirrors: Mapping[str, tuple[Outbox, Relay]] | None = None,
        shadows: ShadowWorker | None = None,
    ) -> None:
        self._units = dict(units)
        self._routes = routes
        self._buffered = buffered
        self._factories = dict(factories or {})
        self._state = state or MigrationState()
        self._shadowed: dict[str, EntityType[Any, Any]] = {}
        self._shadows = shadows or InLoopShadowWorker(self._factories, self._shadowed, self._state)
        """Where shadow reads run (``[migration] shadow_worker``); by default on this loop."""
        self._mirrors = dict(mirrors or {})
        self._mirrored: dict[tuple[str, str], list[Change]] = {}
        """Changes for each (primary, mirror) pair, sent through the outbox once committed."""
        self._written: list[str] = []
        self._stack = AsyncExitStack()
        self._repositories: dict[EntityType[Any, Any], Any] = {}

    def repository(self, entity: EntityType[E, Q]) -> Repository[E, Q]:
        """Reads from the source ``[repositories]`` routes the type's reads to, writes likewise."""
        found = self._repositories.get(entity)
        if found is None:
            route = self._routes[entity.plural]
            record = None
            if route.mirror is not None:
                pair = (route.write, route.mirror.to)

                def record(change: Change) -> None:
                    # Looked up per change: commit() empties the table, the cache outlives it.
                    self._mirrored.setdefault(pair, []).append(change)

            found = _RoutedRepository(
                self._reads(entity, route),
                self._units[route.write].repository(entity),
                lambda: self._note_write(route.write),
                record,
                entity.plural,
            )
            self._repositories[entity] = found
        return found

    def _reads(self, entity: EntityType[E, Q], route: Route) -> Reads[E, Q]:
        """The read side of a route: shadow( dial( fallback(read), fallback(dialed) ) )."""
        plural = entity.plural

        def of(source: str) -> Reads[E, Q]:
            found: Reads[E, Q] = self._units[source].repository(entity)
            if route.fallback is not None and source != route.fallback:
                fallback = self._units[route.fallback].repository(entity)
                found = FallbackReads(plural, source, found, fallback, self._state)
            return found

        reads: Reads[E, Q] = of(route.read)
        if route.dial is not None and route.dial.percent > 0:
            reads = DialedReads(plural, reads, of(route.dial.to), route.dial.percent)
        if route.shadow is not None:
            self._shadowed[plural] = entity
            reads = ShadowReads(
                entity,
                reads,
                self._shadows,
                read_source=route.read,
                shadow_source=route.shadow.to,
                sample=route.shadow.sample,
                timeout=route.shadow.timeout,
                state=self._state,
            )
        return reads

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
        # Journaled before the primary commits, sent only once it did: never lost, never
        # sent for a commit that did not happen (app.migration.outbox).
        staged = {
            pair: self._mirrors[pair[1]][0].stage(pair[1], changes)
            for pair, changes in self._mirrored.items()
            if changes
        }
        try:
            await self._commit_sources(done)
        finally:
            for (primary, mirror), seqs in staged.items():
                outbox, relay = self._mirrors[mirror]
                if primary in done:
                    outbox.ready(seqs)
                    relay.kick()
                else:
                    outbox.drop(seqs)
            self._mirrored.clear()

    async def _commit_sources(self, done: list[str]) -> None:
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
