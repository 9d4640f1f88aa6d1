"""``hexstudio demo``: run the scripted scenario and show what each step did."""

from __future__ import annotations

import hashlib
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from adapters.memory import MemoryDataSource
from app.bootstrap import bootstrap
from app.canonical import canonical_json
from app.cli._run import run
from app.scenario import run_scenario
from app.settings import load_settings


async def _demo() -> list[tuple[str, str]]:
    async with bootstrap(load_settings(), source=MemoryDataSource()) as container:
        steps = await run_scenario(container.interactors)
    return [(name, canonical_json(result)) for name, result in steps]


def demo(debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False) -> None:
    """Run the studio scenario (register, onboard, advance, reschedule, overview, slate)."""
    steps = run(_demo(), debug=debug)
    table = Table(title="hexstudio scenario over the memory data source")
    table.add_column("step", no_wrap=True, min_width=20)
    table.add_column("result (canonical JSON, abridged)", no_wrap=True, max_width=48)
    table.add_column("sha256", no_wrap=True)
    for name, result in steps:
        compact = " ".join(result.split())
        step_digest = hashlib.sha256(result.encode()).hexdigest()[:12]
        table.add_row(name, compact[:45] + "..." if len(compact) > 48 else compact, step_digest)
    console = Console()
    console.print(table)
    digest = hashlib.sha256("".join(r for _, r in steps).encode()).hexdigest()[:16]
    console.print(f"result digest: {digest}")
