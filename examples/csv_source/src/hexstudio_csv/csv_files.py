"""Reading and writing one entity type's CSV file with the stdlib ``csv`` module.

A file that cannot be understood raises DataSourceError naming the file and the line, so a
hand edit gone wrong is found in seconds. Missing files and OS errors are left to the caller,
which knows whether they mean "nothing stored yet" or "unavailable".
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NoReturn

from domain import DataSourceError, Entity
from domain.catalog import AnyEntityType
from pydantic import ValidationError

from hexstudio_csv.columns import Layout, Row, layout
from hexstudio_csv.tables import Table, show_key


def read_table(path: Path, kind: AnyEntityType) -> Table:
    """Every entity of the file, checked against ``kind``'s columns, ids and unique keys."""
    mapping = layout(kind)
    table = Table(kind)
    for line, row in _records(path, mapping.columns):
        entity = _entity(path, line, mapping, row)
        if entity.id in table.rows:
            _corrupt(path, line, f"id {entity.id} appears twice")
        for key in kind.unique:
            holder = table.holder(key, entity)
            if holder is not None:
                shown = show_key(key, entity)
                _corrupt(path, line, f"{key.name} ({shown}) is held twice: {holder}, {entity.id}")
        table.put(entity)
    return table


def count_rows(path: Path) -> int:
    """How many records the file holds, reading it as CSV only (no entity type needed)."""
    return sum(1 for _ in _records(path, None))


def write_table(path: Path, kind: AnyEntityType, entities: Iterable[Entity]) -> None:
    """Write a new file holding ``entities`` in their list order, and flush it to disk."""
    mapping = layout(kind)
    with path.open("x", newline="", encoding="utf-8") as file:
        # The default line terminator, "\r\n" (RFC 4180), also makes the writer quote any cell
        # holding a lone "\r": with "\n" alone, a text's "\r" would split its row on reading.
        writer = csv.DictWriter(file, fieldnames=mapping.columns)
        writer.writeheader()
        writer.writerows(mapping.to_row(e) for e in sorted(entities, key=lambda e: e.sort_key))
        file.flush()
        os.fsync(file.fileno())


def _records(path: Path, columns: tuple[str, ...] | None) -> Iterator[tuple[int, Row]]:
    """Each record with the line it ends on; the header must be ``columns`` when given."""
    with path.open(newline="", encoding="utf-8") as file:
        reader = csv.reader(file, strict=True)
        try:
            header = tuple(next(reader, ()))
            if columns is not None and header != columns:
                _corrupt(path, 1, f"expected the columns {','.join(columns)}")
            if not header:
                _corrupt(path, 1, "expected a header line")
            for cells in reader:
                if not cells:
                    continue  # a blank line, as a hand edit leaves at the end
                if len(cells) != len(header):
                    _corrupt(path, reader.line_num, f"expected {len(header)} fields")
                yield reader.line_num, dict(zip(header, cells, strict=True))
        except (csv.Error, UnicodeDecodeError) as exc:
            _corrupt(path, reader.line_num, str(exc))


def _entity(path: Path, line: int, mapping: Layout, row: Row) -> Entity:
    try:
        entity: Entity = mapping.kind.model.model_validate(mapping.to_fields(row))
        return entity
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        field = ".".join(str(part) for part in error["loc"])
        _corrupt(path, line, f"{field}: {error['msg']} (got {error.get('input')!r})")


def _corrupt(path: Path, line: int, problem: str) -> NoReturn:
    raise DataSourceError(f"{path} line {line}: {problem}", reason="corrupt_csv")
