"""The SQL schema a catalog implies: one table per entity type, one per owned collection.

The rules, applied to every entity type alike (``hexstudio describe`` prints the result):

- columns are the model's fields: ``id`` is the primary key; a reference is a UUID column
  with a foreign key to its target's ``id``; a value object (``budget: Money``) is one
  column per part (``budget_amount``, ``budget_currency``); ``None`` allowed means NULL;
- types follow the field's type and declared bounds: text with ``max_length`` is
  VARCHAR(n), with ``min_length == max_length`` CHAR(n); a Decimal with ``max_digits`` and
  ``decimal_places`` is NUMERIC(p, s) (integer units on SQLite); enums are VARCHAR(32);
- an owned collection (``genres``) is a table ``<singular>_<field>`` keyed by the owner's id
  and the value (``movie_genres(movie_id, genre)``), deleted with its owner, and indexed by
  value when a query filters on it;
- a unique key is a UNIQUE constraint; the stable order has an index, and so has each
  equality or set filter, followed by the order's columns, so every filtered page is one
  index range scan (unless a unique key already leads with the same columns).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import (
    CHAR,
    Boolean,
    Column,
    Date,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeEngine

from adapters.sql.column_types import decimal, uuid
from domain.catalog import AnyEntityType, Catalog, FieldKind, FieldSpec, UniqueKey
from domain.catalog.names import singular

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s",
    "pk": "pk_%(table_name)s",
}
"""Stable constraint names: error mapping recognises violations by them."""

ENUM_LENGTH = 32
"""The VARCHAR length of an enum column: room for any value name a domain is likely to use."""


@dataclass(frozen=True)
class Collection:
    """The table of one owned value collection: (owner id, value), deleted with the owner."""

    field: FieldSpec
    table: Table
    owner: Column[Any]
    value: Column[Any]


@dataclass(frozen=True, eq=False)
class EntityTables:
    """Where one entity type lives: its table and the tables of its collections."""

    entity: AnyEntityType
    table: Table
    collections: tuple[Collection, ...]


@dataclass(frozen=True)
class UniqueRule:
    """A unique key as the database names it, to recognise its violations."""

    entity: AnyEntityType
    key: UniqueKey
    constraint: str
    sqlite_columns: str
    """How SQLite lists the columns in its message: ``shoot_days.location_id, shoot_days.date``."""


class Schema:
    """The tables of one catalog, in one MetaData (what migrations are compared with)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.metadata = MetaData(naming_convention=NAMING_CONVENTION)
        self._tables = {entity.plural: _entity_tables(self.metadata, entity) for entity in catalog}
        self.unique_rules = tuple(
            UniqueRule(
                entity,
                key,
                "uq_" + "_".join([entity.plural, *key.fields]),
                ", ".join(f"{entity.plural}.{name}" for name in key.fields),
            )
            for entity in catalog
            for key in entity.unique
        )
        self.foreign_keys: dict[str, tuple[str, str]] = {
            f"fk_{fk.parent.table.name}_{fk.parent.name}": (fk.parent.table.name, fk.parent.name)
            for table in self.metadata.tables.values()
            for fk in table.foreign_keys
        }
        """Foreign-key constraint name -> (table, column)."""

    def __getitem__(self, entity: AnyEntityType) -> EntityTables:
        """The tables of ``entity``'s type."""
        return self._tables[entity.plural]


_SCHEMAS: dict[int, Schema] = {}


def schema_of(catalog: Catalog) -> Schema:
    """The schema of ``catalog``, derived once per catalog."""
    found = _SCHEMAS.get(id(catalog))
    if found is None or found.catalog is not catalog:
        found = _SCHEMAS[id(catalog)] = Schema(catalog)
    return found


def column_type(spec: FieldSpec) -> TypeEngine[Any]:
    """The column type of a scalar (or a collection's item) by the module's rules."""
    kind, bounds = spec.type, spec.constraints
    if spec.kind is FieldKind.REFERENCE or kind is UUID:
        return uuid()
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return String(ENUM_LENGTH)
    if kind is bool:
        return Boolean()
    if kind is int:
        return Integer()
    if kind is float:
        return Double()
    if kind is Decimal:
        return decimal(bounds.get("max_digits", 18), bounds.get("decimal_places", 2))
    if kind is dt.date:
        return Date()
    if kind is dt.datetime:
        return DateTime(timezone=True)
    if kind is str:
        length = bounds.get("max_length")
        if length is None:
            return Text()
        return CHAR(length) if bounds.get("min_length") == length else String(length)
    raise TypeError(f"no SQL column type for field {spec.name!r} of type {kind!r}")


def _columns(entity: AnyEntityType) -> list[Column[Any]]:
    columns: list[Column[Any]] = []
    for spec in entity.fields:
        if spec.kind is FieldKind.COLLECTION:
            continue
        if spec.kind is FieldKind.VALUE:
            columns.extend(
                Column(f"{spec.name}_{part.name}", column_type(part), nullable=spec.optional)
                for part in spec.parts
            )
            continue
        extra: list[Any] = []
        if spec.references is not None:
            extra.append(ForeignKey(f"{spec.references.target}.id"))
        columns.append(
            Column(
                spec.name,
                column_type(spec),
                *extra,
                primary_key=spec.name == "id",
                nullable=spec.optional,
            )
        )
    return columns


def _indexes(entity: AnyEntityType) -> list[Any]:
    order = list(entity.order)
    found: list[tuple[str, ...]] = []
    if order != ["id"]:
        found.append(tuple(order))
    for spec in entity.filters:
        if spec.op in ("eq", "in") and entity.field(spec.field).kind is not FieldKind.COLLECTION:
            found.append((spec.field, *order))
    unique = [(*key.fields, "id") for key in entity.unique]
    leading = [tuple(c for c in columns if c != "id") for columns in unique]
    kept: list[tuple[str, ...]] = []
    for columns in found:
        if columns[0] == "id" or columns in kept:
            continue
        if tuple(c for c in columns if c != "id") in leading:
            continue  # the unique key's index already serves this range
        kept.append(columns)
    return [Index(None, *columns) for columns in kept] + [
        UniqueConstraint(*key.fields) for key in entity.unique
    ]


def _collection(metadata: MetaData, entity: AnyEntityType, spec: FieldSpec) -> Collection:
    owner_name, value_name = f"{entity.names.singular}_id", singular(spec.name)
    filtered = any(f.field == spec.name for f in entity.filters)
    table = Table(
        f"{entity.names.singular}_{spec.name}",
        metadata,
        Column(
            owner_name,
            uuid(),
            ForeignKey(f"{entity.plural}.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        Column(value_name, column_type(spec), primary_key=True),
        # The filter reads this index; the primary key serves "values of these owners".
        *([Index(None, value_name, owner_name)] if filtered else []),
    )
    return Collection(spec, table, table.c[owner_name], table.c[value_name])


def _entity_tables(metadata: MetaData, entity: AnyEntityType) -> EntityTables:
    table = Table(entity.plural, metadata, *_columns(entity), *_indexes(entity))
    collections = tuple(_collection(metadata, entity, spec) for spec in entity.collections)
    return EntityTables(entity, table, collections)
