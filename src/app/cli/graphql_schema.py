"""``hexstudio graphql-schema``: print or write the service's GraphQL SDL (``schema.graphql``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app import domains
from app.cli._run import EXIT_SOURCE_FAILURE, fail
from app.settings import load_settings


def sdl(domain: str | None = None) -> str:
    """The SDL of the service's schema for ``domain`` (default: the configured one)."""
    # The service extra, imported only when asked.
    from app.service.edges import edges_for
    from app.service.graphql import schema_of

    served = domains.load(domain or load_settings().domain)
    return schema_of(served.catalog, edges_for(served)).as_str() + "\n"


def graphql_schema(
    output: Annotated[
        Path | None, typer.Option(help="Write the SDL to this file instead of stdout.")
    ] = None,
    check: Annotated[
        bool, typer.Option(help="Exit 1 if OUTPUT differs from the schema (for CI).")
    ] = False,
) -> None:
    """Export the GraphQL schema the service serves for the domain (HEXSTUDIO_DOMAIN) as SDL."""
    text = sdl()
    if output is None:
        typer.echo(text, nl=False)
        return
    if check:
        current = output.read_text(encoding="utf-8") if output.is_file() else ""
        if current != text:
            fail(
                f"{output} is out of date: run hexstudio graphql-schema --output {output}",
                EXIT_SOURCE_FAILURE,
            )
        return
    output.write_text(text, encoding="utf-8")
