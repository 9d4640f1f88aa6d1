"""Staged writes, and the checks a commit makes before anything reaches a file.

The semantics are the port's (``domain.ports.repositories``): a taken id or a broken unique
key is a Conflict, an id nobody stored is NotFound, a version other than the stored one is a
stale Conflict. ``apply`` works on copies, so the first failure leaves nothing to undo.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from uuid import UUID

from domain import Conflict, Entity, NotFound
from domain.catalog import AnyEntityType

from hexstudio_csv.tables import Table, show_key


@dataclass(frozen=True, slots=True)
class Add:
    """Store a new entity of ``kind``."""

    kind: AnyEntityType
    entity: Entity


@dataclass(frozen=True, slots=True)
class Update:
    """Replace the entity stored at ``expected_version`` by ``entity`` (its next version)."""

    kind: AnyEntityType
    entity: Entity
    expected_version: int


@dataclass(frozen=True, slots=True)
class Remove:
    """Delete the entity of ``kind`` stored at ``expected_version``."""

    kind: AnyEntityType
    id: UUID
    expected_version: int


Change = Add | Update | Remove


def apply(tables: Mapping[str, Table], changes: Sequence[Change]) -> dict[str, Table]:
    """The tables (by plural) after ``changes`` in order; raise at the first that fails.

    The tables given are never changed: each one a change touches is copied first, so a
    failure leaves them as they were and readers of the committed snapshot are undisturbed.
    """
    result = dict(tables)
    copied: set[str] = set()
    for change in changes:
        plural = change.kind.plural
        if plural not in copied:
            result[plural] = result[plural].copy()
            copied.add(plural)
        _apply_one(result[plural], change)
    return result


def _apply_one(table: Table, change: Change) -> None:
    label = change.kind.label
    if isinstance(change, Add):
        if change.entity.id in table.rows:
            raise Conflict(
                f"{label} {change.entity.id} already exists",
                entity=label,
                field="id",
                reason="duplicate_id",
            )
    else:
        id = change.id if isinstance(change, Remove) else change.entity.id
        _check_version(table, id, change.expected_version)
    if isinstance(change, Remove):
        table.delete(change.id)
        return
    _check_unique(table, change.entity)
    table.put(change.entity)


def _check_version(table: Table, id: UUID, expected_version: int) -> None:
    label = table.kind.label
    stored = table.rows.get(id)
    if stored is None:
        raise NotFound.of(label, id)
    if stored.version != expected_version:
        raise Conflict(
            f"{label} {id} is at version {stored.version}, not {expected_version}",
            entity=label,
            field="version",
            reason="stale_version",
        )


def _check_unique(table: Table, entity: Entity) -> None:
    label = table.kind.label
    for key in table.kind.unique:
        holder = table.holder(key, entity)
        if holder is not None:
            raise Conflict(
                f"{label} {key.name} is taken: {show_key(key, entity)} (by {holder})",
                entity=label,
                field=key.fields[0],
                reason=key.reason,
            )
