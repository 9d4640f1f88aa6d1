"""Reading and writing one CSV file with the stdlib ``csv`` module.

A file that cannot be understood raises DataSourceError naming the file and the line, so a
hand edit gone wrong is found in seconds. Missing files and OS errors are left to the caller,
which knows whether they mean "nothing stored yet" or "unavailable".
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable
from pathlib import Path
from typing import NoReturn, TypeVar
from uuid import UUID

from domain import DataSourceError, Entity
from pydantic import ValidationError

from hexstudio_csv.mapping import TableMapping

E = TypeVar("E", bound=Entity)


def read_table(path: Path, mapping: TableMapping[E]) -> dict[UUID, E]:
    """Every entity of the file, by id; DataSourceError names the file and line of a bad row."""
    entities: dict[UUID, E] = {}
    with path.open(newline="", encoding="utf-8") as file:
        reader = csv.DictReader(file, strict=True)
        try:
            if tuple(reader.fieldnames or ()) != mapping.columns:
                _corrupt(path, 1, f"expected the columns {','.join(mapping.columns)}")
            for row in reader:
                if None in row or None in row.values():
                    _corrupt(path, reader.line_num, f"expected {len(mapping.columns)} fields")
                entity = _entity(path, reader.line_num, mapping, row)
                if entity.id in entities:
                    _corrupt(path, reader.line_num, f"id {entity.id} appears twice")
                entities[entity.id] = entity
        except (csv.Error, UnicodeDecodeError) as exc:
            _corrupt(path, reader.line_num, str(exc))
    return entities


def _entity(path: Path, line: int, mapping: TableMapping[E], row: dict[str, str]) -> E:
    try:
        return mapping.kind.model_validate(mapping.to_fields(row))
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        field = ".".join(str(part) for part in error["loc"])
        _corrupt(path, line, f"{field}: {error['msg']} (got {error.get('input')!r})")


def _corrupt(path: Path, line: int, problem: str) -> NoReturn:
    raise DataSourceError(f"{path} line {line}: {problem}", reason="corrupt_csv")


def write_table(path: Path, mapping: TableMapping[E], entities: Iterable[E]) -> None:
    """Write a new file holding ``entities`` in their list order, and flush it to disk."""
    with path.open("x", newline="", encoding="utf-8") as file:
        # The default line terminator, "\r\n" (RFC 4180), also makes the writer quote any cell
        # holding a lone "\r": with "\n" alone, a logline's "\r" would split its row on reading.
        writer = csv.DictWriter(file, fieldnames=mapping.columns)
        writer.writeheader()
        writer.writerows(mapping.to_row(e) for e in sorted(entities, key=lambda e: e.sort_key))
        file.flush()
        os.fsync(file.fileno())
