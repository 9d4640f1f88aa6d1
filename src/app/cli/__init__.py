"""The ``hexstudio`` command line.

Generic commands, plus the configured domain's own (``app.cli.domain_commands``) and reads of
each of its entity types (``app.cli.reads``).
"""

from __future__ import annotations

from typing import Annotated

import typer

from app.cli._run import DEBUG
from app.cli.cache import cache
from app.cli.config import config
from app.cli.conformance import conformance
from app.cli.contracts import contracts
from app.cli.db import db
from app.cli.describe import describe
from app.cli.doctor import doctor
from app.cli.graphql_schema import graphql_schema
from app.cli.migration import migration
from app.cli.reads import DomainGroup
from app.cli.serve import serve

cli = typer.Typer(
    name="hexstudio",
    help="A domain (HEXSTUDIO_DOMAIN, default studio) over swappable data sources.",
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
cli.command("describe")(describe)
cli.command("graphql-schema")(graphql_schema)
cli.command("doctor")(doctor)
cli.add_typer(db)
cli.command("serve")(serve)
cli.add_typer(migration, name="migration")


def main() -> None:
    """Console-script entry point."""
    cli()
