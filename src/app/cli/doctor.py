"""``hexstudio doctor``: check that every configured source answers and the schema is current."""

from __future__ import annotations

from pathlib import Path

import typer

from app.bootstrap import bootstrap
from app.cli._run import EXIT_SOURCE_FAILURE, run
from domain import DomainError


async def _diagnose() -> list[tuple[bool, str]]:
    lines: list[tuple[bool, str]] = []
    async with bootstrap() as container:
        for repository, route in container.routes.items():
            lines.append((True, f"{repository}: {route.describe()}"))
        for name, source in container.sources.items():
            missing = _missing_sqlite_file(source)
            if missing:
                # Connecting would create an empty file: report it instead of making it.
                lines.append(
                    (False, f"{name}: no database file at {missing}: run 'hexstudio db upgrade'")
                )
                continue
            try:
                lines.append((True, f"{name}: answers: {await source.check()}"))
            except DomainError as exc:
                lines.append((False, f"{name}: does not answer: {exc.message}"))
                continue
            if _is_sql(source):
                lines.append(await _schema_line(name, source, container.domain.migrations))
    return lines


def _missing_sqlite_file(source: object) -> str | None:
    from adapters.sql import SqlDataSource

    if not isinstance(source, SqlDataSource) or source.engine.dialect.name != "sqlite":
        return None
    database = source.engine.url.database
    if not database or database == ":memory:" or Path(database).exists():
        return None
    return database


def _is_sql(source: object) -> bool:
    from adapters.sql import SqlDataSource

    return isinstance(source, SqlDataSource)


async def _schema_line(name: str, source: object, versions: str | None) -> tuple[bool, str]:
    """The database's revision against the newest of the configured domain's revisions."""
    from adapters.sql import migrate

    url = source.options.url  # type: ignore[attr-defined]
    try:
        at, head = await migrate.current(url, versions), migrate.head(versions)
    except DomainError as exc:
        return (False, f"{name}: schema unknown: {exc.message}")
    if at == head:
        return (True, f"{name}: schema current ({head})")
    return (
        False,
        f"{name}: schema at {at or 'nothing'}, package ships {head}: run 'hexstudio db upgrade'",
    )


def doctor() -> None:
    """Check every configured data source and the SQL schema, one line each."""
    lines = run(_diagnose())
    for ok, text in lines:
        typer.echo(f"{'ok ' if ok else 'FAIL'} {text}")
    if not all(ok for ok, _ in lines):
        raise typer.Exit(EXIT_SOURCE_FAILURE)
