"""``hexstudio conformance NAME``: prove a registered data source with the conformance kit."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from adapters.spi import WrappingSource
from adapters.testing import Harness, Report, Status, run_conformance
from app import domains, registry, sources
from app.cli._run import EXIT_SOURCE_FAILURE, run
from app.errors import ConfigError
from app.settings import load_settings

_STYLE = {Status.PASS: "green", Status.FAIL: "bold red", Status.SKIP: "yellow"}


async def _scratch_sql(folder: Path, migrations: str | None) -> dict[str, Any]:
    """A new SQLite file in ``folder``, migrated with the domain's revisions."""
    from adapters.sql import migrate  # the SQL extra, imported only for this source

    url = f"sqlite+aiosqlite:///{folder / 'conformance.db'}"
    await migrate.upgrade(url, versions=migrations)
    return {"url": url}


async def _scratch_memory(folder: Path, migrations: str | None) -> dict[str, Any]:
    return {}  # every memory source starts empty


_SCRATCH: dict[str, Callable[[Path, str | None], Awaitable[dict[str, Any]]]] = {
    "memory": _scratch_memory,
    "sql": _scratch_sql,
}
"""The sources the command can give a store of their own, made for the run and deleted after.
Any other source's store is its configured one: the run needs --in-place."""


async def _conform(name: str, in_place: bool) -> tuple[Report, str]:
    settings = load_settings()
    domain = domains.load(settings.domain)
    tables = settings.data_source.model_extra or {}
    # Bad names and options first, in one line, and closed again: only the run's source stays.
    probe = sources.create(tables, name, key="NAME")
    await probe.aclose()
    kind = sources.instances(tables)[name]
    # A cache gets a scratch store when what it wraps would: the scratch goes behind it.
    over = probe.over if isinstance(probe, WrappingSource) else name
    scratch = None if in_place else _SCRATCH.get(sources.instances(tables)[over])
    if not in_place and scratch is None:
        raise ConfigError(
            f"conformance {name}: the checks would write fixtures into the store configured "
            f"in [data_source.{name}]; point it at a scratch store and pass --in-place "
            f"(only {' and '.join(sorted(_SCRATCH))} get a scratch store of their own)"
        )
    with tempfile.TemporaryDirectory(prefix="hexstudio-conformance-") as folder:
        if scratch is None:
            source = sources.create(tables, name, key="NAME")
        else:
            options = await scratch(Path(folder), domain.migrations)
            inner_kind = sources.instances(tables)[over]
            source = registry.create(inner_kind, options, key="NAME", name=over)
            if over != name:  # a cache over a scratch store: the cache as configured
                wrapper = registry.create(kind, _options(tables, name), key="NAME", name=name)
                assert isinstance(wrapper, WrappingSource)
                wrapper.wrap(source)
                source = wrapper
        try:
            described = await source.check()  # one clear line if it cannot be reached
            store = described if in_place else f"a scratch store, deleted after: {described}"
            harness = Harness(source.unit_of_work, source.capabilities, domain.catalog)
            return await run_conformance(name, harness), store
        finally:
            await source.aclose()


def _options(tables: Mapping[str, Any], name: str) -> dict[str, Any]:
    """The options of ``[data_source.<name>]`` without its ``kind``."""
    table = tables.get(name, {})
    return {k: v for k, v in table.items() if k != sources.KIND}


def conformance(
    name: Annotated[str, typer.Argument(help="The data source's registered name.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    in_place: Annotated[
        bool,
        typer.Option(
            "--in-place",
            help="Run against the configured store itself: the checks write fixtures into it.",
        ),
    ] = False,
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
) -> None:
    r"""Run the conformance kit against data source NAME.

    memory and sql run against a store made for the run (sql: a new SQLite file migrated
    with the domain's revisions) and deleted afterwards; so does a cache over one of them
    (its Redis is the configured one). --in-place runs against the store
    configured in \[data_source.NAME] instead (the only way for other sources): the checks
    write uniquely named fixtures into it, so point it at a scratch one. Exits 1 when any
    check fails.
    """
    report, store = run(_conform(name, in_place), debug=debug)
    if as_json:
        typer.echo(json.dumps({"store": store, **_as_dict(report)}, indent=2, sort_keys=True))
    else:
        typer.echo(f"store: {store}")
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
