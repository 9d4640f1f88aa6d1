"""The ``hexstudio`` command line."""

from __future__ import annotations

from typing import Annotated

import typer

from app.cli._run import DEBUG
from app.cli.cache import cache
from app.cli.config import config
from app.cli.conformance import conformance
from app.cli.contracts import contracts
from app.cli.db import db
from app.cli.demo import demo
from app.cli.describe import describe
from app.cli.doctor import doctor
from app.cli.graphql_schema import graphql_schema
from app.cli.locations import locations
from app.cli.migration import migration
from app.cli.movies import movies
from app.cli.productions import productions
from app.cli.reads import DomainGroup
from app.cli.serve import serve
from app.cli.shoot_days import shoot_days
from app.cli.slate import seed, slate

cli = typer.Typer(
    name="hexstudio",
    help="Studio production management over swappable data sources.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    cls=DomainGroup,
)


@cli.callback()
def _options(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
) -> None:
    DEBUG["enabled"] = debug


cli.add_typer(cache, name="cache")
cli.add_typer(config, name="config")
cli.command("conformance")(conformance)
cli.add_typer(contracts, name="contracts")
cli.command("demo")(demo)
cli.command("describe")(describe)
cli.command("graphql-schema")(graphql_schema)
cli.command("doctor")(doctor)
cli.add_typer(db)
cli.command("seed")(seed)
cli.command("slate")(slate)
cli.command("serve")(serve)
cli.add_typer(movies, name="movies")
cli.add_typer(locations, name="locations")
cli.add_typer(migration, name="migration")
cli.add_typer(productions, name="productions")
cli.add_typer(shoot_days, name="shoot-days")


def main() -> None:
    """Console-script entry point."""
    cli()
