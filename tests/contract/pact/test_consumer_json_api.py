"""Consumer contract of the json_api adapter: the adapter itself against the Pact mock server.

Every request the adapter can make is one interaction (each read, get_many, lists with
filters and cursors, slot bookings, the atomic commit) plus the error answers it maps.
The committed pact must equal what these tests generate: set HEXSTUDIO_UPDATE_PACTS=1 to
rewrite it after an intended change.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from pact import Pact, match

from adapters.json_api import JsonApiDataSource, create_data_source
from adapters.json_api.wire import ATOMIC_MEDIA_TYPE, MEDIA_TYPE, to_resource, wire_type
from app.bootstrap import Interactors
from app.contracts import states_json_api as s
from app.contracts.verify import PROVIDER
from domain import (
    LOCATIONS,
    MOVIES,
    PRODUCTIONS,
    SHOOT_DAYS,
    SLOT,
    Conflict,
    DataSourceUnavailable,
    Genre,
    InvalidInput,
    Movie,
    NotFound,
    PageRequest,
    Phase,
)
from domain.paging import encode_cursor
from domain.queries import MovieQuery, ShootDayQuery
from tests.contract.pact.drift import assert_committed_pact_matches

pytestmark = pytest.mark.xdist_group("pact-json-api")

CONSUMER = "hexstudio-json-api-adapter"
PACTS = Path(__file__).parents[1] / "pacts"
PACT_FILE = PACTS / f"{CONSUMER}-{PROVIDER}.json"
NOTHING = "no particular data is needed"
MISSING = UUID("00000000-0000-4000-8000-000000000404")

Drive = Callable[[JsonApiDataSource], Awaitable[None]]
Interaction = Callable[[Pact], Drive]
INTERACTIONS: dict[str, Interaction] = {}


def interaction(fn: Interaction) -> Interaction:
    INTERACTIONS[fn.__name__] = fn
    return fn


def _ok(body: Any) -> Any:
    return body


def _resource(type_name: str, id: UUID, attributes: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "type": type_name,
        "id": str(id),
        "attributes": match.like(attributes),
        "meta": {"version": match.int(1)},
        **extra,
    }


def _to_one(type_name: str, id: UUID) -> dict[str, Any]:
    return {"data": {"type": type_name, "id": str(id)}}


MOVIE_ATTRIBUTES = {"title": "Pact Movie", "logline": "", "genres": ["drama"], "release_year": 2029}
PRODUCTION_ATTRIBUTES = {
    "phase": "pre_production",
    "budget": {"amount": "1000000.00", "currency": "GBP"},
    "starts_on": "2029-05-01",
    "wraps_on": "2029-06-30",
}
LOCATION_ATTRIBUTES = {
    "name": "Pact Lot",
    "city": "Pactville",
    "country": "GB",
    "latitude": 51.5,
    "longitude": -0.12,
}


def _day(date_index: int) -> dict[str, Any]:
    date = s.SHOOT_DATES[date_index]
    return _resource(
        "shoot-days",
        s.shoot_day_id(date),
        {"date": date.isoformat()},
        relationships={
            "production": _to_one("productions", s.PRODUCTION),
            "location": _to_one("locations", s.LOCATION),
        },
    )


def _get(
    pact: Pact, description: str, state: str, path: str, query: dict[str, str] | None = None
) -> Any:
    request = (
        pact.upon_receiving(description)
        .given(state)
        .with_request("GET", path)
        .with_header("Accept", MEDIA_TYPE)
    )
    if query:
        request = request.with_query_parameters(query)
    return request


@interaction
def get_movie(pact: Pact) -> Drive:
    _get(
        pact, "a request for a movie", "a movie exists", f"/api/movies/{s.MOVIE}"
    ).will_respond_with(200).with_body(
        {"data": _resource("movies", s.MOVIE, MOVIE_ATTRIBUTES)}, content_type=MEDIA_TYPE
    )

    async def drive(source: JsonApiDataSource) -> None:
        async with source.unit_of_work() as uow:
            movie = await uow.repository(MOVIES).get(s.MOVIE)
        assert movie.title == "Pact Movie"
        assert movie.genres == {Genre.DRAMA}

    return drive


@interaction
def get_missing_movie(pact: Pact) -> Drive:
    _get(
        pact, "a request for a movie that does not exist", NOTHING, f"/api/movies/{MISSING}"
    ).will_respond_with(404).with_body(
        {"errors": match.each_like({"status": "404", "code": "not_found"}, min=1)},
        content_type=MEDIA_TYPE,
    )

    async def drive(source: JsonApiDataSource) -> None:
        async with source.unit_of_work() as uow:
            with pytest.raises(NotFound):
                await uow.repository(MOVIES).get(MISSING)

    return drive


@interaction
def get_production_with_movie(pact: Pact) -> Drive:
    body = {
        "data": _resource(
            "productions",
            s.PRODUCTION,
            PRODUCTION_ATTRIBUTES,
            relationships={"movie": _to_one("movies", s.PRODUCTION_MOVIE)},
        ),
        "included": [
            _resource(
                "movies",
                s.PRODUCTION_MOVIE,
                {
                    **MOVIE_ATTRIBUTES,
                    "title": "Pact Production",
                    "genres": [],
                    "release_year": None,
                },
            )
        ],
    }
    _get(
        pact,
        "a request for a production with its movie",
        "a production with two shoot days exists",
        f"/api/productions/{s.PRODUCTION}",
        {"include": "movie"},
    ).will_respond_with(200).with_body(body, content_type=MEDIA_TYPE)

    async def drive(source: JsonApiDataSource) -> None:
        async with source.unit_of_work() as uow:
            production = await uow.repository(PRODUCTIONS).get(s.PRODUCTION)
            movie = await uow.repository(MOVIES).get(
                production.movie_id
            )  # from the included resource
        assert production.phase is Phase.PRE_PRODUCTION
        assert movie.title == "Pact Production"

    return drive


@interaction
def get_many_movies(pact: Pact) -> Drive:
    ids = ",".join(sorted([str(s.MOVIE), str(MISSING)]))
    _get(
        pact,
        "a batch request for movies by id",
        "a movie exists",
        "/api/movies",
        {"filter[id]": ids},
    ).will_respond_with(200).with_body(
        {"data": [_resource("movies", s.MOVIE, MOVIE_ATTRIBUTES)]}, content_type=MEDIA_TYPE
    )

    async def drive(source: JsonApiDataSource) -> None:
        async with source.unit_of_work() as uow:
            found = await uow.repository(MOVIES).get_many([s.MOVIE, MISSING])
        assert list(found) == [s.MOVIE]

    return drive


@interaction
def list_movies_filtered(pact: Pact) -> Drive:
    query = {"filter[genre]": "drama", "filter[release_year]": "2029", "page[size]": "10"}
    _get(
        pact, "a request for movies of a genre and year", "a movie exists", "/api/movies", query
    ).will_respond_with(200).with_body(
        {
            "data": match.each_like(_resource("movies", s.MOVIE, MOVIE_ATTRIBUTES), min=1),
            "links": {"next": None},
        },
        content_type=MEDIA_TYPE,
    )

    async def drive(source: JsonApiDataSource) -> None:
        async with source.unit_of_work() as uow:
            page = await uow.repository(MOVIES).list(
                MovieQuery(genre=Genre.DRAMA, release_year=2029), PageRequest(size=10)
            )
        assert page.items
        assert page.next_cursor is None

    return drive


def _first_cursor() -> str:
    return encode_cursor([s.SHOOT_DATES[0].isoformat(), str(s.shoot_day_id(s.SHOOT_DATES[0]))])


@interaction
def list_shoot_days_first_page(pact: Pact) -> Drive:
    query = {"include": "location", "filter[production_id]": str(s.PRODUCTION), "page[size]": "1"}
    example = (
        f"/api/shoot-days?include=location&filter%5Bproduction_id%5D={s.PRODUCTION}"
        f"&page%5Bsize%5D=1&page%5Bafter%5D={_first_cursor()}"
    )
    body = {
        "data": [_day(0)],
        "included": [_resource("locations", s.LOCATION, LOCATION_ATTRIBUTES)],
        "links": {
            "next": match.regex(example, regex=r"^\S*[?&]page%5Bafter%5D=[A-Za-z0-9_.-]+(&\S*)?$")
        },
    }
    _get(
        pact,
        "a request for the first page of a production's shoot days",
        "a production with two shoot days exists",
        "/api/shoot-days",
        query,
    ).will_respond_with(200).with_body(body, content_type=MEDIA_TYPE)

    async def drive(source: JsonApiDataSource) -> None:
        async with source.unit_of_work() as uow:
            page = await uow.repository(SHOOT_DAYS).list(
                ShootDayQuery(production_id=s.PRODUCTION), PageRequest(size=1)
            )
            locations = await uow.repository(LOCATIONS).get_many(
                [page.items[0].location_id]
            )  # included
        assert page.next_cursor == _first_cursor()
        assert locations[s.LOCATION].city == "Pactville"

    return drive


@interaction
def list_shoot_days_after_cursor(pact: Pact) -> Drive:
    query = {
        "include": "location",
        "filter[production_id]": str(s.PRODUCTION),
        "page[size]": "1",
        "page[after]": _first_cursor(),
    }
    body = {
        "data": [_day(1)],
        "included": [_resource("locations", s.LOCATION, LOCATION_ATTRIBUTES)],
        "links": {"next": None},
    }
    _get(
        pact,
        "a request for the page after a cursor",
        "a production with two shoot days exists",
        "/api/shoot-days",
        query,
    ).will_respond_with(200).with_body(body, content_type=MEDIA_TYPE)

    async def drive(source: JsonApiDataSource) -> None:
        async with source.unit_of_work() as uow:
            page = await uow.repository(SHOOT_DAYS).list(
                ShootDayQuery(production_id=s.PRODUCTION),
                PageRequest(size=1, cursor=_first_cursor()),
            )
        assert [d.date for d in page.items] == [s.SHOOT_DATES[1]]
        assert page.next_cursor is None

    return drive


@interaction
def list_slate(pact: Pact) -> Drive:
    query = {
        "include": "movie",
        "filter[movie_id]": str(s.PRODUCTION_MOVIE),
        "filter[phases]": "pre_production",
        "page[size]": "50",
    }
    body = {
        "data": [
            _resource(
                "productions",
                s.PRODUCTION,
                PRODUCTION_ATTRIBUTES,
                relationships={"movie": _to_one("movies", s.PRODUCTION_MOVIE)},
            )
        ],
        "included": [
            _resource(
                "movies",
                s.PRODUCTION_MOVIE,
                {
                    **MOVIE_ATTRIBUTES,
                    "title": "Pact Production",
                    "genres": [],
                    "release_year": None,
                },
            )
        ],
        "links": {"next": None},
    }
    _get(
        pact,
        "a request for a slate page with movies",
        "a production with two shoot days exists",
        "/api/productions",
        query,
    ).will_respond_with(200).with_body(body, content_type=MEDIA_TYPE)

    async def drive(source: JsonApiDataSource) -> None:
        slate = await Interactors(source.unit_of_work).list_slate(
            phases=[Phase.PRE_PRODUCTION], movie_id=s.PRODUCTION_MOVIE
        )
        assert [e.movie.title for e in slate.items] == ["Pact Production"]

    return drive


@interaction
def bookings(pact: Pact) -> Drive:
    slot = f"{s.LOCATION}@{s.SHOOT_DATES[0]}"
    body = {
        "data": [_day(0)],
        "included": [_resource("locations", s.LOCATION, LOCATION_ATTRIBUTES)],
    }
    _get(
        pact,
        "a request for the shoot days holding slots",
        "a production with two shoot days exists",
        "/api/shoot-days",
        {"include": "location", "filter[slot]": slot},
    ).will_respond_with(200).with_body(body, content_type=MEDIA_TYPE)

    async def drive(source: JsonApiDataSource) -> None:
        async with source.unit_of_work() as uow:
            taken = await uow.repository(SHOOT_DAYS).find_by(SLOT, [(s.LOCATION, s.SHOOT_DATES[0])])
        assert [d.id for d in taken] == [s.shoot_day_id(s.SHOOT_DATES[0])]

    return drive


@interaction
def get_location(pact: Pact) -> Drive:
    _get(
        pact,
        "a request for a location",
        "a production with two shoot days exists",
        f"/api/locations/{s.LOCATION}",
    ).will_respond_with(200).with_body(
        {"data": _resource("locations", s.LOCATION, LOCATION_ATTRIBUTES)}, content_type=MEDIA_TYPE
    )

    async def drive(source: JsonApiDataSource) -> None:
        async with source.unit_of_work() as uow:
            assert (await uow.repository(LOCATIONS).get(s.LOCATION)).country == "GB"

    return drive


@interaction
def bad_cursor(pact: Pact) -> Drive:
    _get(
        pact,
        "a request with a cursor the service did not make",
        NOTHING,
        "/api/movies",
        {"page[size]": "50", "page[after]": "garbage"},
    ).will_respond_with(400).with_body(
        {
            "errors": match.each_like(
                {"status": "400", "source": {"parameter": "page[after]"}}, min=1
            )
        },
        content_type=MEDIA_TYPE,
    )

    async def drive(source: JsonApiDataSource) -> None:
        async with source.unit_of_work() as uow:
            with pytest.raises(InvalidInput) as caught:
                await uow.repository(MOVIES).list(MovieQuery(), PageRequest(cursor="garbage"))
        assert caught.value.field == "page.cursor"

    return drive


EDITED = Movie(id=s.EDITED_MOVIE, title="Final Title", logline="Now with a logline.")
NEW = Movie(id=s.NEW_MOVIE, title="Brand New", genres={Genre.COMEDY}, release_year=2030)


def _operations(edited_version: int) -> list[dict[str, Any]]:
    return [
        {"op": "add", "data": to_resource(wire_type(MOVIES), NEW)},
        {
            "op": "update",
            "data": to_resource(wire_type(MOVIES), EDITED.evolve(version=edited_version)),
        },
        {
            "op": "remove",
            "ref": {"type": "movies", "id": str(s.REMOVED_MOVIE)},
            "meta": {"version": 1},
        },
    ]


async def _commit(source: JsonApiDataSource, edited_version: int) -> None:
    async with source.unit_of_work() as uow:
        await uow.repository(MOVIES).add(NEW)
        await uow.repository(MOVIES).update(EDITED.evolve(version=edited_version))
        await uow.repository(MOVIES).remove(s.REMOVED_MOVIE, 1)
        await uow.commit()


_ATOMIC_REGEX = r'^application/vnd\.api\+json; ?ext="https://jsonapi\.org/ext/atomic"$'


def _post_operations(pact: Pact, description: str, edited_version: int) -> Any:
    return (
        pact.upon_receiving(description)
        .given("a movie to edit and a movie to remove exist")
        .with_request("POST", "/api/operations")
        .with_header("Accept", ATOMIC_MEDIA_TYPE)
        .with_body({"atomic:operations": _operations(edited_version)}, content_type=MEDIA_TYPE)
        # The Pact core cannot parse a quoted ext parameter in a content type: declare the body
        # as plain JSON:API, then match the real header by regex.
        .with_header("Content-Type", match.regex(ATOMIC_MEDIA_TYPE, regex=_ATOMIC_REGEX))
    )


@interaction
def commit(pact: Pact) -> Drive:
    results = [
        {"data": _resource("movies", s.NEW_MOVIE, {"title": "Brand New"})},
        {
            "data": {
                **_resource("movies", s.EDITED_MOVIE, {"title": "Final Title"}),
                "meta": {"version": match.int(2)},
            }
        },
        {},
    ]
    _post_operations(pact, "a commit of an add, an update and a remove", 1).will_respond_with(
        200
    ).with_body({"atomic:results": results}, content_type=MEDIA_TYPE)

    async def drive(source: JsonApiDataSource) -> None:
        await _commit(source, 1)

    return drive


@interaction
def commit_stale(pact: Pact) -> Drive:
    _post_operations(pact, "a commit with a stale update", 7).will_respond_with(409).with_body(
        {"errors": match.each_like({"status": "409", "code": "conflict.stale_version"}, min=1)},
        content_type=MEDIA_TYPE,
    )

    async def drive(source: JsonApiDataSource) -> None:
        with pytest.raises(Conflict) as caught:
            await _commit(source, 7)
        assert caught.value.reason == "stale_version"

    return drive


@interaction
def commit_invalid(pact: Pact) -> Drive:
    response = _post_operations(pact, "a commit the service finds invalid", 1)
    # Our provider validates what our adapter already validated, so it cannot be made to
    # answer 422 here: pending records the consumer's handling without failing verification.
    response.set_pending(pending=True)
    response.will_respond_with(422).with_body(
        {
            "errors": match.each_like(
                {
                    "status": "422",
                    "code": "invalid_input",
                    "source": {"pointer": "/atomic:operations/0/data/attributes/title"},
                },
                min=1,
            )
        },
        content_type=MEDIA_TYPE,
    )

    async def drive(source: JsonApiDataSource) -> None:
        with pytest.raises(InvalidInput):
            await _commit(source, 1)

    return drive


@interaction
def service_unavailable(pact: Pact) -> Drive:
    response = _get(
        pact, "a request while the service is overloaded", NOTHING, f"/api/movies/{s.MOVIE}"
    )
    # A provider cannot be made to answer 503 on demand: pending, as above.
    response.set_pending(pending=True)
    response.will_respond_with(503).with_body("busy", content_type="text/plain")

    async def drive(source: JsonApiDataSource) -> None:
        async with source.unit_of_work() as uow:
            with pytest.raises(DataSourceUnavailable):
                await uow.repository(MOVIES).get(s.MOVIE)

    return drive


async def run(name: str, directory: Path) -> None:
    """Record the interaction ``name`` against a fresh mock server and write it to ``directory``."""
    pact = Pact(CONSUMER, PROVIDER).with_specification("V4")
    drive = INTERACTIONS[name](pact)
    with pact.serve() as server:
        source = create_data_source({"url": f"{server.url}/api", "retries": 0})
        try:
            await drive(source)
        finally:
            await source.aclose()
    pact.write_file(directory)


@pytest.mark.parametrize("name", sorted(INTERACTIONS))
async def test_consumer_interaction(name: str, tmp_path: Path) -> None:
    await run(name, tmp_path)


async def test_committed_pact_matches_what_the_consumer_generates(tmp_path: Path) -> None:
    for name in sorted(INTERACTIONS):
        await run(name, tmp_path)
    assert_committed_pact_matches(tmp_path / PACT_FILE.name, PACT_FILE)
