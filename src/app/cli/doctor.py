"""``hexstudio doctor``: check that every configured source answers and the schema is current."""

from __future__ import annotations

import typer

from app.bootstrap import bootstrap
from app.cli._run import EXIT_SOURCE_FAILURE, run
from domain import DomainError


async def _diagnose() -> list[tuple[bool, str]]:
    lines: list[tuple[bool, str]] = []
    async with bootstrap() as container:
        for repository, route in container.routes.items():
            where = (
                route.read
                if route.read == route.write
                else f"reads {route.read}, writes {route.write}"
            )
            lines.append((True, f"{repository}: {where}"))
        for name, source in container.sources.items():
            try:
                lines.append((True, f"{name}: answers: {await source.check()}"))
            except DomainError as exc:
                lines.append((False, f"{name}: does not answer: {exc.message}"))
                continue
            if name == "sql":
                lines.append(await _schema_line(source))
    return lines


async def _schema_line(source: object) -> tuple[bool, str]:
    from adapters.sql import migrate

    url = source.options.url  # type: ignore[attr-defined]
    try:
        at, head = await migrate.current(url), migrate.head()
    except DomainError as exc:
        return (False, f"sql: schema unknown: {exc.message}")
    if at == head:
        return (True, f"sql: schema current ({head})")
    return (
        False,
        f"sql: schema at {at or 'nothing'}, package ships {head}: run 'hexstudio db upgrade'",
    )


def doctor() -> None:
    """Check every configured data source and the SQL schema, one line each."""
    lines = run(_diagnose())
    for ok, text in lines:
        typer.echo(f"{'ok ' if ok else 'FAIL'} {text}")
    if not all(ok for ok, _ in lines):
        raise typer.Exit(EXIT_SOURCE_FAILURE)
