"""Printing results: canonical JSON with --json, readable rich tables without."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from app.canonical import canonical_json


def emit_json(value: Any) -> None:
    """Print ``value`` as canonical JSON (sorted keys, ISO dates, decimals as strings)."""
    typer.echo(canonical_json(value))


def emit_table(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Print a table with one row per item; ids stay whole on one line, to be copied."""
    table = Table(title=title, box=box.SIMPLE_HEAD)
    for column in columns:
        whole = column == "id"
        table.add_column(column, overflow="fold", no_wrap=whole, min_width=36 if whole else None)
    for row in rows:
        table.add_row(*(str(cell) for cell in row))
    Console().print(table)


def emit_next(cursor: str | None) -> None:
    """Tell how to get the next page, if there is one."""
    if cursor:
        typer.echo(f"next page: --after {cursor}")
