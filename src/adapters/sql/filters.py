"""Domain queries as WHERE clauses with named parameters, and the keyset condition of a cursor.

Each filter a query type declares becomes one prebuilt clause, by its comparison (``eq``,
``in``, ``has``, ``ge``, ``le``), whose value travels as a bind parameter named after the filter:
a list statement depends only on which filters are set, so repositories build each shape once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Table, and_, bindparam, or_, select

from adapters.sql.tables import EntityTables
from domain.catalog import AnyEntityType, FilterSpec, Query


@dataclass(frozen=True)
class Filters:
    """The clause of each filter of a query type, and how to read the values from a query."""

    clauses: Mapping[str, ColumnElement[bool]]

    def parameters(self, query: Query[Any]) -> dict[str, Any]:
        """The values of the filters ``query`` sets, by filter name (sets become sorted lists)."""
        return {
            spec.name: sorted(value) if isinstance(value, frozenset) else value
            for spec, value in query.active()
        }


def _clause(tables: EntityTables, spec: FilterSpec) -> ColumnElement[bool]:
    value: BindParameter[Any] = bindparam(spec.name, expanding=spec.op == "in")
    if spec.op == "has":
        # Through the collection's indexed table: owners holding the value.
        owned = next(c for c in tables.collections if c.field.name == spec.field)
        return tables.table.c.id.in_(select(owned.owner).where(owned.value == value))
    column = tables.table.c[spec.field]
    if spec.op == "eq":
        return column == value
    if spec.op == "in":
        # An empty set renders as an always-false condition: it matches nothing.
        return column.in_(value)
    if spec.op == "ge":
        return column >= value
    if spec.op == "le":
        return column <= value
    raise ValueError(f"{spec.name}: no SQL for the comparison {spec.op!r}")


_FILTERS: dict[EntityTables, Filters] = {}


def filters_for(tables: EntityTables) -> Filters:
    """The clauses of every filter the entity type's query declares, built once."""
    found = _FILTERS.get(tables)
    if found is None:
        # Text compares byte for byte on every engine (binary collation on MariaDB), as in Python.
        clauses = {spec.name: _clause(tables, spec) for spec in tables.entity.filters}
        found = _FILTERS[tables] = Filters(clauses)
    return found


def after_key(table: Table, ordering: Sequence[str]) -> ColumnElement[bool]:
    """Rows strictly after the sort key in parameters ``after_0``, ``after_1``...

    Written as ``a >= x AND (a > x OR b > y)`` rather than a row-value comparison: every engine
    turns the leading ``a >= x`` into an index range, so a deep page costs what the first does.
    """
    columns = [table.c[name] for name in ordering]
    keys = [bindparam(f"after_{i}", type_=c.type) for i, c in enumerate(columns)]
    if len(columns) == 1:
        return columns[0] > keys[0]
    (first, second), (x, y) = columns, keys
    return and_(first >= x, or_(first > x, second > y))


def cursor_parameters(entity: AnyEntityType, cursor: str) -> dict[str, Any]:
    """The ``after_<i>`` parameters of ``cursor``; InvalidInput on ``page.cursor`` if bad."""
    key = entity.model.cursor_key(cursor)
    return {f"after_{i}": value for i, value in enumerate(key)}
