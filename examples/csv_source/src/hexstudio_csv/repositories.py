"""One repository for any entity type: reads see the committed files, writes wait for commit.

File I/O runs in a worker thread (``asyncio.to_thread``) so the event loop never blocks on disk.
"""

from __future__ import annotations

import asyncio
import bisect
from collections.abc import Collection, Mapping
from typing import Any, Generic, TypeVar, cast
from uuid import UUID

from domain import Entity, EntityType, NotFound, Page, PageRequest, Query, UniqueKey

from hexstudio_csv.changes import Add, Change, Remove, Update
from hexstudio_csv.columns import layout
from hexstudio_csv.storage import CsvDirectory, Snapshot

E = TypeVar("E", bound=Entity)
Q = TypeVar("Q", bound=Query[Any])


class CsvRepository(Generic[E, Q]):
    """The entities of ``kind``'s CSV file; implements ``domain.ports.Repository``."""

    def __init__(
        self, directory: CsvDirectory, kind: EntityType[E, Q], pending: list[Change]
    ) -> None:
        self._directory = directory
        self._kind = kind
        self._pending = pending  # shared with the unit of work, which commits it

    async def _snapshot(self) -> Snapshot:
        return await asyncio.to_thread(self._directory.read, self._kind.catalog)

    async def get(self, id: UUID) -> E:
        """Return the committed entity or raise NotFound."""
        try:
            return (await self._snapshot()).rows(self._kind)[id]
        except KeyError:
            raise NotFound.of(self._kind.label, id) from None

    async def get_many(self, ids: Collection[UUID]) -> Mapping[UUID, E]:
        """Return the committed entities among ``ids`` (one read of the files, at most)."""
        rows = (await self._snapshot()).rows(self._kind)
        return {id: rows[id] for id in ids if id in rows}

    async def list(self, query: Q, page: PageRequest) -> Page[E]:
        """Filter with the domain's reference semantics, sort, and cut one page after the cursor."""
        # Parsed first: a tampered cursor is InvalidInput whatever the files hold.
        after = None if page.cursor is None else self._kind.model.cursor_key(page.cursor)
        rows = (await self._snapshot()).rows(self._kind)
        matching = sorted((e for e in rows.values() if query.matches(e)), key=lambda e: e.sort_key)
        start = 0
        if after is not None:  # keyset: resume after the last key seen, whatever was added since
            start = bisect.bisect_right([e.sort_key for e in matching], tuple(map(str, after)))
        items = tuple(matching[start : start + page.size])
        more = start + page.size < len(matching)
        return Page(items=items, next_cursor=items[-1].cursor if more else None)

    async def find_by(self, key: UniqueKey, values: Collection[tuple[Any, ...]]) -> Collection[E]:
        """Return the committed entities whose ``key`` fields equal one of ``values``."""
        declared = self._kind.unique_key(key.name)  # KeyError names the type if it has none
        table = (await self._snapshot()).table(self._kind)
        return cast(list[E], table.find(declared, values))

    async def add(self, entity: E) -> E:
        """Stage the entity for commit; a taken id or unique value raises Conflict at commit."""
        self._directory.ensure_writable()
        layout(self._kind).ensure_readable(entity)
        self._pending.append(Add(self._kind, entity))
        return entity

    async def update(self, entity: E) -> E:
        """Stage the next version of the entity; the stored version is checked at commit."""
        self._directory.ensure_writable()
        layout(self._kind).ensure_readable(entity)
        stored = entity.evolve(version=entity.version + 1)
        self._pending.append(Update(self._kind, stored, entity.version))
        return stored

    async def remove(self, id: UUID, expected_version: int) -> None:
        """Stage the removal; the stored version is checked at commit."""
        self._directory.ensure_writable()
        self._pending.append(Remove(self._kind, id, expected_version))
