"""The in-process store: committed entities and the changes a commit applies, all or nothing."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from domain import Conflict, Entity, NotFound, ShootDay, Slot


@dataclass(frozen=True, slots=True)
class Add:
    """Store a new entity."""

    table: str
    entity: Entity


@dataclass(frozen=True, slots=True)
class Update:
    """Replace the entity stored at ``expected_version`` by ``entity`` (its next version)."""

    table: str
    entity: Entity
    expected_version: int


@dataclass(frozen=True, slots=True)
class Remove:
    """Delete the entity stored at ``expected_version``."""

    table: str
    id: UUID
    expected_version: int


Change = Add | Update | Remove

TABLES = ("movies", "locations", "productions", "shoot_days")


class MemoryStore:
    """Entities by table and id, plus the index of booked (location, date) slots."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[UUID, Entity]] = {name: {} for name in TABLES}
        self.slots: dict[Slot, UUID] = {}
        # Commits may come from several threads (e.g. a Pact state handler); reads need no lock
        # because a commit swaps single dictionary entries, which the GIL keeps atomic.
        self._lock = threading.Lock()

    def apply(self, changes: Sequence[Change]) -> None:
        """Apply ``changes`` in order; on the first failure undo the others and re-raise."""
        with self._lock:
            done: list[tuple[str, UUID, Entity | None]] = []
            try:
                for change in changes:
                    done.append(self._apply_one(change))
            except BaseException:
                for table, id, before in reversed(done):
                    self._put(table, id, before)
                raise

    def _apply_one(self, change: Change) -> tuple[str, UUID, Entity | None]:
        table = self.tables[change.table]
        if isinstance(change, Add):
            before = None
            if change.entity.id in table:
                raise Conflict(
                    f"{type(change.entity).__name__} {change.entity.id} already exists",
                    entity=type(change.entity).__name__,
                    field="id",
                    reason="duplicate_id",
                )
            after: Entity | None = change.entity
            id = change.entity.id
        else:
            id = change.entity.id if isinstance(change, Update) else change.id
            before = self._current(change.table, id, change.expected_version)
            after = change.entity if isinstance(change, Update) else None
        if isinstance(after, ShootDay):
            self._check_slot(after)
        self._put(change.table, id, after)
        return (change.table, id, before)

    def _current(self, table: str, id: UUID, expected_version: int) -> Entity:
        stored = self.tables[table].get(id)
        if stored is None:
            raise NotFound.of(table, id)
        if stored.version != expected_version:
            raise Conflict(
                f"{type(stored).__name__} {id} is at version {stored.version}, "
                f"not {expected_version}",
                entity=type(stored).__name__,
                field="version",
                reason="stale_version",
            )
        return stored

    def _check_slot(self, day: ShootDay) -> None:
        holder = self.slots.get(day.slot)
        if holder is not None and holder != day.id:
            raise Conflict(
                f"location {day.location_id} is already booked on {day.date}",
                entity="ShootDay",
                field="location_id",
                reason="location_double_booked",
            )

    def _put(self, table: str, id: UUID, entity: Entity | None) -> None:
        """Set or delete one entity, keeping the slot index in step."""
        old = self.tables[table].pop(id, None)
        if isinstance(old, ShootDay):
            del self.slots[old.slot]
        if entity is not None:
            self.tables[table][id] = entity
            if isinstance(entity, ShootDay):
                self.slots[entity.slot] = id
