"""Hand-written endpoints answering the JSON:API hot route with the full stack's document.

``GET /api/productions?include=movie&page[size]=100`` written by hand twice, as references
for the full stack's throughput (bench/jsonapi_service.py):

- ``same_libraries``: what a person would write with this project's libraries and none of
  its layers: two SQLAlchemy Core statements on the data source's own engine, rows validated
  into the domain entities, the document built as dicts, ``pydantic_core.to_json``.
- ``raw_driver``: the floor of any Python service reading this database: aiosqlite tuples
  formatted straight into the document, nothing validated.

Both build the same document as the full stack (``included`` may come in another order).
``references(url, body, origin)`` serves them, with a bare endpoint returning given bytes from
memory. Links are absolute, as the full stack's: on ``origin``, the URL a hand-written service
would be configured with (the full stack's ``service.public_url`` or trusted Host).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import aiosqlite
from pydantic import TypeAdapter
from pydantic_core import to_json
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app import registry
from domain import Movie, Production
from domain.paging import encode_cursor

Endpoint = Callable[[Request], Awaitable[Response]]
MEDIA_TYPE = "application/vnd.api+json"
SIZE = 100

PRODUCTIONS = (
    "SELECT id, version, movie_id, phase, budget_amount, budget_currency, starts_on, wraps_on"
    " FROM productions ORDER BY starts_on, id LIMIT :limit"
)
MOVIES = (
    "SELECT id, version, title, logline, release_year,"
    " (SELECT group_concat(genre, ',') FROM movie_genres WHERE movie_id = movies.id) AS genres"
    " FROM movies WHERE id IN (SELECT value FROM json_each(:ids))"
)


def _links(request: Request, cursor: str | None) -> dict[str, Any]:
    # The route's own path, wherever the reference is mounted: the links match the full stack's.
    api: str = request.app.state.api
    links: dict[str, Any] = {"self": f"{api}/productions?{request.url.query}"}
    if cursor is not None:
        query = {"include": "movie", "page[size]": str(SIZE), "page[after]": cursor}
        links["next"] = f"{api}/productions?{urlencode(query)}"
    return links


def _production(api: str, id: str, version: int, movie_id: str, attributes: Any) -> dict[str, Any]:
    return {
        "type": "productions",
        "id": id,
        "attributes": attributes,
        "meta": {"version": version},
        "links": {"self": f"{api}/productions/{id}"},
        "relationships": {
            "movie": {
                "data": {"type": "movies", "id": movie_id},
                "links": {"related": f"{api}/movies/{movie_id}"},
            },
            "shoot_days": {
                "links": {"related": f"{api}/shoot-days?filter%5Bproduction_id%5D={id}"}
            },
            "employees": {"links": {"related": f"{api}/employees?filter%5Bproduction_id%5D={id}"}},
        },
    }


def _movie(api: str, id: str, version: int, attributes: Any) -> dict[str, Any]:
    return {
        "type": "movies",
        "id": id,
        "attributes": attributes,
        "meta": {"version": version},
        "links": {"self": f"{api}/movies/{id}"},
        "relationships": {
            "productions": {"links": {"related": f"{api}/productions?filter%5Bmovie_id%5D={id}"}},
        },
    }


def _respond(data: list[Any], included: list[Any], links: dict[str, Any]) -> Response:
    document = {"jsonapi": {"version": "1.1"}, "data": data, "included": included, "links": links}
    return Response(to_json(document), media_type=MEDIA_TYPE, headers={"Vary": "Accept"})


def same_libraries() -> Endpoint:
    """Core statements on the app's ``engine``, rows validated into entities, to_json."""
    productions = TypeAdapter(list[Production])
    movies = TypeAdapter(list[Movie])

    async def endpoint(request: Request) -> Response:
        engine: AsyncEngine = request.app.state.engine
        api: str = request.app.state.api
        async with engine.connect() as connection:
            rows = (await connection.execute(text(PRODUCTIONS), {"limit": SIZE + 1})).all()
            page = productions.validate_python(
                [
                    {
                        "id": r[0],
                        "version": r[1],
                        "movie_id": r[2],
                        "phase": r[3],
                        "budget": {"amount": Decimal(r[4]).scaleb(-2), "currency": r[5]},
                        "starts_on": r[6],
                        "wraps_on": r[7],
                    }
                    for r in rows[:SIZE]
                ]
            )
            ids = to_json(sorted({p.movie_id.hex for p in page})).decode()
            movie_rows = (await connection.execute(text(MOVIES), {"ids": ids})).all()
            related = movies.validate_python(
                [
                    {
                        "id": r[0],
                        "version": r[1],
                        "title": r[2],
                        "logline": r[3],
                        "release_year": r[4],
                        "genres": r[5].split(",") if r[5] else (),
                    }
                    for r in movie_rows
                ]
            )
        data = []
        for values in productions.dump_python(page, mode="json"):
            id, version, movie_id = values.pop("id"), values.pop("version"), values.pop("movie_id")
            data.append(_production(api, id, version, movie_id, values))
        included = []
        for values in movies.dump_python(related, mode="json"):
            id, version = values.pop("id"), values.pop("version")
            included.append(_movie(api, id, version, values))
        cursor = page[-1].cursor if len(rows) > SIZE else None
        return _respond(data, included, _links(request, cursor))

    return endpoint


