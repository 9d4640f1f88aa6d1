"""Select rows by a set of ids in one statement, the cheapest way each engine offers.

An expanding ``IN`` re-renders its SQL for every call (a placeholder per id, with a cast per id
on PostgreSQL), which for a hundred ids costs more than running the query. So the ids travel as
one parameter where the engine can take that: a ``uuid[]`` on PostgreSQL, a JSON array unpacked
by ``json_each`` on SQLite or ``JSON_TABLE`` on MariaDB 10.6+ / MySQL 8.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Dialect,
    Select,
    String,
    Uuid,
    any_,
    bindparam,
    column,
    func,
    select,
    text,
)


class IdLookup:
    """Prebuilt statements selecting ``columns`` where ``id_column`` is among some ids."""

    def __init__(self, columns: Sequence[ColumnElement[Any]], id_column: ColumnElement[Any]):
        pick = select(*columns)
        self._in = pick.where(id_column.in_(bindparam("ids", expanding=True)))
        self._array = pick.where(id_column == any_(bindparam("ids", type_=ARRAY(Uuid()))))
        # Uuid columns hold 32 hex digits on SQLite, which is what the JSON array carries.
        unpacked = func.json_each(bindparam("ids", type_=String())).table_valued("value")
        self._json = pick.where(id_column.in_(select(unpacked.c.value)))
        json_table = text(
            "SELECT j.id FROM JSON_TABLE(:ids, '$[*]' COLUMNS (id CHAR(32) PATH '$')) AS j"
        ).columns(column("id"))
        self._json_table = pick.where(id_column.in_(json_table))

    def statement(
        self, dialect: Dialect, ids: Collection[UUID]
    ) -> tuple[Select[Any], dict[str, Any]]:
        """The statement and parameters selecting the rows of ``ids`` on ``dialect``."""
        if dialect.name == "postgresql":
            return self._array, {"ids": list(ids)}
        if dialect.name == "sqlite":
            return self._json, {"ids": json.dumps([id.hex for id in ids])}
        if _has_json_table(dialect):
            return self._json_table, {"ids": json.dumps([id.hex for id in ids])}
        return self._in, {"ids": list(ids)}


def _has_json_table(dialect: Dialect) -> bool:
    """MariaDB from 10.6 and MySQL from 8.0 (known once the first connection is made)."""
    version = dialect.server_version_info
    if version is None:
        return False
    return bool(version >= ((10, 6) if getattr(dialect, "is_mariadb", False) else (8, 0)))
