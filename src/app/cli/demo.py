"""``hexstudio demo``: the same scenario through every data source, side by side."""

from __future__ import annotations

import tempfile
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from app.cli._run import EXIT_SOURCE_FAILURE, run
from app.demo import DemoRun, run_demo


def demo() -> None:
    """Seed a temporary store, serve it, and run the scenario via sql, json_api, graphql, mixed.

    Only configuration changes between runs. Exits 1 if any result differs from the others.
    """
    console = Console()
    with tempfile.TemporaryDirectory(prefix="hexstudio-demo-") as workdir:
        with console.status("seeding a temporary SQLite store and starting the service..."):
            runs = run(run_demo(Path(workdir)))
    _print(console, runs)
    if len({r.digest for r in runs}) != 1:
        console.print("[bold red]results differ between configurations[/]")
        raise typer.Exit(EXIT_SOURCE_FAILURE)
    console.print(
        "identical results from every configuration: the domain never knew the difference"
    )


def _print(console: Console, runs: list[DemoRun]) -> None:
    reference = runs[0].digest
    table = Table(
        title="one scenario, four configurations (register, onboard, advance, overview, slate)"
    )
    for column in (
        "configuration",
        "result digest",
        "identical",
        "port calls",
        "round trips",
        "time",
    ):
        table.add_column(column, no_wrap=True)
    for r in runs:
        same = "[green]yes[/]" if r.digest == reference else "[bold red]NO[/]"
        table.add_row(
            r.name, r.digest, same, str(r.port_calls), r.round_trips, f"{r.seconds * 1000:.0f} ms"
        )
    console.print(table)
    for r in runs:
        console.print(f"  {r.name}: {r.routes}")