def _uuid(hex: str) -> str:
    return f"{hex[:8]}-{hex[8:12]}-{hex[12:16]}-{hex[16:20]}-{hex[20:]}"


def raw_driver() -> Endpoint:
    """The app's aiosqlite ``connection``: tuples formatted into the document, unvalidated."""

    async def endpoint(request: Request) -> Response:
        db: aiosqlite.Connection = request.app.state.connection
        api: str = request.app.state.api
        rows: Sequence[Any] = await db.execute_fetchall(
            PRODUCTIONS.replace(":limit", "?"), (SIZE + 1,)
        )
        data = []
        for id, version, movie_id, phase, cents, currency, starts_on, wraps_on in rows[:SIZE]:
            attributes = {
                "phase": phase,
                "budget": {"amount": f"{cents // 100}.{cents % 100:02d}", "currency": currency},
                "starts_on": starts_on,
                "wraps_on": wraps_on,
            }
            data.append(_production(api, _uuid(id), version, _uuid(movie_id), attributes))
        ids = to_json(sorted({r[2] for r in rows[:SIZE]})).decode()
        included = []
        for id, version, title, logline, year, genres in await db.execute_fetchall(
            MOVIES.replace(":ids", "?"), (ids,)
        ):
            attributes = {
                "title": title,
                "logline": logline,
                "genres": sorted(genres.split(",")) if genres else [],
                "release_year": year,
            }
            included.append(_movie(api, _uuid(id), version, attributes))
        cursor = None
        if len(rows) > SIZE:
            last = rows[SIZE - 1]
            cursor = encode_cursor((dt.date.fromisoformat(last[6]).isoformat(), _uuid(last[0])))
        return _respond(data, included, _links(request, cursor))

    return endpoint


def references(url: str, body: bytes, origin: str) -> Starlette:
    """Bare bytes at /bare, ``same_libraries`` at /same, ``raw_driver`` at /raw, over ``url``.

    Their links start with ``origin`` (no trailing slash), as the full stack's do.
    """

    async def bare(request: Request) -> Response:
        return Response(body, media_type=MEDIA_TYPE)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        source = registry.create("sql", {"url": url})
        app.state.engine = source.engine
        app.state.api = f"{origin}/api"
        async with aiosqlite.connect(url.split(":///", 1)[1]) as connection:
            app.state.connection = connection
            yield
        await source.aclose()

    routes = [
        Route("/bare/api/productions", bare),
        Route("/same/api/productions", same_libraries()),
        Route("/raw/api/productions", raw_driver()),
    ]
    return Starlette(routes=routes, lifespan=lifespan)
