"""``hexstudio config show``: the effective configuration and where each value came from."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from app.cli._run import EXIT_BAD_INPUT, fail
from app.errors import ConfigError
from app.provenance import effective
from app.settings import load_settings

config = typer.Typer(help="Inspect the configuration.")


@config.command("show")
def show(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print every effective setting, its origin (default, file, env); secrets masked."""
    try:
        rows = effective(load_settings())
    except ConfigError as exc:
        fail(f"configuration error: {exc}", EXIT_BAD_INPUT)
    if as_json:
        typer.echo(json.dumps({k: {"value": v, "from": o} for k, v, o in rows}, indent=2))
        return
    # One setting per line, as TOML would write it: nothing is cut or folded mid-word, however
    # narrow the terminal, and a line can be copied into hexstudio.toml as it is.
    width = max(len(key) for key, _, _ in rows)
    for key, value, origin in rows:
        typer.echo(f"{key.ljust(width)} = {json.dumps(value)}  # {origin}")
