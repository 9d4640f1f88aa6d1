"""``hexstudio cache``: the configured cache sources' Redis entries (docs/cache.md)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from adapters.cache import CacheDataSource
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
            deleted = await source.purge(plural)
            lines.append(
                f"{name}: {deleted} {plural} entries removed from {source.options.redis_url}"
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
        finally:
            await source.aclose()
    return lines


@cache.command("stats")
def stats(
    source: Annotated[
        str | None, typer.Option("--source", help="One cache source (default: every one).")
    ] = None,
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
) -> None:
    """Show each cache source's epoch and its Redis entries per entity type.

    Hit rates and hot keys are per worker (CacheDataSource.stats and .hot): not in Redis.
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
    """Remove every Redis entry of one entity type from the configured cache sources.

    Personal types never reach Redis; this removes entries written before a type was marked
    personal, or any type's on request.
    """
    for line in run(_purge(entity, source), debug=debug):
        typer.echo(line)
