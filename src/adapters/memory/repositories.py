"""Repositories over the memory store: reads see committed data, writes wait for commit."""

from __future__ import annotations

import bisect
from collections.abc import Collection, Mapping
from typing import Generic, TypeVar
from uuid import UUID

from adapters.memory.store import Add, Change, MemoryStore, Remove, Update
from domain import Entity, NotFound, Page, PageRequest, ShootDay, Slot
from domain.queries import Query

E = TypeVar("E", bound=Entity)
Q = TypeVar("Q", bound=Query)  # type: ignore[type-arg]


class MemoryRepository(Generic[E, Q]):
    """One table of the store; implements ``domain.ports.Repository``."""

    def __init__(self, store: MemoryStore, table: str, kind: type[E], pending: list[Change]):
        self._store = store
        self._table = table
        self._kind = kind
        self._pending = pending

    def _rows(self) -> dict[UUID, E]:
        return self._store.tables[self._table]  # type: ignore[return-value]

    async def get(self, id: UUID) -> E:
        """Return the committed entity or raise NotFound."""
        try:
            return self._rows()[id]
        except KeyError:
            raise NotFound.of(self._kind.__name__, id) from None

    async def get_many(self, ids: Collection[UUID]) -> Mapping[UUID, E]:
        """Return the committed entities among ``ids``."""
        rows = self._rows()
        return {id: rows[id] for id in ids if id in rows}

    async def list(self, query: Q, page: PageRequest) -> Page[E]:
        """Filter, sort by the entity's ordering, and cut one page after the cursor."""
        matching = sorted(
            (e for e in self._rows().values() if query.matches(e)), key=lambda e: e.sort_key
        )
        start = 0
        if page.cursor is not None:
            after = tuple(str(value) for value in self._kind.cursor_key(page.cursor))
            start = bisect.bisect_right([e.sort_key for e in matching], after)
        items = tuple(matching[start : start + page.size])
        more = start + page.size < len(matching)
        return Page(items=items, next_cursor=items[-1].cursor if more else None)

    async def add(self, entity: E) -> E:
        """Stage the entity for commit."""
        self._pending.append(Add(self._table, entity))
        return entity

    async def update(self, entity: E) -> E:
        """Stage the next version of the entity; the version is checked at commit."""
        stored = entity.evolve(version=entity.version + 1)
        self._pending.append(Update(self._table, stored, entity.version))
        return stored

    async def remove(self, id: UUID, expected_version: int) -> None:
        """Stage the removal; the version is checked at commit."""
        self._pending.append(Remove(self._table, id, expected_version))


class MemoryShootDayRepository(MemoryRepository[ShootDay, Query[ShootDay]]):
    """Shoot days, answering slot bookings from the store's index."""

    async def bookings(self, slots: Collection[Slot]) -> Collection[ShootDay]:
        """Return the committed shoot days holding any of ``slots``."""
        rows = self._rows()
        return [rows[self._store.slots[s]] for s in set(slots) if s in self._store.slots]
