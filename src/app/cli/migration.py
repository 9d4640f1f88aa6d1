"""``hexstudio migration compare|copy|status|check``: reconcile, watch and promote a migration."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import partial
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress

from adapters.spi import DataSource
from app import domains, sources
from app.cli import migration_gate as gate
from app.cli._run import EXIT_SOURCE_FAILURE, fail, run
from app.errors import ConfigError
from app.migration.compare import Finding, Kind, Tally, compare
from app.migration.copy import CHECKPOINTS, Checkpoints, Copied, Diverged, copy, dependency_order
from app.settings import load_settings
from domain import MAX_PAGE_SIZE, EntityType

migration = typer.Typer(
    help="Compare and copy repositories between two sources; watch and gate a migration.",
    no_args_is_help=True,
)

From = Annotated[
    str, typer.Option("--from", metavar="SOURCE", help="The source migrated from (a name).")
]
To = Annotated[str, typer.Option("--to", metavar="SOURCE", help="The source migrated to.")]
Repository = Annotated[
    str | None,
    typer.Option(
        "--repository",
        metavar="NAME",
        help="One repository (movies); every repository of the catalog without it.",
    ),
]
PageSize = Annotated[
    int,
    typer.Option(
        "--page-size", min=1, max=MAX_PAGE_SIZE, metavar="N", help="Entities read per page."
    ),
]
Debug = Annotated[bool, typer.Option(help="Show tracebacks.")]
EXIT_INTERRUPTED = 130
"""A copy stopped by Ctrl-C: the shell's code for SIGINT."""


@dataclass(frozen=True)
class _Pair:
    """The two open sources and the repositories to visit, parents first."""

    source: DataSource
    target: DataSource
    entities: list[EntityType[Any, Any]]


@asynccontextmanager
async def _open(source: str, target: str, repository: str | None) -> AsyncIterator[_Pair]:
    """Both sources by name, closed after; a bad name or repository refused first."""
    if source == target:
        raise ConfigError(f"--from and --to both name {source!r}: name two sources")
    settings = load_settings()
    catalog = domains.load(settings.domain).catalog
    try:
        entities = dependency_order(catalog, None if repository is None else [repository])
    except KeyError as exc:
        raise ConfigError(f"--repository: {exc.args[0]}") from None
    tables = settings.data_source.model_extra or {}
    opened = sources.create(tables, source, key="--from")
    try:
        other = sources.create(tables, target, key="--to")
        try:
            yield _Pair(opened, other, entities)
        finally:
            await other.aclose()
    finally:
        await opened.aclose()


def _progress() -> Progress:
    # On stderr, and only on a terminal: piped or captured, output stays the lines alone.
    console = Console(stderr=True)
    return Progress(transient=True, console=console, disable=not console.is_terminal)


def _describe(finding: Finding, source: str, target: str) -> str:
    where = f"{finding.repository} {finding.id}"
    if finding.kind is Kind.MISSING:
        return f"{where}: missing in {target}"
    if finding.kind is Kind.UNEXPECTED:
        return f"{where}: only in {target}"
    return f"{where}: differs: {', '.join(finding.paths)}"


async def _compare(source: str, target: str, repository: str | None, size: int) -> int:
    found = 0
    async with _open(source, target, repository) as pair:
        with _progress() as bar:
            for entity in pair.entities:
                task = bar.add_task(f"comparing {entity.plural}", total=None)
                tally = Tally()
                walk = compare(
                    pair.source.unit_of_work, pair.target.unit_of_work, entity, tally, size=size
                )
                async for finding in walk:
                    # stdout: a live bar redirects it above itself, and a pipe gets every line.
                    typer.echo(_describe(finding, source, target))
                bar.remove_task(task)
                found += tally.findings
                typer.echo(
                    f"{entity.plural}: {tally.left} in {source}, {tally.right} in {target}, "
                    f"{tally.findings} difference{'s' * (tally.findings != 1)}"
                )
    return found


def compare_command(
    source: From,
    target: To,
    repository: Repository = None,
    page_size: PageSize = MAX_PAGE_SIZE,
    debug: Debug = False,
) -> None:
    """Print how the repositories differ between two sources; exit 1 when they do.

    Both sides are read in the stable list order a page at a time and walked side by side,
    so memory stays bounded whatever their size. Each difference is one line: an id missing
    in --to, only in --to, or differing by the field paths shown.
    """
    found = run(_compare(source, target, repository, page_size), debug=debug)
    typer.echo("no differences" if not found else f"{found} difference{'s' * (found != 1)}")
    if found:
        raise typer.Exit(EXIT_SOURCE_FAILURE)


async def _copy(
    source: str, target: str, repository: str | None, size: int, restart: bool
) -> list[Copied]:
    checkpoints = Checkpoints()
    done: list[Copied] = []
    async with _open(source, target, repository) as pair:
        if not pair.target.capabilities.writable:
            raise ConfigError(f"--to: data source {target!r} is read-only")
        with _progress() as bar:

            def report(d: Diverged) -> None:
                typer.echo(
                    f"{d.repository} {d.entity.id}: at version {d.there} in {target}, "
                    f"{d.entity.version} in {source}; left as it is"
                )

            for entity in pair.entities:
                key = Checkpoints.key(source, target, entity.plural)
                task = bar.add_task(f"copying {entity.plural}", total=None)
                done.append(
                    await copy(
                        pair.source.unit_of_work,
                        pair.target.unit_of_work,
                        entity,
                        size=size,
                        cursor=None if restart else checkpoints.get(key),
                        checkpoint=partial(checkpoints.set, key),
                        diverged=report,
                        progress=partial(bar.advance, task),
                    )
                )
                bar.remove_task(task)
                _echo(done[-1], source)
    return done


def _echo(copied: Copied, source: str) -> None:
    resumed = " (resumed from a checkpoint)" if copied.resumed else ""
    typer.echo(
        f"{copied.repository}: {copied.read} read from {source}{resumed}, {copied.added} added, "
        f"{copied.skipped} already there, {copied.diverged} at another version"
    )


def copy_command(
    source: From,
    target: To,
    repository: Repository = None,
    page_size: PageSize = MAX_PAGE_SIZE,
    restart: Annotated[
        bool, typer.Option("--restart", help="Ignore a checkpoint: walk from the first page.")
    ] = False,
    debug: Debug = False,
) -> None:
    """Copy the entities --to lacks from --from, versions kept, parents before children.

    Idempotent: an entity already there at the same version is skipped; at another version
    it is reported and left alone (exit 1). Each committed page is checkpointed in
    ./.hexstudio-copy.json, so an interrupted copy resumes where it stopped; a finished one
    removes its entry, and running it again adds nothing.
    """
    try:
        done = run(_copy(source, target, repository, page_size, restart), debug=debug)
    except KeyboardInterrupt:
        # Every committed page is checkpointed: the next run resumes there, nothing is lost.
        fail(f"interrupted; run it again to resume from {CHECKPOINTS}", EXIT_INTERRUPTED)
    if any(copied.diverged for copied in done):
        raise typer.Exit(EXIT_SOURCE_FAILURE)


migration.command("compare")(compare_command)
migration.command("copy")(copy_command)
migration.command("status")(gate.status)
migration.command("check")(gate.check)
