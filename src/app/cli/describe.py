"""``hexstudio describe PLURAL``: what the catalog derives for one entity type."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from app import domains
from app.catalog_view import describe as derived
from app.cli._output import emit_json
from app.cli._run import EXIT_BAD_INPUT, fail
from app.errors import ConfigError
from app.settings import load_settings


def describe(
    entity: Annotated[str, typer.Argument(help="The entity type's plural (movies, shoot_days).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print it as JSON.")] = False,
) -> None:
    """Print the table, columns, wire names, attributes, filters and order of ENTITY."""
    try:
        catalog = domains.load(load_settings().domain).catalog
    except ConfigError as exc:
        fail(f"configuration error: {exc}", EXIT_BAD_INPUT)
    if entity not in catalog:
        fail(f"unknown entity type {entity!r} (choices: {', '.join(catalog.plurals)})", 2)
    view = derived(catalog[entity])
    if as_json:
        emit_json(view)
        return
    for section, value in view.items():
        typer.echo(f"{section}:" if isinstance(value, dict | list) else f"{section}: {value}")
        _print(value, "  ")


def _print(value: Any, indent: str) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            if isinstance(inner, dict | list):
                typer.echo(f"{indent}{key}:")
                _print(inner, indent + "  ")
            else:
                typer.echo(f"{indent}{key}: {inner}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                typer.echo(indent + ", ".join(f"{k} {v}" for k, v in item.items()))
            else:
                typer.echo(f"{indent}{item}")
