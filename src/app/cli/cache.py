"""``hexstudio cache``: the configured cache sources' Redis entries and figures (docs/cache.md)."""

from __future__ import annotations

import time
from typing import Annotated, Any

import typer

from adapters.cache import CacheDataSource
from adapters.cache.report import Fleet, hit_rate, reports, summed
from app import domains, sources
from app.cli._run import run
from app.errors import ConfigError
from app.settings import load_settings

cache = typer.Typer(
    name="cache", help="The Redis entries of the cache sources.", no_args_is_help=True
)


def _caches(only: str | None) -> tuple[dict[str, Any], list[str]]:
    """The configured sources' tables and the cache names among them (or ``only``)."""
    tables = load_settings().data_source.model_extra or {}
    kinds = sources.instances(tables)
    names = [name for name in tables if kinds.get(name) == "cache"]
    if only is not None:
        if only not in names:
            shown = ", ".join(names) or "none"
            raise ConfigError(f"--source: {only!r} is not a configured cache (caches: {shown})")
        names = [only]
    if not names:
        raise ConfigError('no cache source is configured ([data_source.<name>] kind = "cache")')
    return tables, names


async def _purge(plural: str, only: str | None) -> list[str]:
    catalog = domains.load(load_settings().domain).catalog
    if plural not in catalog:
        raise ConfigError(
            f"--entity: unknown entity type {plural!r} (choices: {', '.join(catalog.plurals)})"
        )
    tables, names = _caches(only)
    lines = []
    for name in names:
        source = sources.create(tables, name, key="--source")
        try:
            assert isinstance(source, CacheDataSource)
            done = await source.purge(plural)
            lines.append(
                f"{name}: {done.entries} {plural} entries removed from {source.options.redis_url}; "
                + _told(done.workers)
            )
        finally:
            await source.aclose()
    return lines


async def _stats(only: str | None) -> list[str]:
    tables, names = _caches(only)
    lines = []
    for name in names:
        source = sources.create(tables, name, key="--source")
        try:
            assert isinstance(source, CacheDataSource)
            epoch, counts = await source.tier.census()
            shown = ", ".join(f"{n} {plural}" for plural, n in sorted(counts.items()))
            lines.append(
                f"{name}: epoch {epoch}, entries: {shown or 'none'} ({source.options.redis_url})"
            )
            fleet = summed(await reports(source.tier), time.time())
            every = source.options.stats_every
            lines.extend(f"{name}: {line}" for line in _fleet(fleet, every))
        finally:
            await source.aclose()
    return lines


def _told(workers: int) -> str:
    if workers == 1:
        return "1 worker told to drop its in-process copies"
    return f"{workers} workers told to drop their in-process copies"


def _rate(rate: float | None) -> str:
    return "n/a" if rate is None else f"{rate:.1%}"


def _read(kind: dict[str, int]) -> int:
    return kind.get("hits", 0) + kind.get("hot_hits", 0) + kind.get("misses", 0)


def _fleet(fleet: Fleet, every: float) -> list[str]:
    """What the workers' reports say, summed (``adapters.cache.report``)."""
    if not fleet.workers:
        return [
            f"no worker reported in the last {3 * every:g} s "
            f"(a serving worker reports every {every:g} s, stats_every)"
        ]
    c, newest, oldest = fleet.counters, fleet.newest or 0.0, fleet.oldest or 0.0
    lines = [
        f"{fleet.workers} worker{'s' * (fleet.workers != 1)} reported "
        f"{newest:.1f}-{oldest:.1f} s ago; "
        f"since each started: hit rate {_rate(fleet.hit_rate)} "
        f"({c.get('hits', 0)} from Redis, {c.get('hot_hits', 0)} in-process, "
        f"{c.get('misses', 0)} from the source), {c.get('coalesced', 0)} coalesced, "
        f"{c.get('redis_errors', 0)} Redis errors"
    ]
    read = {plural: _read(kind) for plural, kind in fleet.kinds.items()}
    if any(read.values()):
        shown = (f"{p} {_rate(hit_rate(fleet.kinds[p]))} of {n}" for p, n in read.items() if n)
        lines.append("per type, ids read: " + ", ".join(shown))
    hot = ", ".join(f"{key} {n}" for key, n in fleet.hot) or "none counted"
    lines.append(f"hottest keys (reads in their busiest second, all workers): {hot}")
    return lines


@cache.command("stats")
def stats(
    source: Annotated[
        str | None, typer.Option("--source", help="One cache source (default: every one).")
    ] = None,
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
) -> None:
    """Show each cache source's epoch, Redis entries, hit rate and hottest keys.

    Summed from the reports serving workers write to Redis; a stopped worker's ages out.
    """
    for line in run(_stats(source), debug=debug):
        typer.echo(line)


@cache.command("purge")
def purge(
    entity: Annotated[
        str, typer.Option("--entity", help="The entity type, by plural (employees).")
    ],
    source: Annotated[
        str | None, typer.Option("--source", help="One cache source (default: every one).")
    ] = None,
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
) -> None:
    """Remove one entity type's Redis entries and every worker's in-process copies.

    E.g. of a type marked personal after its entries were written (none reach Redis since).
    """
    for line in run(_purge(entity, source), debug=debug):
        typer.echo(line)
