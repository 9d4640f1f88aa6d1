"""Rows <-> entities for any entity type: the columns follow from ``EntityType.fields``.

One rule for every type, so a type added to the catalog gets its file with no code here:

- one column per field, in declaration order (``id`` and ``version`` first);
- a value object is flattened, one column per part: ``budget`` -> ``budget_amount``,
  ``budget_currency``;
- every cell is text: enums by value, dates ISO 8601, floats by ``repr`` (the shortest text
  that reads back exactly), Decimals by ``str`` (no float rounding), booleans ``true`` and
  ``false``, ``str`` for the rest (text, integers, UUIDs); None is an empty cell;
- an owned collection (a movie's genres) is one cell: its items' texts, sorted so the same
  entity always writes the same bytes, joined with ``;``.

Reading builds the field values from the cells and lets the model validate them, exactly as
if a user had typed them. A value the rule cannot carry (an empty text in an optional field
reads back as None, an item holding ``;`` splits in two) is refused when it is written.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Iterator, Sequence
from typing import Any

from domain import DataSourceError, Entity
from domain.catalog import AnyEntityType, FieldKind, FieldSpec
from pydantic import ValidationError

Row = dict[str, str]
"""One CSV record by column name, as the reader gives it and the writer takes it."""

SEPARATOR = ";"
"""Joins the items of an owned collection in its one cell."""


class Layout:
    """How the entities of one type are stored: the file, its columns, both directions."""

    def __init__(self, kind: AnyEntityType) -> None:
        self.kind = kind
        self.file = f"{kind.plural}.csv"
        self.columns: tuple[str, ...] = tuple(_columns(kind.fields, ""))
        if len(set(self.columns)) < len(self.columns):
            clash = next(c for c in self.columns if self.columns.count(c) > 1)
            raise DataSourceError(
                f"{kind.label}: two fields flatten to the CSV column {clash!r}",
                entity=kind.label,
                field=clash,
                reason="column_clash",
            )

    def to_row(self, entity: Entity) -> Row:
        """Every column's text for ``entity``."""
        row: Row = {}
        _write(self.kind.fields, entity, "", row)
        return row

    def to_fields(self, row: Row) -> dict[str, Any]:
        """The entity's field values from ``row``, still to be validated by the model."""
        return _read(self.kind.fields, "", row)

    def ensure_readable(self, entity: Entity) -> None:
        """Raise DataSourceError if ``entity`` would not read back from its row unchanged.

        Checked at ``add`` and ``update``: a value the rule cannot carry is refused before it
        reaches a file, instead of coming back different (or not at all) on the next read.
        """
        try:
            back = self.kind.model.model_validate(self.to_fields(self.to_row(entity)))
        except ValidationError as exc:
            location = exc.errors(include_url=False)[0]["loc"]
            name = str(location[0]) if location else "?"
        else:
            if back == entity:
                return
            differ = (
                n for n in type(entity).model_fields if getattr(back, n) != getattr(entity, n)
            )
            name = next(differ, "?")
        label = self.kind.label
        raise DataSourceError(
            f"{label} {entity.id}: {name} = {getattr(entity, name, None)!r} does not read back "
            "from a CSV cell (an empty text in an optional field, or an item holding "
            f"{SEPARATOR!r}?)",
            entity=label,
            field=name,
            reason="not_representable",
        )


@functools.cache
def layout(kind: AnyEntityType) -> Layout:
    """The layout of ``kind``, derived once per entity type."""
    return Layout(kind)


def _columns(specs: Sequence[FieldSpec], prefix: str) -> Iterator[str]:
    for spec in specs:
        if spec.kind is FieldKind.VALUE:
            yield from _columns(spec.parts, f"{prefix}{spec.name}_")
        elif spec.kind is FieldKind.COLLECTION and _is_model(spec.type):
            # One cell holds texts joined by ";": a value object's parts have no place there.
            raise DataSourceError(
                f"{prefix}{spec.name}: a collection of value objects has no CSV columns",
                field=spec.name,
                reason="not_representable",
            )
        else:
            yield prefix + spec.name


def _is_model(kind: Any) -> bool:
    return isinstance(kind, type) and hasattr(kind, "model_fields")


def _write(specs: Sequence[FieldSpec], source: Any, prefix: str, row: Row) -> None:
    for spec in specs:
        # A value object left at None leaves all of its parts' cells empty.
        value = None if source is None else getattr(source, spec.name)
        name = prefix + spec.name
        if spec.kind is FieldKind.VALUE:
            _write(spec.parts, value, f"{name}_", row)
        elif value is None:
            row[name] = ""
        elif spec.kind is FieldKind.COLLECTION:
            row[name] = SEPARATOR.join(sorted(_text(item) for item in value))
        else:
            row[name] = _text(value)


def _read(specs: Sequence[FieldSpec], prefix: str, row: Row) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for spec in specs:
        name = prefix + spec.name
        if spec.kind is FieldKind.VALUE:
            inner = f"{name}_"
            empty = all(not row[column] for column in _columns(spec.parts, inner))
            fields[spec.name] = None if spec.optional and empty else _read(spec.parts, inner, row)
        elif not row[name]:
            # Empty is None where None is allowed; otherwise it is an empty text or collection.
            empty_value: Any = [] if spec.kind is FieldKind.COLLECTION else ""
            fields[spec.name] = None if spec.optional else empty_value
        elif spec.kind is FieldKind.COLLECTION:
            fields[spec.name] = row[name].split(SEPARATOR)
        else:
            fields[spec.name] = row[name]
    return fields


def _text(value: Any) -> str:
    """One scalar's cell (see the module docstring for the rule)."""
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.date | dt.time):  # a datetime is a date too
        return value.isoformat()
    return str(value)
