"""``hexstudio demo``: the same scenario through every data source, side by side."""

from __future__ import annotations

import tempfile
from pathlib import Path

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from app.cli._run import EXIT_SOURCE_FAILURE, run
from app.demo import DemoRun, run_demo, shadow_demo


def demo() -> None:
    """Seed a temporary store, serve it, and run the scenario via sql, json_api, graphql, mixed.

    Only configuration changes between runs. Exits 1 if any result differs from the others.
    """
    console = Console()
    with tempfile.TemporaryDirectory(prefix="hexstudio-demo-") as workdir:
        with console.status("seeding a temporary SQLite store and starting the service..."):
            runs = run(run_demo(Path(workdir)))
        database = f"sqlite+aiosqlite:///{Path(workdir) / 'demo.db'}"
        catch = run(shadow_demo(Path(workdir), database))
    _print(console, runs)
    if len({r.digest for r in runs}) != 1:
        console.print("[bold red]results differ between configurations[/]")
        raise typer.Exit(EXIT_SOURCE_FAILURE)
    console.print(
        "identical results from every configuration: the domain never knew the difference"
    )
    console.print(
        f"a shadow over a copy with one planted difference: {catch.compared} reads compared, "
        f"{len(catch.differences)} differed",
        highlight=False,
    )
    for line in catch.differences:
        console.print(f"  {line}", highlight=False)
    if len(catch.differences) != 1 or catch.planted not in catch.differences[0]:
        console.print("[bold red]the shadow missed the planted difference[/]")
        raise typer.Exit(EXIT_SOURCE_FAILURE)


def _print(console: Console, runs: list[DemoRun]) -> None:
    """The table and the routes, readable at 80 columns.

    Short headers and a 12-digit digest prefix (the full digests are what is compared); a
    configuration whose repositories all use one source is one line, a mixed one a line each.
    """
    reference = runs[0].digest
    table = Table(
        title="one scenario, four configurations\n(register, onboard, advance, overview, slate)",
        box=box.SIMPLE_HEAD,
    )
    for column in ("configuration", "digest", "same", "port calls", "round trips", "time"):
        table.add_column(column, no_wrap=True)
    for r in runs:
        same = "[green]yes[/]" if r.digest == reference else "[bold red]NO[/]"
        trips = r.round_trips.replace(" + ", "+")
        table.add_row(
            r.name, r.digest[:12], same, str(r.port_calls), trips, f"{r.seconds * 1000:.0f} ms"
        )
    console.print(table)
    for r in runs:
        routes = r.routes.split(", ")
        sources = {route.partition("=")[2] for route in routes}
        if len(sources) == 1:
            console.print(f"{r.name}: every repository on {sources.pop()}")
            continue
        console.print(f"{r.name}:")
        for route in routes:
            console.print(f"  {route}")
