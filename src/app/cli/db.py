"""``hexstudio db``: migrate the configured SQL database with the packaged Alembic revisions."""

from __future__ import annotations

from typing import Annotated

import typer

from adapters.sql import migrate, parse_options
from app import domains
from app.cli._run import run
from app.errors import ConfigError
from app.settings import load_settings
from domain import InvalidInput

db = typer.Typer(
    name="db",
    help="Migrate the SQL database of \\[data_source.sql] (default: ./hexstudio.db).",
    no_args_is_help=True,
)

Debug = Annotated[bool, typer.Option(help="Show tracebacks.")]


def sql_url() -> str:
    """The URL of ``[data_source.sql]`` from the settings, validated."""
    options = load_settings().data_source.options("sql")
    try:
        return parse_options(options).url
    except InvalidInput as exc:
        raise ConfigError(f"data_source.sql.{exc.message}") from None


def _versions() -> str | None:
    """The revisions of the configured domain (``HEXSTUDIO_DOMAIN``)."""
    return domains.load(load_settings().domain).migrations


async def _url_then(action: str, revision: str | None = None) -> str:
    url, versions = sql_url(), _versions()
    if action == "upgrade":
        await migrate.upgrade(url, revision or "head", versions)
    elif action == "downgrade":
        await migrate.downgrade(url, revision or "base", versions)
    return f"{await migrate.current(url, versions) or 'base (empty)'}"


@db.command("upgrade")
def upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
    debug: Debug = False,
) -> None:
    """Migrate the database up to REVISION (the newest by default)."""
    typer.echo(f"database at revision {run(_url_then('upgrade', revision), debug=debug)}")


@db.command("downgrade")
def downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision; 'base' drops every table.")],
    debug: Debug = False,
) -> None:
    """Migrate the database down to REVISION."""
    typer.echo(f"database at revision {run(_url_then('downgrade', revision), debug=debug)}")


@db.command("current")
def current(debug: Debug = False) -> None:
    """Print the revision the database is at, and the newest one this package ships."""
    at = run(_url_then("current"), debug=debug)
    typer.echo(f"database at revision {at} (newest: {migrate.head(_versions())})")
