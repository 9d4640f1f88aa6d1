"""``hexstudio locations add|list``."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import typer

from app.bootstrap import bootstrap
from app.cli._output import emit_json, emit_next, emit_table
from app.cli._run import run
from domain import LOCATIONS, LocationQuery, Page, PageRequest, ShootingLocation
from domain.validation import parse

locations = typer.Typer(help="Register and list shooting locations.", no_args_is_help=True)
Json = Annotated[bool, typer.Option("--json", help="Canonical JSON output.")]


def _show(items: list[ShootingLocation], as_json: bool, single: bool) -> None:
    if as_json:
        emit_json(items[0] if single else items)
        return
    # The id whole on one line, to copy into --shoot; coordinates are in --json (at 80 columns
    # they would leave the name two letters a line).
    emit_table(
        "locations",
        ("id", "name", "where", "v"),
        ((x.id, x.name, f"{x.city}, {x.country}", x.version) for x in items),
    )


@locations.command("add")
def add(
    name: Annotated[str, typer.Option()],
    city: Annotated[str, typer.Option()],
    country: Annotated[str, typer.Option(help="ISO 3166-1 alpha-2, e.g. PT.")],
    latitude: Annotated[float, typer.Option()],
    longitude: Annotated[float, typer.Option()],
    id: Annotated[UUID | None, typer.Option(help="Choose the id (default: a new UUID).")] = None,
    as_json: Json = False,
) -> None:
    """Register a shooting location and print it."""

    async def go() -> ShootingLocation:
        async with bootstrap() as container:
            return await container.interactors.register_location(
                name=name, city=city, country=country, latitude=latitude, longitude=longitude, id=id
            )

    _show([run(go())], as_json, single=True)


@locations.command("list")
def list_(
    country: Annotated[str | None, typer.Option()] = None,
    city: Annotated[str | None, typer.Option()] = None,
    size: Annotated[int, typer.Option(help="Page size (1-500).")] = 50,
    after: Annotated[str | None, typer.Option(help="Cursor of the previous page.")] = None,
    as_json: Json = False,
) -> None:
    """List one page of locations, optionally in one country or city."""

    async def go() -> Page[ShootingLocation]:
        query = parse(LocationQuery, {"country": country, "city": city})
        page = parse(PageRequest, {"size": size, "cursor": after})
        async with bootstrap() as container, container.uow() as uow:
            return await uow.repository(LOCATIONS).list(query, page)

    page = run(go())
    _show(list(page.items), as_json, single=False)
    if not as_json:
        emit_next(page.next_cursor)
