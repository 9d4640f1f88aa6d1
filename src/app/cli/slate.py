"""``hexstudio seed`` and ``hexstudio slate``: sample data in, the whole slate out."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress

from app.bootstrap import bootstrap
from app.canonical import canonical_json
from app.cli._run import run
from app.seed import SEED_STEPS, SeedReport, check_routes
from app.seed import seed as load_sample
from domain import MAX_PAGE_SIZE, PageRequest, SlateEntry

Debug = Annotated[bool, typer.Option(help="Show tracebacks.")]


async def _seed() -> SeedReport:
    # On stderr, and only on a terminal: piped, a transient bar leaves an empty line behind.
    console = Console(stderr=True)
    with Progress(transient=True, console=console, disable=not console.is_terminal) as bar:
        task = bar.add_task("seeding the sample slate", total=SEED_STEPS)
        async with bootstrap() as container:
            check_routes(container.routes, container.domain.catalog)
            return await load_sample(container.interactors, progress=lambda n: bar.advance(task, n))


def seed(debug: Debug = False) -> None:
    """Load the deterministic sample slate into the configured data source (once)."""
    report = run(_seed(), debug=debug)
    if report.already_seeded:
        typer.echo("the sample slate is already there; nothing to do")
    else:
        parts = [
            f"{report.movies} movies",
            f"{report.locations} locations",
            f"{report.productions} productions",
            *(f"{n} {plural.replace('_', ' ')}" for plural, n in report.examples.items()),
        ]
        typer.echo(f"seeded {', '.join(parts[:-1])} and {parts[-1]}")


async def _slate() -> list[SlateEntry]:
    entries: list[SlateEntry] = []
    async with bootstrap() as container:
        cursor: str | None = None
        while True:
            page = await container.interactors.list_slate(
                page=PageRequest(size=MAX_PAGE_SIZE, cursor=cursor)
            )
            entries.extend(page.items)
            if page.next_cursor is None:
                return entries
            cursor = page.next_cursor


def slate(
    as_json: Annotated[
        bool, typer.Option("--json", help="Canonical JSON, comparable byte for byte.")
    ] = False,
    debug: Debug = False,
) -> None:
    """Print every production of the slate with its movie, in production order."""
    entries = run(_slate(), debug=debug)
    if as_json:
        typer.echo(canonical_json(entries))
        return
    for entry in entries:
        p = entry.production
        typer.echo(
            f"{p.starts_on}  {p.phase:<22} {p.budget.amount:>15} {p.budget.currency}  "
            f"{entry.movie.title}"
        )
