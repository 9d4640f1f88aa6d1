"""The in-process store: committed entities and the changes a commit applies, all or nothing.

Tables are named by entity types' plurals and made on first use, so the store holds any
catalog's entities; each declared unique key has an index, which refuses a second holder.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from domain import Conflict, Entity, NotFound
from domain.catalog import AnyEntityType, UniqueKey

KeyValue = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Add:
    """Store a new entity."""

    table: AnyEntityType
    entity: Entity


@dataclass(frozen=True, slots=True)
class Update:
    """Replace the entity stored at ``expected_version`` by ``entity`` (its next version)."""

    table: AnyEntityType
    entity: Entity
    expected_version: int


@dataclass(frozen=True, slots=True)
class Remove:
    """Delete the entity stored at ``expected_version``."""

    table: AnyEntityType
    id: UUID
    expected_version: int


Change = Add | Update | Remove


def key_of(key: UniqueKey, entity: Entity) -> KeyValue:
    """The values ``entity`` holds for the fields of ``key``."""
    return tuple(getattr(entity, name) for name in key.fields)


class MemoryStore:
    """Entities by table and id, plus one index per declared unique key."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[UUID, Entity]] = {}
        self.indexes: dict[UniqueKey, dict[KeyValue, UUID]] = {}
        # Commits may come from several threads (e.g. a Pact state handler); reads need no lock
        # because a commit swaps single dictionary entries, which the GIL keeps atomic.
        self._lock = threading.Lock()

    def table(self, entity: AnyEntityType) -> dict[UUID, Entity]:
        """The rows of ``entity``'s type (an empty table the first time)."""
        rows = self.tables.get(entity.plural)
        if rows is None:
            rows = self.tables.setdefault(entity.plural, {})
            for key in entity.unique:
                self.indexes.setdefault(key, {})
        return rows

    def index(self, key: UniqueKey) -> dict[KeyValue, UUID]:
        """The ids holding each value of ``key``."""
        return self.indexes.setdefault(key, {})

    def apply(self, changes: Sequence[Change]) -> None:
        """Apply ``changes`` in order; on the first failure undo the others and re-raise."""
        with self._lock:
            done: list[tuple[AnyEntityType, UUID, Entity | None]] = []
            try:
                for change in changes:
                    done.append(self._apply_one(change))
            except BaseException:
                for table, id, before in reversed(done):
                    self._put(table, id, before)
                raise

    def _apply_one(self, change: Change) -> tuple[AnyEntityType, UUID, Entity | None]:
        table = self.table(change.table)
        if isinstance(change, Add):
            before = None
            if change.entity.id in table:
                raise Conflict(
                    f"{change.table.label} {change.entity.id} already exists",
                    entity=change.table.label,
                    field="id",
                    reason="duplicate_id",
                )
            after: Entity | None = change.entity
            id = change.entity.id
        else:
            id = change.entity.id if isinstance(change, Update) else change.id
            before = self._current(change.table, id, change.expected_version)
            after = change.entity if isinstance(change, Update) else None
        if after is not None:
            self._check_unique(change.table, after)
        self._put(change.table, id, after)
        return (change.table, id, before)

    def _current(self, kind: AnyEntityType, id: UUID, expected_version: int) -> Entity:
        stored = self.table(kind).get(id)
        if stored is None:
            raise NotFound.of(kind.label, id)
        if stored.version != expected_version:
            raise Conflict(
                f"{kind.label} {id} is at version {stored.version}, not {expected_version}",
                entity=kind.label,
                field="version",
                reason="stale_version",
            )
        return stored

    def _check_unique(self, kind: AnyEntityType, entity: Entity) -> None:
        for key in kind.unique:
            holder = self.index(key).get(key_of(key, entity))
            if holder is not None and holder != entity.id:
                shown = ", ".join(f"{n} {getattr(entity, n)}" for n in key.fields)
                raise Conflict(
                    f"{kind.label} {key.name} is taken: {shown}",
                    entity=kind.label,
                    field=key.fields[0],
                    reason=key.reason,
                )

    def _put(self, kind: AnyEntityType, id: UUID, entity: Entity | None) -> None:
        """Set or delete one entity, keeping the unique indexes in step."""
        old = self.table(kind).pop(id, None)
        for key in kind.unique:
            if old is not None:
                del self.index(key)[key_of(key, old)]
            if entity is not None:
                self.index(key)[key_of(key, entity)] = id
        if entity is not None:
            self.table(kind)[id] = entity
