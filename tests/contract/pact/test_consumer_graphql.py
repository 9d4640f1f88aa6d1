"""Consumer contract of the graphql adapter: the adapter itself against the Pact mock server.

Pact has no GraphQL interaction type in Python, so each request body's ``query`` carries a
regex matcher that accepts the document modulo whitespace and commas; its example is the
compact document the adapter sends, which the provider verifier replays. One interaction per
request the adapter can make, plus the error answers it maps. The committed pact must equal
what these tests generate: set HEXSTUDIO_UPDATE_PACTS=1 to rewrite it after an intended change.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from pact import Pact, match

from adapters.graphql import GraphQLDataSource, create_data_source
from adapters.graphql.documents import document, source
from app.contracts import states_graphql as s
from app.contracts.verify import PROVIDER
from domain import (
    LOCATIONS,
    MOVIES,
    PRODUCTIONS,
    SHOOT_DAYS,
    SLOT,
    STUDIO,
    Conflict,
    DataSourceUnavailable,
    Genre,
    InvalidInput,
    LocationQuery,
    Movie,
    MovieQuery,
    NotFound,
    PageRequest,
    Phase,
    ProductionQuery,
    ShootDayQuery,
)
from domain.catalog.names import plural
from domain.paging import encode_cursor
from tests.contract.pact.drift import assert_committed_pact_matches

pytestmark = pytest.mark.xdist_group("pact-graphql")

CONSUMER = "hexstudio-graphql-adapter"
PACTS = Path(__file__).parents[1] / "pacts"
PACT_FILE = PACTS / f"{CONSUMER}-{PROVIDER}.json"
MISSING = UUID("00000000-0000-4000-8000-000000000404")

Drive = Callable[[GraphQLDataSource], Awaitable[None]]
Interaction = Callable[[Pact], Drive]
INTERACTIONS: dict[str, Interaction] = {}

_META = set("\\.+*?()|[]{}^$")
_WORD = re.compile(r"[_A-Za-z0-9]+|\S")


def _escape(token: str) -> str:
    return "".join("\\" + c if c in _META else c for c in token)


def query_pattern(text: str) -> str:
    """A full-match regex accepting ``text`` with any whitespace and commas between tokens."""
    tokens = _WORD.findall(text)
    parts = [r"[\s,]*", _escape(tokens[0])]
    for before, token in itertools.pairwise(tokens):
        words = (before[-1].isalnum() or before[-1] == "_") and (
            token[0].isalnum() or token[0] == "_"
        )
        parts += [r"[\s,]+" if words else r"[\s,]*", _escape(token)]
    parts.append(r"[\s,]*")
    return "".join(parts)


def interaction(fn: Interaction) -> Interaction:
    INTERACTIONS[fn.__name__] = fn
    return fn


def _post(pact: Pact, description: str, state: str | None, name: str, variables: Any = None) -> Any:
    text = document(name)
    body: dict[str, Any] = {"query": match.regex(text, regex=query_pattern(text))}
    if variables is not None:
        body["variables"] = variables
    request = pact.upon_receiving(description).given(state)
    return request.with_request("POST", "/graphql").with_body(body, content_type="application/json")


def _data(response: Any, data: dict[str, Any]) -> None:
    response.will_respond_with(200).with_body({"data": data}, content_type="application/json")


def _errors(response: Any, code: str, regex: str, data: Any = None, **extensions: Any) -> None:
    error = {"message": "refused", "extensions": {"code": match.regex(code, regex=regex)}}
    error["extensions"].update(extensions)
    body = {"data": data, "errors": match.each_like(error, min=1)}
    response.will_respond_with(200).with_body(body, content_type="application/json")


UP = "graphql: the service is up"
A_MOVIE = "graphql: a movie exists"
A_PRODUCTION = "graphql: a production with two shoot days exists"
MOVIES_TO_CHANGE = "graphql: a movie to edit and a movie to remove exist"

MOVIE_NODE = {
    "id": str(s.MOVIE),
    "version": 1,
    "title": "Pact Comedy",
    "logline": "",
    "genres": ["COMEDY"],
    "release_year": 2030,
}
LOCATION_NODE = {
    "id": str(s.LOCATION),
    "version": 1,
    "name": "Pact Stage",
    "city": "Graphton",
    "country": "NZ",
    "latitude": -41.3,
    "longitude": 174.8,
}
PRODUCTION_NODE = {
    "id": str(s.PRODUCTION),
    "version": 1,
    "movie_id": str(s.PRODUCTION_MOVIE),
    "phase": "PRE_PRODUCTION",
    "budget": {"amount": "750000.00", "currency": "NZD"},
    "starts_on": "2030-04-01",
    "wraps_on": "2030-05-31",
}


def _day_node(index: int) -> dict[str, Any]:
    date = s.SHOOT_DATES[index]
    return {
        "id": str(s.shoot_day_id(date)),
        "version": 1,
        "production_id": str(s.PRODUCTION),
        "location_id": str(s.LOCATION),
        "date": date.isoformat(),
    }


def _connection(node: dict[str, Any], *, more: bool, end: str | None = None) -> dict[str, Any]:
    return {
        "edges": match.each_like({"node": match.like(node)}, min=1),
        # Relay: endCursor is the last node's cursor, whether or not a next page exists.
        "pageInfo": {"hasNextPage": more, "endCursor": match.like(end or _first_day_cursor())},
    }


def _first_day_cursor() -> str:
    date = s.SHOOT_DATES[0]
    return encode_cursor((date.isoformat(), str(s.shoot_day_id(date))))


@interaction
def get_movie(pact: Pact) -> Drive:
    response = _post(pact, "a query for a movie", A_MOVIE, "get_movie", {"id": str(s.MOVIE)})
    _data(response, {"movie": match.like(MOVIE_NODE)})

    async def drive(source: GraphQLDataSource) -> None:
        async with source.unit_of_work() as uow:
            movie = await uow.repository(MOVIES).get(s.MOVIE)
        assert (movie.title, movie.genres, movie.release_year) == (
            "Pact Comedy",
            {Genre.COMEDY},
            2030,
        )

    return drive


@interaction
def get_missing_movie(pact: Pact) -> Drive:
    response = _post(
        pact, "a query for a movie that does not exist", UP, "get_movie", {"id": str(MISSING)}
    )
    _errors(response, "not_found", "not_found", data={"movie": None})

    async def drive(source: GraphQLDataSource) -> None:
        async with source.unit_of_work() as uow:
            with pytest.raises(NotFound):
                await uow.repository(MOVIES).get(MISSING)

    return drive


@interaction
def get_many_movies(pact: Pact) -> Drive:
    ids = sorted([str(s.MOVIE), str(MISSING)])
    response = _post(pact, "a query for movies by ids", A_MOVIE, "get_many_movies", {"ids": ids})
    _data(response, {"moviesByIds": match.each_like(MOVIE_NODE, min=1)})

    async def drive(source: GraphQLDataSource) -> None:
        async with source.unit_of_work() as uow:
            found = await uow.repository(MOVIES).get_many([s.MOVIE, MISSING])
        assert list(found) == [s.MOVIE]

    return drive


@interaction
def list_movies_filtered(pact: Pact) -> Drive:
    variables = {"first": 50, "filter": {"genre": "COMEDY", "releaseYear": 2030}}
    response = _post(
        pact, "a query for a page of comedies of 2030", A_MOVIE, "list_movies", variables
    )
    _data(response, {"movies": _connection(MOVIE_NODE, more=False)})

    async def drive(source: GraphQLDataSource) -> None:
        async with source.unit_of_work() as uow:
            page = await uow.repository(MOVIES).list(
                MovieQuery(genre=Genre.COMEDY, release_year=2030), PageRequest()
            )
        assert page.items[0].genres == {Genre.COMEDY}
        assert page.next_cursor is None

    return drive


def _by_id(kind: str, root: str, id: UUID, node: dict[str, Any]) -> Interaction:
    def record(pact: Pact) -> Drive:
        response = _post(
            pact, f"a query for a {kind}", A_PRODUCTION, f"get_{kind}", {"id": str(id)}
        )
        _data(response, {root: match.like(node)})

        async def drive(source: GraphQLDataSource) -> None:
            async with source.unit_of_work() as uow:
                repository = uow.repository(STUDIO[plural(kind)])
                assert (await repository.get(id)).id == id

        return drive

    record.__name__ = f"get_{kind}"
    return record


def _many(kind: str, root: str, id: UUID, node: dict[str, Any]) -> Interaction:
    def record(pact: Pact) -> Drive:
        response = _post(
            pact,
            f"a query for {kind}s by ids",
            A_PRODUCTION,
            f"get_many_{kind}s",
            {"ids": [str(id)]},
        )
        _data(response, {root: match.each_like(node, min=1)})

        async def drive(source: GraphQLDataSource) -> None:
            async with source.unit_of_work() as uow:
                repository = uow.repository(STUDIO[plural(kind)])
                assert list(await repository.get_many([id])) == [id]

        return drive

    record.__name__ = f"get_many_{kind}s"
    return record


for _kind, _root, _id, _node in (
    ("location", "location", s.LOCATION, LOCATION_NODE),
    ("production", "production", s.PRODUCTION, PRODUCTION_NODE),
    ("shoot_day", "shootDay", s.shoot_day_id(s.SHOOT_DATES[0]), _day_node(0)),
):
    interaction(_by_id(_kind, _root, _id, _node))
    interaction(_many(_kind, _root + "sByIds", _id, _node))


@interaction
def list_productions_of_a_movie(pact: Pact) -> Drive:
    variables = {
        "first": 50,
        "filter": {"movieId": str(s.PRODUCTION_MOVIE), "phases": ["PRE_PRODUCTION"]},
    }
    response = _post(
        pact,
        "a query for a movie's productions in pre-production",
        A_PRODUCTION,
        "list_productions",
        variables,
    )
    _data(response, {"productions": _connection(PRODUCTION_NODE, more=False)})

    async def drive(source: GraphQLDataSource) -> None:
        query = ProductionQuery(movie_id=s.PRODUCTION_MOVIE, phases={Phase.PRE_PRODUCTION})
        async with source.unit_of_work() as uow:
            page = await uow.repository(PRODUCTIONS).list(query, PageRequest())
        assert [p.id for p in page.items] == [s.PRODUCTION]
        assert page.items[0].phase is Phase.PRE_PRODUCTION

    return drive


@interaction
def list_locations_of_a_city(pact: Pact) -> Drive:
    variables = {"first": 10, "filter": {"country": "NZ", "city": "Graphton"}}
    response = _post(
        pact, "a query for the locations of a city", A_PRODUCTION, "list_locations", variables
    )
    _data(response, {"locations": _connection(LOCATION_NODE, more=False)})

    async def drive(source: GraphQLDataSource) -> None:
        async with source.unit_of_work() as uow:
            page = await uow.repository(LOCATIONS).list(
                LocationQuery(country="NZ", city="Graphton"), PageRequest(size=10)
            )
        assert page.items[0].city == "Graphton"

    return drive


@interaction
def list_shoot_days_first_page(pact: Pact) -> Drive:
    variables = {"first": 1, "filter": {"productionId": str(s.PRODUCTION)}}
    response = _post(
        pact,
        "a query for the first page of a production's shoot days",
        A_PRODUCTION,
        "list_shoot_days",
        variables,
    )
    _data(response, {"shootDays": _connection(_day_node(0), more=True, end=_first_day_cursor())})

    async def drive(source: GraphQLDataSource) -> None:
        async with source.unit_of_work() as uow:
            page = await uow.repository(SHOOT_DAYS).list(
                ShootDayQuery(production_id=s.PRODUCTION), PageRequest(size=1)
            )
        assert page.next_cursor == _first_day_cursor()

    return drive


@interaction
def list_shoot_days_after_cursor(pact: Pact) -> Drive:
    variables = {
        "first": 1,
        "after": _first_day_cursor(),
        "filter": {"productionId": str(s.PRODUCTION)},
    }
    response = _post(
        pact, "a query for the page after a cursor", A_PRODUCTION, "list_shoot_days", variables
    )
    _data(response, {"shootDays": _connection(_day_node(1), more=False)})

    async def drive(source: GraphQLDataSource) -> None:
        async with source.unit_of_work() as uow:
            page = await uow.repository(SHOOT_DAYS).list(
                ShootDayQuery(production_id=s.PRODUCTION),
                PageRequest(size=1, cursor=_first_day_cursor()),
            )
        assert [d.date for d in page.items] == [s.SHOOT_DATES[1]]
        assert page.next_cursor is None

    return drive


@interaction
def bookings(pact: Pact) -> Drive:
    slots = [{"locationId": str(s.LOCATION), "date": s.SHOOT_DATES[0].isoformat()}]
    response = _post(
        pact,
        "a query for the shoot days holding slots",
        A_PRODUCTION,
        "shoot_day_bookings",
        {"slots": slots},
    )
    _data(response, {"shootDayBookings": match.each_like(_day_node(0), min=1)})

    async def drive(source: GraphQLDataSource) -> None:
        async with source.unit_of_work() as uow:
            taken = await uow.repository(SHOOT_DAYS).find_by(SLOT, [(s.LOCATION, s.SHOOT_DATES[0])])
        assert [d.slot for d in taken] == [(s.LOCATION, s.SHOOT_DATES[0])]

    return drive


@interaction
def bad_cursor(pact: Pact) -> Drive:
    response = _post(
        pact,
        "a query with a malformed cursor",
        UP,
        "list_movies",
        {"first": 50, "after": "not-a-cursor"},
    )
    _errors(response, "invalid_input", "invalid_input", field="page.cursor")

    async def drive(source: GraphQLDataSource) -> None:
        async with source.unit_of_work() as uow:
            with pytest.raises(InvalidInput) as caught:
                await uow.repository(MOVIES).list(MovieQuery(), PageRequest(cursor="not-a-cursor"))
        assert caught.value.field == "page.cursor"

    return drive


def _changes(edited_version: int) -> list[dict[str, Any]]:
    def movie(id: UUID, title: str, version: int) -> dict[str, Any]:
        return {
            "id": str(id),
            "version": version,
            "title": title,
            "logline": "",
            "genres": [],
            "releaseYear": None,
        }

    return [
        {"updateMovie": movie(s.EDITED_MOVIE, "Final Title", edited_version)},
        {"removeMovie": {"id": str(s.REMOVED_MOVIE), "version": 1}},
        {"addMovie": movie(s.NEW_MOVIE, "Brand New", 1)},
    ]


async def _commit(source: GraphQLDataSource, edited_version: int) -> None:
    async with source.unit_of_work() as uow:
        await uow.repository(MOVIES).update(
            Movie(id=s.EDITED_MOVIE, title="Final Title", version=edited_version)
        )
        await uow.repository(MOVIES).remove(s.REMOVED_MOVIE, 1)
        await uow.repository(MOVIES).add(Movie(id=s.NEW_MOVIE, title="Brand New"))
        await uow.commit()


@interaction
def commit(pact: Pact) -> Drive:
    response = _post(
        pact,
        "a commit of an update, a remove and an add",
        MOVIES_TO_CHANGE,
        "apply_changes",
        {"changes": _changes(1)},
    )
    _data(response, {"applyChanges": {"applied": 3}})

    async def drive(source: GraphQLDataSource) -> None:
        await _commit(source, 1)

    return drive


@interaction
def commit_stale(pact: Pact) -> Drive:
    response = _post(
        pact,
        "a commit with a stale version",
        MOVIES_TO_CHANGE,
        "apply_changes",
        {"changes": _changes(5)},
    )
    _errors(response, "conflict.stale_version", r"conflict(\..+)?")

    async def drive(source: GraphQLDataSource) -> None:
        with pytest.raises(Conflict):
            await _commit(source, 5)

    return drive


@interaction
def service_unavailable(pact: Pact) -> Drive:
    response = _post(
        pact,
        "a query while the service is overloaded",
        "graphql: the service is overloaded",
        "get_movie",
        {"id": str(s.MOVIE)},
    )
    # A provider cannot be made to answer 503 on demand: pending records the consumer's side
    # without failing the provider's verification.
    response.set_pending(pending=True)
    response.will_respond_with(503).with_body("busy", content_type="text/plain")

    async def drive(source: GraphQLDataSource) -> None:
        async with source.unit_of_work() as uow:
            with pytest.raises(DataSourceUnavailable):
                await uow.repository(MOVIES).get(s.MOVIE)

    return drive


@interaction
def check(pact: Pact) -> Drive:
    _data(
        _post(pact, "a check that the service answers GraphQL", UP, "check"),
        {"__typename": "Query"},
    )

    async def drive(source: GraphQLDataSource) -> None:
        assert "graphql service" in await source.check()

    return drive


async def run(name: str, directory: Path) -> None:
    """Record the interaction ``name`` against a fresh mock server and write it to ``directory``."""
    pact = Pact(CONSUMER, PROVIDER).with_specification("V4")
    drive = INTERACTIONS[name](pact)
    with pact.serve() as server:
        source = create_data_source({"url": f"{server.url}/graphql", "retries": 0})
        try:
            await drive(source)
        finally:
            await source.aclose()
    pact.write_file(directory)


@pytest.mark.parametrize("name", sorted(INTERACTIONS))
async def test_consumer_interaction(name: str, tmp_path: Path) -> None:
    await run(name, tmp_path)


@pytest.mark.parametrize("name", ["get_movie", "list_productions", "apply_changes"])
def test_query_pattern_accepts_the_document_modulo_whitespace_and_commas(name: str) -> None:
    pattern = re.compile(query_pattern(document(name)))
    assert pattern.fullmatch(document(name))
    assert pattern.fullmatch(re.sub(r"#[^\n]*", "", source(name)))
    assert pattern.fullmatch(document(name).replace("$", ", $"))
    tampered = re.sub(r"([A-Za-z]+)\}", r"\1x}", document(name), count=1)
    assert tampered != document(name)
    assert not pattern.fullmatch(tampered)
    assert not pattern.fullmatch(document("check"))


async def test_committed_pact_matches_what_the_consumer_generates(tmp_path: Path) -> None:
    for name in sorted(INTERACTIONS):
        await run(name, tmp_path)
    assert_committed_pact_matches(tmp_path / PACT_FILE.name, PACT_FILE)
