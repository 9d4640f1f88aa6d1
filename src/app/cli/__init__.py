"""The ``hexstudio`` command line."""

from __future__ import annotations

import typer

from app.cli.conformance import conformance
from app.cli.demo import demo
from app.cli.serve import serve

cli = typer.Typer(
    name="hexstudio",
    help="Studio production management over swappable data sources.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
cli.command("conformance")(conformance)
cli.command("demo")(demo)
cli.command("serve")(serve)


def main() -> None:
    """Console-script entry point."""
    cli()
