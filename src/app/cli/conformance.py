"""``hexstudio conformance NAME``: prove a registered data source with the conformance kit."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from adapters.testing import Harness, Report, Status, run_conformance
from app import domains, registry
from app.cli._run import EXIT_SOURCE_FAILURE, run
from app.settings import load_settings

_STYLE = {Status.PASS: "green", Status.FAIL: "bold red", Status.SKIP: "yellow"}


async def _conform(name: str) -> Report:
    settings = load_settings()
    source = registry.create(name, settings.data_source.options(name), key="NAME")
    try:
        await source.check()  # one clear line if it cannot be reached, not one per check
        catalog = domains.load(settings.domain).catalog
        harness = Harness(source.unit_of_work, source.capabilities, catalog)
        return await run_conformance(name, harness)
    finally:
        await source.aclose()


def conformance(
    name: Annotated[str, typer.Argument(help="The data source's registered name.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
) -> None:
    r"""Run the conformance kit against data source NAME, configured as in \[data_source.NAME].

    The checks write uniquely named fixtures into the configured storage: point it at a
    scratch database. Exits 1 when any check fails.
    """
    report = run(_conform(name), debug=debug)
    if as_json:
        typer.echo(json.dumps(_as_dict(report), indent=2, sort_keys=True))
    else:
        _print_table(report)
    if not report.ok:
        raise typer.Exit(EXIT_SOURCE_FAILURE)


def _as_dict(report: Report) -> dict[str, object]:
    return {
        "source": report.source,
        "ok": report.ok,
        "counts": {status.value: n for status, n in report.counts().items()},
        "results": [
            {
                "check": r.check,
                "capability": r.capability,
                "status": r.status.value,
                "detail": r.detail,
            }
            for r in report.results
        ],
    }


def _print_table(report: Report) -> None:
    table = Table(title=f"conformance of data source {report.source!r}")
    for column in ("capability", "check", "result", "detail"):
        table.add_column(column, overflow="fold")
    for r in report.results:
        style = _STYLE[r.status]
        table.add_row(r.capability, r.check, f"[{style}]{r.status.value}[/]", r.detail)
    console = Console()
    console.print(table)
    by_capability: dict[str, dict[Status, int]] = {}
    for r in report.results:
        counts = by_capability.setdefault(r.capability, dict.fromkeys(Status, 0))
        counts[r.status] += 1
    for capability, counts in by_capability.items():
        summary = ", ".join(f"{n} {s.value}" for s, n in counts.items() if n)
        console.print(f"  {capability}: {summary}")
    totals = report.counts()
    console.print(
        f"{totals[Status.PASS]} passed, {totals[Status.FAIL]} failed, {totals[Status.SKIP]} skipped"
    )
