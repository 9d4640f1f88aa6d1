"""``hexstudio movies add|show|list``."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import typer

from app.bootstrap import bootstrap
from app.cli._output import emit_json, emit_next, emit_table
from app.cli._run import run
from domain import MOVIES, Movie, MovieQuery, Page, PageRequest
from domain.validation import parse

movies = typer.Typer(help="Register and look up movies.", no_args_is_help=True)
Json = Annotated[bool, typer.Option("--json", help="Canonical JSON output.")]


def _show(items: list[Movie], as_json: bool, title: str) -> None:
    if as_json:
        emit_json(items[0] if len(items) == 1 and title == "movie" else items)
        return
    emit_table(
        title,
        ("id", "title", "genres", "year", "v"),
        (
            (m.id, m.title, ", ".join(sorted(m.genres)), m.release_year or "", m.version)
            for m in items
        ),
    )


@movies.command("add")
def add(
    title: Annotated[str, typer.Option(help="1 to 200 characters.")],
    logline: Annotated[str, typer.Option(help="Up to 500 characters.")] = "",
    genre: Annotated[list[str] | None, typer.Option(help="Repeat for several.")] = None,
    release_year: Annotated[int | None, typer.Option()] = None,
    id: Annotated[UUID | None, typer.Option(help="Choose the id (default: a new UUID).")] = None,
    as_json: Json = False,
) -> None:
    """Register a movie and print it."""

    async def go() -> Movie:
        async with bootstrap() as container:
            return await container.interactors.register_movie(
                title=title, logline=logline, genres=genre or [], release_year=release_year, id=id
            )

    _show([run(go())], as_json, "movie")


@movies.command("show")
def show(id: UUID, as_json: Json = False) -> None:
    """Print one movie."""

    async def go() -> Movie:
        async with bootstrap() as container, container.uow() as uow:
            return await uow.repository(MOVIES).get(id)

    _show([run(go())], as_json, "movie")


@movies.command("list")
def list_(
    genre: Annotated[str | None, typer.Option()] = None,
    release_year: Annotated[int | None, typer.Option()] = None,
    size: Annotated[int, typer.Option(help="Page size (1-500).")] = 50,
    after: Annotated[str | None, typer.Option(help="Cursor of the previous page.")] = None,
    as_json: Json = False,
) -> None:
    """List one page of movies, optionally of one genre or year."""

    async def go() -> Page[Movie]:
        query = parse(MovieQuery, {"genre": genre, "release_year": release_year})
        page = parse(PageRequest, {"size": size, "cursor": after})
        async with bootstrap() as container, container.uow() as uow:
            return await uow.repository(MOVIES).list(query, page)

    page = run(go())
    _show(list(page.items), as_json, "movies")
    if not as_json:
        emit_next(page.next_cursor)
