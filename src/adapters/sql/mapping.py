"""Explicit, two-way mapping between table rows and domain entities, derived per entity type.

Rows become plain dicts validated by the entity models in one batch: the domain never sees a
SQLAlchemy object, and a row the model refuses becomes DataSourceError, not a crash. A value
object's columns are nested back (``budget_amount`` -> ``budget.amount``); an owned
collection is folded into one string per row by a correlated subquery (one statement).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from typing import Any, Generic, TypeVar
from uuid import UUID

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import ColumnElement, Date, String, Table, Uuid, func, select, type_coerce

from adapters.sql.lookup import IdLookup
from adapters.sql.tables import Collection, EntityTables
from domain import DataSourceError, Entity
from domain.catalog import FieldKind

E = TypeVar("E", bound=Entity)

SEPARATOR = ","
"""Between the values of an owned collection folded into one string: never inside a value of
the item types allowed (enums, UUIDs, numbers)."""


def _folded(collection: Collection, owner_id: ColumnElement[Any]) -> ColumnElement[str]:
    """A correlated subquery folding one owner's values into one string."""
    return (
        select(func.aggregate_strings(collection.value, SEPARATOR))
        .where(collection.owner == owner_id)
        .scalar_subquery()
        .label(collection.field.name)
    )


def _as_read(table: Table) -> list[ColumnElement[Any]]:
    """The table's columns, with UUIDs and dates left as the driver returns them.

    Where the driver hands back text (UUIDs on SQLite and MariaDB, dates on SQLite), the entity
    model parses it in pydantic's Rust core, about twice as fast as SQLAlchemy's Python result
    processors; where it hands back objects, the model takes them as they are.
    """
    return [
        type_coerce(c, String()).label(c.name) if isinstance(c.type, Uuid | Date) else c
        for c in table.c
    ]


class Mapper(Generic[E]):
    """How one entity type maps to its tables: the columns to read and the values to write."""

    def __init__(self, tables: EntityTables) -> None:
        entity = tables.entity
        self.entity = entity
        self.kind: type[E] = entity.model
        self.table = tables.table
        self.collections = tables.collections
        for owned in self.collections:
            item = owned.field.type
            if not (
                item in (UUID, int) or (isinstance(item, type) and issubclass(item, enum.Enum))
            ):
                raise TypeError(
                    f"{entity.label}.{owned.field.name}: the SQL source stores collections of "
                    f"enums, UUIDs or integers, not {item!r}"
                )
        # (field, ((part, column), ...)) with the column names made once, not per row.
        self._values = tuple(
            (spec.name, tuple((part.name, f"{spec.name}_{part.name}") for part in spec.parts))
            for spec in entity.of_kind(FieldKind.VALUE)
        )
        self._skipped = {
            spec.name for spec in entity.of_kind(FieldKind.VALUE, FieldKind.COLLECTION)
        }
        self.columns = (
            *_as_read(self.table),
            *(_folded(owned, self.table.c.id) for owned in self.collections),
        )
        self._adapter = TypeAdapter(list[self.kind])  # type: ignore[name-defined]
        # Statements built once: SQLAlchemy then finds their compiled form by a memoised key,
        # where a freshly built statement costs tens of µs per call to build and key.
        ordering = [self.table.c[name] for name in entity.order]
        self.ordered = select(*self.columns).order_by(*ordering)
        """Every row in the stable order; callers add WHERE and LIMIT."""
        self.lookup = IdLookup(self.columns, self.table.c.id)
        """Rows by a set of ids, one statement whatever the number of ids."""

    def _from_row(self, row: dict[str, Any]) -> dict[str, Any]:
        for name, parts in self._values:
            row[name] = {part: row.pop(column) for part, column in parts}
        for owned in self.collections:
            folded = row[owned.field.name]
            row[owned.field.name] = folded.split(SEPARATOR) if folded else ()
        return row

    def entities(self, keys: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[E]:
        """Validate rows (tuples in ``keys`` order) into entities; DataSourceError if invalid."""
        # zip over plain tuples: several times cheaper than going through RowMapping objects.
        plain = not (self._values or self.collections)
        try:
            dicts = [dict(zip(keys, row, strict=True)) for row in rows]
            if not plain:
                dicts = [self._from_row(row) for row in dicts]
            result: list[E] = self._adapter.validate_python(dicts)
        except ValidationError as exc:
            raise DataSourceError(
                f"the {self.table.name} table holds a row that is not a valid "
                f"{self.kind.__name__}: {exc.errors(include_url=False)[0]['msg']}",
                entity=self.kind.__name__,
            ) from None
        return result

    def values(self, entity: E) -> dict[str, Any]:
        """The column values of ``entity`` for its own table."""
        values = entity.model_dump(exclude=self._skipped)
        for name, parts in self._values:
            value = getattr(entity, name)
            for part, column in parts:
                values[column] = None if value is None else getattr(value, part)
        return values

    def collection_rows(self, owned: Collection, entity: E) -> list[dict[str, Any]]:
        """The rows of one owned collection of ``entity``, sorted so inserts lock in order."""
        items = sorted(getattr(entity, owned.field.name))
        return [{owned.owner.name: entity.id, owned.value.name: item} for item in items]


_MAPPERS: dict[EntityTables, Mapper[Any]] = {}


def mapper_for(tables: EntityTables) -> Mapper[Any]:
    """The mapper of one entity type's tables, built once (its statements are prebuilt)."""
    found = _MAPPERS.get(tables)
    if found is None:
        found = _MAPPERS[tables] = Mapper(tables)
    return found
