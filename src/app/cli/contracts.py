"""``hexstudio contracts verify``: check a running provider against the committed pacts."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Annotated

import typer

from adapters.spi import DataSource
from app import registry
from app.cli._run import EXIT_BAD_INPUT, EXIT_SOURCE_FAILURE, fail
from app.contracts.verify import (
    STATE_PATH,
    InteractionResult,
    Verification,
    consumer_of,
    default_pact_dir,
    state_endpoint_problem,
    verify_provider,
)
from app.errors import ConfigError
from app.settings import load_settings

contracts = typer.Typer(help="Pact contracts between the HTTP data sources and a provider.")

_SEEDS = ("provider", "json_api", "graphql", "sql", "none")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


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
            help=f"How provider states are set up: by the provider ({STATE_PATH}, which "
            "hexstudio serve has with service.provider_states = true), through its JSON:API "
            "or GraphQL API, through the configured sql source, or none (nothing is set up)."
        ),
    ] = "provider",
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Print the verifier's own log too.")
    ] = False,
) -> None:
    """Replay every committed interaction against PROVIDER-URL and print a summary."""
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

    state_url = base + STATE_PATH if seed == "provider" else None
    if state_url is not None:
        problem = state_endpoint_problem(state_url, token)
        if problem is not None:
            fail(problem, EXIT_SOURCE_FAILURE)
    seeded = seed not in ("provider", "none")
    result = verify_provider(
        base, files, seed=seeding_source if seeded else None, state_url=state_url, token=token
    )
    if verbose:
        log = result.log if sys.stdout.isatty() else _ANSI.sub("", result.log)
        typer.echo(log.rstrip("\n"))
        typer.echo()
    for line in summary(result, files):
        typer.echo(line)
    for problem in result.state_problems:
        typer.echo(f"provider state problem: {problem}", err=True)
    verdict = "PASSED" if result.passed else "FAILED"
    passed = sum(r.passed for r in result.results)
    typer.secho(
        f"{verdict}: {passed} of {result.interactions} interactions from {len(files)} pact file(s)",
        fg="green" if result.passed else "red",  # click drops colours off a terminal
        bold=True,
    )
    if not result.passed:
        raise typer.Exit(EXIT_SOURCE_FAILURE)


def summary(result: Verification, files: list[Path]) -> list[str]:
    """Per pact file, how many interactions passed; each failure with what differed."""
    lines: list[str] = []
    for pact in files:
        consumer, recorded = consumer_of(pact)
        results = result.of_consumer(consumer)
        passed = sum(r.passed for r in results)
        line = f"{pact.name}: {passed} of {len(results)} interactions passed"
        if len(results) != recorded:  # e.g. a pact of another provider: nothing verified
            line += f" ({recorded} in the file)"
        lines.append(line)
        for failed in (r for r in results if not r.passed):
            lines.extend(_failure(failed))
    return lines


def _failure(failed: InteractionResult) -> list[str]:
    """A failed interaction: its description and states, each mismatch with - and + lines."""
    given = f" (given {' and '.join(failed.states)})" if failed.states else ""
    pending = " [pending: does not fail the run]" if failed.pending else ""
    lines = [f"  FAILED {failed.description}{given}{pending}"]
    for mismatch in failed.mismatches:
        lines.append(f"    {mismatch.where}: {mismatch.message}")
        if mismatch.expected is not None:
            lines.append(f"      - expected: {mismatch.expected}")
        if mismatch.actual is not None:
            lines.append(f"      + actual:   {mismatch.actual}")
    return lines
