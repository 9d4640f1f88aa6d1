"""``hexstudio shoot-days reschedule|cancel``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from uuid import UUID

import typer

from app.bootstrap import bootstrap
from app.cli import values
from app.cli._output import emit_json
from app.cli._run import run
from domain import ShootDay

shoot_days = typer.Typer(help="Move or drop single shoot days.", no_args_is_help=True)
ExpectedVersion = Annotated[int, typer.Option(help="The version you last saw.")]


@shoot_days.command("reschedule")
def reschedule(
    id: UUID,
    date: Annotated[
        dt.date, typer.Option(parser=values.iso_date, metavar="YYYY-MM-DD", help="The new date.")
    ],
    expected_version: ExpectedVersion,
    as_json: Annotated[bool, typer.Option("--json", help="Canonical JSON output.")] = False,
) -> None:
    """Move a shoot day to another date inside its production's window."""

    async def go() -> ShootDay:
        async with bootstrap() as container:
            return await container.interactors.reschedule_shoot_day(
                shoot_day_id=id,
                new_date=date,
                expected_version=expected_version,
            )

    day = run(go())
    if as_json:
        emit_json(day)
    else:
        typer.echo(f"shoot day {day.id} is now on {day.date} (version {day.version})")


@shoot_days.command("cancel")
def cancel(id: UUID, expected_version: ExpectedVersion) -> None:
    """Drop a shoot day, freeing its location for that date."""

    async def go() -> None:
        async with bootstrap() as container:
            await container.interactors.cancel_shoot_day(
                shoot_day_id=id, expected_version=expected_version
            )

    run(go())
    typer.echo(f"shoot day {id} cancelled")
