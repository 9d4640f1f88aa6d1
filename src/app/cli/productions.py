"""``hexstudio productions onboard|advance|show``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated
from uuid import UUID

import typer

from app.bootstrap import bootstrap
from app.cli import values
from app.cli._output import emit_json, emit_table
from app.cli._run import run
from domain import Production, ProductionOverview

productions = typer.Typer(help="Onboard, advance and inspect productions.", no_args_is_help=True)
Json = Annotated[bool, typer.Option("--json", help="Canonical JSON output.")]


def _overview(overview: ProductionOverview, as_json: bool) -> None:
    if as_json:
        emit_json(overview)
        return
    p = overview.production
    typer.echo(
        f"{overview.movie.title}: {p.phase}, {p.budget.amount} {p.budget.currency}, "
        f"{p.starts_on}..{p.wraps_on} (id {p.id}, version {p.version})"
    )
    emit_table(
        "shoot days",
        ("date", "location", "city", "id", "v"),
        (
            (
                d.date,
                overview.locations[d.location_id].name,
                overview.locations[d.location_id].city,
                d.id,
                d.version,
            )
            for d in overview.shoot_days
        ),
    )


def _plan(shoot: list[str]) -> list[tuple[str, dt.date]]:
    plan = []
    for entry in shoot:
        location, sep, date = entry.partition("@")
        try:
            if not sep:
                raise typer.BadParameter("")
            plan.append((location, values.iso_date(date)))
        except typer.BadParameter:
            raise typer.BadParameter(
                f"expected LOCATION_ID@YYYY-MM-DD, got {entry!r}", param_hint="'--shoot'"
            ) from None
    return plan


@productions.command("onboard")
def onboard(
    movie: Annotated[UUID, typer.Option(help="The movie's id.")],
    amount: Annotated[
        Decimal, typer.Option(parser=values.amount, help="Budget amount, e.g. 2500000.00.")
    ],
    currency: Annotated[str, typer.Option(help="ISO 4217 code, e.g. USD (any case).")],
    starts_on: Annotated[
        dt.date, typer.Option(parser=values.iso_date, metavar="YYYY-MM-DD", help="First day.")
    ],
    wraps_on: Annotated[
        dt.date, typer.Option(parser=values.iso_date, metavar="YYYY-MM-DD", help="Last day.")
    ],
    shoot: Annotated[
        list[str] | None, typer.Option(help="LOCATION_ID@YYYY-MM-DD; repeat for each day.")
    ] = None,
    id: Annotated[UUID | None, typer.Option(help="Choose the id (safe retries).")] = None,
    as_json: Json = False,
) -> None:
    """Onboard a production with its shoot plan, atomically, and print its overview."""

    async def go() -> ProductionOverview:
        plan = _plan(shoot or [])
        async with bootstrap() as container:
            return await container.interactors.onboard_production(
                movie_id=movie,
                budget={"amount": amount, "currency": currency},
                starts_on=starts_on,
                wraps_on=wraps_on,
                shoot_plan=plan,  # type: ignore[arg-type]
                id=id,
            )

    _overview(run(go()), as_json)


@productions.command("advance")
def advance(
    id: UUID,
    to: Annotated[str, typer.Option(help="The next phase, or cancelled.")],
    expected_version: Annotated[int, typer.Option(help="The version you last saw.")],
    as_json: Json = False,
) -> None:
    """Move a production to its next phase (or cancel it)."""

    async def go() -> Production:
        async with bootstrap() as container:
            return await container.interactors.advance_production(
                production_id=id, to_phase=to, expected_version=expected_version
            )

    production = run(go())
    if as_json:
        emit_json(production)
    else:
        typer.echo(
            f"production {production.id} is now {production.phase} (version {production.version})"
        )


@productions.command("show")
def show(id: UUID, as_json: Json = False) -> None:
    """Print a production's overview: movie, shoot days and their locations."""

    async def go() -> ProductionOverview:
        async with bootstrap() as container:
            return await container.interactors.get_production_overview(production_id=id)

    _overview(run(go()), as_json)
