"""Count what a SQL data source sends: the round trips the N+1 tests pin."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from adapters.sql import SqlDataSource


@contextmanager
def statements(source: SqlDataSource) -> Iterator[list[str]]:
    """Record every statement the source's engine sends while the block runs."""
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(source.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(source.engine.sync_engine, "before_cursor_execute", record)
