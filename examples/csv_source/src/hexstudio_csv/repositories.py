"""Repositories over the CSV directory: reads see the committed files, writes wait for commit.

File I/O runs in a worker thread (``asyncio.to_thread``) so the event loop never blocks on disk.
"""

from __future__ import annotations

import asyncio
import bisect
from collections.abc import Collection, Mapping
from typing import Any, Generic, TypeVar
from uuid import UUID

from adapters.memory.store import Add, Change, Remove, Update
from domain import Entity, NotFound, Page, PageRequest, ShootDay, Slot
from domain.queries import Query, ShootDayQuery

from hexstudio_csv.storage import CsvDirectory

E = TypeVar("E", bound=Entity)
Q = TypeVar("Q", bound=Query[Any])


class CsvRepository(Generic[E, Q]):
    """The entities of one CSV file; implements ``domain.ports.Repository``."""

    def __init__(
        self, directory: CsvDirectory, table: str, kind: type[E], pending: list[Change]
    ) -> None:
        self._directory = directory
        self._table = table
        self._kind = kind
        self._pending = pending  # shared with the unit of work, which commits it

    async def _committed(self) -> Mapping[UUID, E]:
        snapshot = await asyncio.to_thread(self._directory.read)
        return snapshot.table(self._table, self._kind)

    async def get(self, id: UUID) -> E:
        """Return the committed entity or raise NotFound."""
        try:
            return (await self._committed())[id]
        except KeyError:
            raise NotFound.of(self._kind.__name__, id) from None

    async def get_many(self, ids: Collection[UUID]) -> Mapping[UUID, E]:
        """Return the committed entities among ``ids`` (one read of the files, at most)."""
        rows = await self._committed()
        return {id: rows[id] for id in ids if id in rows}

    async def list(self, query: Q, page: PageRequest) -> Page[E]:
        """Filter with the domain's reference semantics, sort, and cut one page after the cursor."""
        after = None if page.cursor is None else self._kind.cursor_key(page.cursor)
        matching = sorted(
            (e for e in (await self._committed()).values() if query.matches(e)),
            key=lambda e: e.sort_key,
        )
        start = 0
        if after is not None:  # keyset: resume after the last key seen, whatever was added since
            start = bisect.bisect_right([e.sort_key for e in matching], tuple(map(str, after)))
        items = tuple(matching[start : start + page.size])
        more = start + page.size < len(matching)
        return Page(items=items, next_cursor=items[-1].cursor if more else None)

    async def add(self, entity: E) -> E:
        """Stage the entity for commit; a taken id raises Conflict at commit."""
        self._directory.ensure_writable()
        self._pending.append(Add(self._table, entity))
        return entity

    async def update(self, entity: E) -> E:
        """Stage the next version of the entity; the stored version is checked at commit."""
        self._directory.ensure_writable()
        stored = entity.evolve(version=entity.version + 1)
        self._pending.append(Update(self._table, stored, entity.version))
        return stored

    async def remove(self, id: UUID, expected_version: int) -> None:
        """Stage the removal; the stored version is checked at commit."""
        self._directory.ensure_writable()
        self._pending.append(Remove(self._table, id, expected_version))


class CsvShootDayRepository(CsvRepository[ShootDay, ShootDayQuery]):
    """Shoot days, answering slot bookings from the snapshot's slot index."""

    async def bookings(self, slots: Collection[Slot]) -> Collection[ShootDay]:
        """Return the committed shoot days holding any of ``slots``."""
        snapshot = await asyncio.to_thread(self._directory.read)
        days = snapshot.table(self._table, ShootDay)
        return [days[snapshot.slots[s]] for s in set(slots) if s in snapshot.slots]
