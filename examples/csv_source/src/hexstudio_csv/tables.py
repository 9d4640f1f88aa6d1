"""One entity type's entities by id, with an index per unique key the type declares."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from domain import Entity, UniqueKey
from domain.catalog import AnyEntityType

KeyValue = tuple[Any, ...]
"""The values an entity holds for the fields of one unique key."""


def key_of(key: UniqueKey, entity: Entity) -> KeyValue:
    """The values ``entity`` holds for the fields of ``key``."""
    return tuple(getattr(entity, name) for name in key.fields)


def show_key(key: UniqueKey, entity: Entity) -> str:
    """``entity``'s value of ``key`` as errors name it: ``location_id 7f3..., date 2027-02-28``."""
    return ", ".join(f"{name} {getattr(entity, name)}" for name in key.fields)


@dataclass
class Table:
    """The entities of ``kind``; ``indexes`` says which id holds each value of each key."""

    kind: AnyEntityType
    rows: dict[UUID, Entity] = field(default_factory=dict)
    indexes: dict[str, dict[KeyValue, UUID]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for key in self.kind.unique:
            self.indexes.setdefault(key.name, {})

    def copy(self) -> Table:
        """A table that can change without changing this one."""
        indexes = {name: dict(index) for name, index in self.indexes.items()}
        return Table(self.kind, dict(self.rows), indexes)

    def holder(self, key: UniqueKey, entity: Entity) -> UUID | None:
        """The id of another entity already holding ``entity``'s value of ``key``, or None."""
        found = self.indexes[key.name].get(key_of(key, entity))
        return None if found == entity.id else found

    def find(self, key: UniqueKey, values: Collection[KeyValue]) -> list[Entity]:
        """The entities holding any of ``values`` of ``key``."""
        index = self.indexes[key.name]
        return [self.rows[index[value]] for value in set(values) if value in index]

    def put(self, entity: Entity) -> None:
        """Store ``entity``, replacing the one with its id; the indexes follow."""
        self.delete(entity.id)
        self.rows[entity.id] = entity
        for key in self.kind.unique:
            self.indexes[key.name][key_of(key, entity)] = entity.id

    def delete(self, id: UUID) -> None:
        """Forget the entity with ``id``, if there is one, and free its key values."""
        old = self.rows.pop(id, None)
        if old is not None:
            for key in self.kind.unique:
                self.indexes[key.name].pop(key_of(key, old), None)
