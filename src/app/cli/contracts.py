"""``hexstudio contracts verify``: check a running provider against the committed pacts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from adapters.spi import DataSource
from app import registry
from app.cli._run import EXIT_BAD_INPUT, EXIT_SOURCE_FAILURE, fail
from app.contracts.verify import default_pact_dir, verify_provider
from app.errors import ConfigError
from app.settings import load_settings

contracts = typer.Typer(help="Pact contracts between the HTTP data sources and a provider.")

_SEEDS = ("json_api", "graphql", "sql", "none")


@contracts.command("verify")
def verify(
    provider_url: Annotated[str, typer.Option(help="Base URL, e.g. http://127.0.0.1:8000")],
    pacts: Annotated[
        Path | None, typer.Option(help="A pact file or folder (default: the committed pacts).")
    ] = None,
    token: Annotated[str | None, typer.Option(help="Bearer token for writes.")] = None,
    seed: Annotated[
        str,
        typer.Option(
            help="How provider states are set up: through the provider's own JSON:API or "
            "GraphQL API, through the configured sql source, or none (the provider does it)."
        ),
    ] = "json_api",
) -> None:
    """Replay every committed interaction against PROVIDER-URL and print a report."""
    if seed not in _SEEDS:
        fail(f"--seed: unknown value {seed!r} (choices: {', '.join(_SEEDS)})", EXIT_BAD_INPUT)
    source = pacts or default_pact_dir()
    files = sorted(source.glob("*.json")) if source.is_dir() else [source]
    if not files or not all(f.is_file() for f in files):
        fail(f"--pacts: no pact files at {source}", EXIT_BAD_INPUT)
    base = provider_url.rstrip("/")
    try:
        settings = load_settings()
    except ConfigError as exc:
        fail(f"configuration error: {exc}", EXIT_BAD_INPUT)

    def seeding_source() -> DataSource:
        if seed == "sql":
            return registry.create("sql", settings.data_source.options("sql"))
        suffix = "/api" if seed == "json_api" else "/graphql"
        options = {"url": base + suffix, **({"token": token} if token else {})}
        return registry.create(seed, options)

    result = verify_provider(
        base, files, seed=None if seed == "none" else seeding_source, token=token
    )
    typer.echo(result.output)
    for problem in result.state_problems:
        typer.echo(f"provider state problem: {problem}", err=True)
    verdict = "PASSED" if result.passed else "FAILED"
    typer.echo(f"{verdict}: {result.interactions} interactions from {len(files)} pact file(s)")
    if not result.passed:
        raise typer.Exit(EXIT_SOURCE_FAILURE)
