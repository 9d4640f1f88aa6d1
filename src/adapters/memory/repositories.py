"""Repositories over the memory store: reads see committed data, writes wait for commit."""

from __future__ import annotations

import bisect
from collections.abc import Collection, Mapping, Sequence
from typing import Any, Generic, TypeVar
from uuid import UUID

from adapters.memory.store import Add, Change, MemoryStore, Remove, Update
from domain import Entity, EntityType, NotFound, Page, PageRequest, Query, UniqueKey

E = TypeVar("E", bound=Entity)
Q = TypeVar("Q", bound=Query[Any])


class MemoryRepository(Generic[E, Q]):
    """One entity type's table in the store; implements ``Repository`` and ``BulkAdds``."""

    def __init__(self, store: MemoryStore, kind: EntityType[E, Q], pending: list[Change]):
        self._store = store
        self._kind = kind
        self._pending = pending

    def _rows(self) -> dict[UUID, E]:
        return self._store.table(self._kind)  # type: ignore[return-value]

    async def get(self, id: UUID) -> E:
        """Return the committed entity or raise NotFound."""
        try:
            return self._rows()[id]
        except KeyError:
            raise NotFound.of(self._kind.label, id) from None

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
            after = tuple(str(value) for value in self._kind.model.cursor_key(page.cursor))
            start = bisect.bisect_right([e.sort_key for e in matching], after)
        items = tuple(matching[start : start + page.size])
        more = start + page.size < len(matching)
        return Page(items=items, next_cursor=items[-1].cursor if more else None)

    async def find_by(self, key: UniqueKey, values: Collection[tuple[Any, ...]]) -> Collection[E]:
        """Return the committed entities holding any of ``values`` of ``key``."""
        rows, index = self._rows(), self._store.index(self._kind.unique_key(key.name))
        return [rows[index[value]] for value in set(values) if value in index]

    async def add(self, entity: E) -> E:
        """Stage the entity for commit."""
        self._pending.append(Add(self._kind, entity))
        return entity

    async def add_many(self, entities: Sequence[E]) -> Sequence[E]:
        """Stage every entity for commit, as ``add`` does for one."""
        self._pending.extend(Add(self._kind, entity) for entity in entities)
        return entities

    async def update(self, entity: E) -> E:
        """Stage the next version of the entity; the version is checked at commit."""
        stored = entity.evolve(version=entity.version + 1)
        self._pending.append(Update(self._kind, stored, entity.version))
        return stored

    async def remove(self, id: UUID, expected_version: int) -> None:
        """Stage the removal; the version is checked at commit."""
        self._pending.append(Remove(self._kind, id, expected_version))
